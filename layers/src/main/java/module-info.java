/** Lanes layers: the layer contract, parameters, layers and losses. */
module dev.lanes.layers {
    requires transitive dev.lanes.tensor;

    exports dev.lanes.layers;
    exports dev.lanes.layers.loss;
    // Workspace and the shape messages, shared with the autodiff nodes and the recurrent layers.
    exports dev.lanes.layers.internal to dev.lanes.autodiff, dev.lanes.recurrent;
}
