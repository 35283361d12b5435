/** Lanes layers. */
module dev.lanes.layers {
    requires transitive dev.lanes.tensor;
}
