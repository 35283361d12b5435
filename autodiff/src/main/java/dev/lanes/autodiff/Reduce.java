package dev.lanes.autodiff;

import dev.lanes.kernels.Reductions;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * The sum or mean of all elements, or along one axis: each output element is one
 * {@link Reductions} call over its n inputs (contiguous when the axis is the last, else strided),
 * after a copy of a non-contiguous input.
 */
final class Reduce extends Linear {
    /** The axis argument meaning every element. */
    static final int ALL = Integer.MIN_VALUE;

    /** The reduction, with its name for messages (built once, so recording allocates no string). */
    enum Kind {
        SUM("sum"), MEAN("mean");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private Kind kind;
    private final Axis axis = new Axis();
    private Tensor gradSource;
    private Tensor gradView;

    private Reduce(Tape tape) {
        super(tape, 1);
    }

    static Var apply(Kind kind, Var x, int axis, boolean keepDims) {
        String op = kind.label;
        Tape tape = Tape.of(op, x);
        Axis.check(op, x.shape(), axis);
        Reduce node = tape.next(Reduce.class, Reduce::new);
        node.kind = kind;
        node.axis.set(x.shape(), axis, keepDims);
        node.inputs[0] = x;
        return tape.run(node);
    }

    @Override
    String name() {
        return kind.label + axis;
    }

    // y[o, i] = Σ_j x[o, j, i] (times 1/n for the mean), x seen as (outer, n, inner)
    @Override
    void forward() {
        reduce(output(axis.outputShape()), contiguous(0, inputs[0].value));
    }

    private void reduce(Tensor y, Tensor x) {
        float[] out = y.data();
        float[] in = x.data();
        int n = axis.n;
        int inner = axis.inner;
        for (int o = 0; o < axis.outer; o++) {
            int base = x.offset() + o * n * inner;
            for (int i = 0; i < inner; i++) {
                out[o * inner + i] = kind == Kind.SUM ? Reductions.sum(in, base + i, inner, n)
                        : Reductions.mean(in, base + i, inner, n);
            }
        }
    }

    // ẏ = the same reduction of ẋ
    @Override
    void tangent() {
        Tensor t = tangentBuffer();
        reduce(t, contiguous(1, inputs[0].tangent));
        out.tangent = t;
    }

    // dL/dx[o, j, i] = g[o, i] (times 1/n for the mean)
    @Override
    void backward(int channel) {
        if (!wants(0)) {
            return;
        }
        Tensor g = upstream(channel);
        if (g != gradSource) {
            gradView = axis.keptView(g);
            gradSource = g;
        }
        Tensor grad = accumulator(0, channel);
        float factor = kind == Kind.SUM ? 1f : 1f / axis.n;
        if (accumulates(0, channel)) {
            grad.axpyInPlace(factor, gradView);
        } else {
            grad.copyFrom(gradView);
            if (factor != 1f) {
                grad.scaleInPlace(factor);
            }
        }
        written(0, channel);
    }


    /**
     * The reduced axis of a shape: the shape seen as (outer, n, inner), the output shape (with or
     * without the axis kept as 1), recomputed only when the input shape or the arguments change.
     */
    static final class Axis {
        int outer;
        int n;
        int inner;
        private int axis = -1;
        private boolean keepDims;
        private Shape input;
        private Shape output;

        /** Checks an axis argument (or ALL) against a shape. */
        static void check(String op, Shape shape, int axis) {
            if (axis != ALL && (axis < -shape.rank() || axis >= shape.rank())) {
                throw new IllegalArgumentException(op + ": axis " + axis + " does not fit shape " + shape);
            }
        }

        void set(Shape shape, int requested, boolean keep) {
            int a = requested == ALL ? ALL : requested < 0 ? requested + shape.rank() : requested;
            if (shape.equals(input) && a == axis && keep == keepDims) {
                return;
            }
            input = shape;
            axis = a;
            keepDims = keep;
            if (a == ALL) {
                outer = 1;
                n = shape.size();
                inner = 1;
                output = Shape.scalar();
                return;
            }
            int[] dims = shape.dims();
            outer = 1;
            for (int i = 0; i < a; i++) {
                outer *= dims[i];
            }
            n = dims[a];
            inner = 1;
            for (int i = a + 1; i < dims.length; i++) {
                inner *= dims[i];
            }
            int[] kept = dims.clone();
            kept[a] = 1;
            output = keep ? Shape.of(kept) : Shape.of(withoutAxis(dims, a));
        }

        private static int[] withoutAxis(int[] dims, int a) {
            int[] out = new int[dims.length - 1];
            for (int i = 0, j = 0; i < dims.length; i++) {
                if (i != a) {
                    out[j++] = dims[i];
                }
            }
            return out;
        }

        Shape outputShape() {
            return output;
        }

        /** A tensor of the output shape seen with the reduced axis kept as 1, to broadcast back over it. */
        Tensor keptView(Tensor t) {
            if (axis == ALL || keepDims) {
                return t;
            }
            return t.unsqueeze(axis);
        }

        @Override
        public String toString() {
            return axis == ALL ? "" : "(axis " + axis + (keepDims ? ", keep" : "") + ")";
        }
    }
}
