/**
 * Lanes gradcheck: a gradient checker for layers, losses and functions, QuickTheories generators
 * of valid layer configurations and kink-free values, and slow, obvious double-precision
 * reference implementations of every layer and loss.
 */
@SuppressWarnings("requires-transitive-automatic") // QuickTheories has no module name of its own
module dev.lanes.gradcheck {
    requires transitive dev.lanes.layers;
    requires transitive dev.lanes.autodiff;
    requires transitive quicktheories;

    exports dev.lanes.gradcheck;
    exports dev.lanes.gradcheck.reference;
}
