package dev.lanes.autodiff;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.Arrays;

/** The same elements in row-major order with new dimensions: a view of a contiguous input, else a copy. */
final class Reshape extends View {
    private int[] dims = new int[0];
    private Tensor gradSource;
    private Tensor gradView;

    private Reshape(Tape tape) {
        super(tape);
    }

    static Var apply(Var x, int... dims) {
        Tape tape = Tape.of("reshape", x);
        check(x.shape(), dims);
        Reshape node = tape.next(Reshape.class, Reshape::new);
        if (!Arrays.equals(node.dims, dims)) {
            node.dims = dims.clone();
            node.changed = true;
        }
        node.inputs[0] = x;
        return tape.run(node);
    }

    /** Checks that dims (one may be -1) hold exactly the elements of {@code shape}, without allocating. */
    private static void check(Shape shape, int[] dims) {
        long known = 1;
        int inferred = 0;
        for (int d : dims) {
            if (d == -1) {
                inferred++;
            } else if (d < 0) {
                inferred = 2;
            } else {
                known *= d;
            }
        }
        boolean fits = inferred == 0 ? known == shape.size()
                : inferred == 1 && (known == 0 ? shape.size() == 0 : shape.size() % known == 0);
        if (!fits) {
            throw new IllegalArgumentException("reshape: cannot view shape " + shape + " as " + Arrays.toString(dims)
                    + " (sizes differ, or more than one -1, or a negative size)");
        }
    }

    @Override
    String name() {
        return "reshape" + Arrays.toString(dims);
    }

    @Override
    Tensor view(Tensor t) {
        return t.contiguous().reshape(dims);
    }

    // y = x in another shape; a non-contiguous x is copied on every run (its elements change)
    @Override
    void forward() {
        Tensor x = inputs[0].value;
        if (x.isContiguous()) {
            super.forward();
        } else {
            out.value = contiguous(0, x).reshape(dims);
        }
    }

    // dL/dx = g in the shape of x
    @Override
    void backward(int channel) {
        if (!wants(0)) {
            return;
        }
        Tensor g = upstream(channel);
        if (g != gradSource) {
            gradView = g.reshape(inputs[0].value.shape());
            gradSource = g;
        }
        addInto(0, channel, gradView);
    }
}
