/** Lanes training. */
module dev.lanes.training {
    requires transitive dev.lanes.layers;
}
