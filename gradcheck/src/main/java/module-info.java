/** Lanes gradcheck. */
module dev.lanes.gradcheck {
    requires transitive dev.lanes.layers;
}
