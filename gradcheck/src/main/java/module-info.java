/**
 * Lanes gradcheck: a gradient checker for layers, losses and functions, valid layer
 * configurations and kink-free values, and slow, obvious double-precision reference
 * implementations of every layer and loss.
 */
module dev.lanes.gradcheck {
    requires transitive dev.lanes.layers;
    requires transitive dev.lanes.autodiff;

    exports dev.lanes.gradcheck;
    exports dev.lanes.gradcheck.reference;
}
