package dev.lanes.autodiff;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Inputs joined along an axis: concatenated (shapes equal except along the axis) or stacked
 * along a new axis (shapes equal). Each input is copied into its slice of the output, and its
 * gradient is that slice of the output gradient.
 */
final class Concat extends Linear {
    private int axis;
    private boolean stack;
    private Shape shape;

    private Concat(Tape tape) {
        super(tape, 0);
    }

    static Var apply(int axis, boolean stack, Var... parts) {
        String op = stack ? "stack" : "concat";
        if (parts == null || parts.length == 0) {
            throw new IllegalArgumentException(op + ": needs at least one Var");
        }
        Tape tape = Tape.of(op, parts[0]);
        for (Var part : parts) {
            tape.check(op, part);
        }
        Shape first = parts[0].shape();
        int rank = first.rank() + (stack ? 1 : 0);
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank || (!stack && first.rank() == 0)) {
            throw new IllegalArgumentException(op + ": axis " + axis + " does not fit shape " + first);
        }
        int[] dims = new int[rank];
        for (int d = 0, s = 0; d < rank; d++) {
            dims[d] = stack && d == a ? 0 : first.dim(s++);
        }
        dims[a] = 0;
        for (Var part : parts) {
            Shape s = part.shape();
            boolean fits = s.rank() == first.rank();
            for (int d = 0; fits && d < s.rank(); d++) {
                fits = (!stack && d == a) || s.dim(d) == first.dim(d);
            }
            if (!fits) {
                throw new IllegalArgumentException(op + ": shapes " + first + " and " + s + " do not fit along axis "
                        + axis);
            }
            dims[a] += stack ? 1 : s.dim(a);
        }
        Concat node = tape.next(Concat.class, Concat::new);
        if (node.inputs.length != parts.length) {
            node.inputs = new Var[parts.length];
        }
        System.arraycopy(parts, 0, node.inputs, 0, parts.length);
        node.axis = a;
        node.stack = stack;
        node.shape = Shape.of(dims);
        return tape.run(node);
    }

    @Override
    String name() {
        return (stack ? "stack" : "concat") + "(axis " + axis + ")";
    }

    /** Input k's slice of a tensor shaped like the output, in the input's own shape. */
    private Tensor part(Tensor whole, int k, int start) {
        if (stack) {
            return whole.select(axis, k);
        }
        return whole.narrow(axis, start, inputs[k].value.dim(axis));
    }

    private int length(int k) {
        return stack ? 1 : inputs[k].value.dim(axis);
    }

    // y = [x_0, x_1, ...] along the axis
    @Override
    void forward() {
        Tensor y = output(shape);
        for (int k = 0, start = 0; k < inputs.length; start += length(k), k++) {
            part(y, k, start).copyFrom(inputs[k].value);
        }
    }

    // ẏ = [ẋ_0, ẋ_1, ...] (zeros where an input has no tangent)
    @Override
    void tangent() {
        Tensor t = tangentBuffer();
        for (int k = 0, start = 0; k < inputs.length; start += length(k), k++) {
            Tensor dx = inputs[k].tangent;
            if (dx == null) {
                part(t, k, start).zero();
            } else {
                part(t, k, start).copyFrom(dx);
            }
        }
        out.tangent = t;
    }

    // dL/dx_k = g's slice of x_k
    @Override
    void backward(int channel) {
        Tensor g = upstream(channel);
        for (int k = 0, start = 0; k < inputs.length; start += length(k), k++) {
            if (wants(k)) {
                addInto(k, channel, part(g, k, start));
            }
        }
    }

}
