/**
 * Lanes autodiff: reverse- and forward-mode automatic differentiation of functions written with
 * tensor operations that run on the Lanes kernels; any layer can be a node of such a function, and
 * any such function can be a layer or a model.
 */
module dev.lanes.autodiff {
    requires transitive dev.lanes.layers;

    exports dev.lanes.autodiff;
}
