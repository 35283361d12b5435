package dev.lanes.autodiff;

import dev.lanes.tensor.Tensor;
import java.util.Arrays;

/** The axes reordered (transpose is a swap of two): a view; the gradient goes back through the inverse order. */
final class Permute extends View {
    private int[] axes = new int[0];
    private int[] inverseAxes = new int[0];

    private Permute(Tape tape) {
        super(tape);
    }

    static Var apply(Var x, int... axes) {
        Tape tape = Tape.of("permute", x);
        int rank = x.shape().rank();
        boolean[] seen = new boolean[rank];
        boolean valid = axes.length == rank;
        for (int i = 0; valid && i < rank; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            valid = a >= 0 && a < rank && !seen[a];
            if (valid) {
                seen[a] = true;
            }
        }
        if (!valid) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(axes) + " is not an order of the "
                    + rank + " axes of " + x.shape());
        }
        Permute node = tape.next(Permute.class, Permute::new);
        node.set(axes);
        node.inputs[0] = x;
        return tape.run(node);
    }

    /** x with {@code axis1} and {@code axis2} swapped. */
    static Var swap(Var x, int axis1, int axis2) {
        Tape tape = Tape.of("transpose", x);
        int rank = x.shape().rank();
        int a = axis1 < 0 ? axis1 + rank : axis1;
        int b = axis2 < 0 ? axis2 + rank : axis2;
        if (a < 0 || a >= rank || b < 0 || b >= rank) {
            throw new IllegalArgumentException("transpose: axes " + axis1 + " and " + axis2 + " do not fit " + x.shape());
        }
        Permute node = tape.next(Permute.class, Permute::new);
        if (node.axes.length != rank) {
            node.axes = new int[rank];
            node.changed = true;
        }
        for (int i = 0; i < rank; i++) {
            int axis = i == a ? b : i == b ? a : i;
            node.changed |= node.axes[i] != axis;
            node.axes[i] = axis;
        }
        node.invert();
        node.inputs[0] = x;
        return tape.run(node);
    }

    private void set(int[] requested) {
        int rank = requested.length;
        if (axes.length != rank) {
            axes = new int[rank];
            changed = true;
        }
        for (int i = 0; i < rank; i++) {
            int axis = requested[i] < 0 ? requested[i] + rank : requested[i];
            changed |= axes[i] != axis;
            axes[i] = axis;
        }
        invert();
    }

    private void invert() {
        if (inverseAxes.length != axes.length) {
            inverseAxes = new int[axes.length];
        }
        for (int i = 0; i < axes.length; i++) {
            inverseAxes[axes[i]] = i;
        }
    }

    /** The matrix whose transpose {@code v} is, when v is a permute swapping the two axes of a matrix; else null. */
    static Var transposedMatrix(Var v) {
        if (v.node instanceof Permute p && p.axes.length == 2 && p.axes[0] == 1) {
            return p.inputs[0];
        }
        return null;
    }

    @Override
    String name() {
        return "permute" + Arrays.toString(axes);
    }

    @Override
    Tensor view(Tensor t) {
        return t.permute(axes);
    }

    // dL/dx = g with the axes put back: g.permute(inverse)
    @Override
    void backward(int channel) {
        if (wants(0)) {
            addInto(0, channel, upstream(channel).permute(inverseAxes));
        }
    }
}
