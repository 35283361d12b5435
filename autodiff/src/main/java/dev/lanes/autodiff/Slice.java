package dev.lanes.autodiff;

import dev.lanes.tensor.Tensor;

/** Indices {@code start, start + step, ...} below {@code end} along one axis: a view. */
final class Slice extends View {
    private int axis;
    private int start;
    private int end;
    private int step;

    private Slice(Tape tape) {
        super(tape);
    }

    static Var apply(Var x, int axis, int start, int end, int step) {
        Tape tape = Tape.of("slice", x);
        int rank = x.shape().rank();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("slice: axis " + axis + " does not fit " + x.shape());
        }
        int size = x.shape().dim(a);
        if (start < 0 || start > end || end > size || step < 1) {
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") step " + step
                    + " is not a range of axis " + axis + " (size " + size + ") of " + x.shape());
        }
        Slice node = tape.next(Slice.class, Slice::new);
        node.changed |= node.axis != a || node.start != start || node.end != end || node.step != step;
        node.axis = a;
        node.start = start;
        node.end = end;
        node.step = step;
        node.inputs[0] = x;
        return tape.run(node);
    }

    @Override
    String name() {
        return "slice(axis " + axis + ", " + start + ":" + end + ":" + step + ")";
    }

    @Override
    Tensor view(Tensor t) {
        return t.slice(axis, start, end, step);
    }

    // dL/dx = g at the sliced indices, 0 elsewhere
    @Override
    void backward(int channel) {
        if (!wants(0)) {
            return;
        }
        Tensor g = upstream(channel);
        Tensor grad = zeroedAccumulator(0, channel);
        view(grad).addInPlace(g);
        written(0, channel);
    }
}
