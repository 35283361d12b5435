/** Lanes training. */
module dev.lanes.training {
    requires transitive dev.lanes.layers;

    exports dev.lanes.training.checkpoint;
    exports dev.lanes.training.data;
    exports dev.lanes.training.init;
    exports dev.lanes.training.metrics;
    exports dev.lanes.training.random;
    exports dev.lanes.training.schedule;
}
