package dev.lanes.autodiff;

import dev.lanes.tensor.Tensor;

/**
 * An operation whose value is a view of its input's value (no copy): reshape, permute, slice,
 * expand. The view is rebuilt only when the input tensor or the operation's arguments change,
 * so a steady-state run allocates nothing here. The tangent is the same view of the input
 * tangent.
 */
abstract class View extends Linear {
    private Tensor source;
    private Tensor view;
    /** Set when the arguments differ from the last run's. */
    boolean changed = true;

    View(Tape tape) {
        super(tape, 1);
    }

    /** The view of {@code t} (the input value or tangent). */
    abstract Tensor view(Tensor t);

    @Override
    void forward() {
        Tensor x = inputs[0].value;
        if (changed || x != source) {
            view = view(x);
            source = x;
            changed = false;
        }
        out.value = view;
    }

    @Override
    final void tangent() {
        out.tangent = view(inputs[0].tangent);
    }
}
