package dev.lanes.autodiff;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Elements picked along one axis by integer indices (torch {@code gather}): with x seen as
 * (outer, n, inner) and the indices as (outer, m, inner), {@code y[o, j, i] = x[o, index[o, j, i], i]}.
 * The gradient is scattered back, adding where an index repeats. No kernel gathers, so the
 * passes are plain loops.
 */
final class Gather extends Linear {
    private int[] index = new int[0];
    private final Reduce.Axis axis = new Reduce.Axis();
    private int picked;
    /** The output shape: the indices' shape. */
    private Shape shape;

    private Gather(Tape tape) {
        super(tape, 1);
    }

    static Var apply(Var x, int axis, Tensor indices) {
        Tape tape = Tape.of("gather", x);
        Shape shape = x.shape();
        Reduce.Axis.check("gather", shape, axis);
        int a = axis < 0 ? axis + shape.rank() : axis;
        Shape wanted = indices == null ? null : indices.shape();
        boolean fits = wanted != null && wanted.rank() == shape.rank();
        for (int d = 0; fits && d < shape.rank(); d++) {
            fits = d == a || wanted.dim(d) == shape.dim(d);
        }
        if (!fits) {
            throw new IllegalArgumentException("gather: indices of shape " + wanted + " do not fit " + shape
                    + " along axis " + axis + " (the same shape except along the axis)");
        }
        Gather node = tape.next(Gather.class, Gather::new);
        node.axis.set(shape, a, true);
        node.picked = wanted.dim(a);
        node.shape = wanted;
        node.read(indices, shape.dim(a));
        node.inputs[0] = x;
        return tape.run(node);
    }

    /** Copies the indices, checking each is an integer in [0, n). */
    private void read(Tensor indices, int n) {
        Tensor flat = indices.contiguous();
        if (index.length != flat.size()) {
            index = new int[flat.size()];
        }
        float[] values = flat.data();
        for (int k = 0; k < index.length; k++) {
            float v = values[flat.offset() + k];
            if (!(v >= 0 && v < n && v == (int) v)) {
                throw new IllegalArgumentException("gather: index " + v + " at flat position " + k
                        + " is not an integer in [0, " + n + ")");
            }
            index[k] = (int) v;
        }
    }

    @Override
    String name() {
        return "gather";
    }

    /** The flat position in the contiguous input of output element {@code flat}. */
    private int source(int flat) {
        int inner = axis.inner;
        int o = flat / (picked * inner);
        int i = flat % inner;
        return (o * axis.n + index[flat]) * inner + i;
    }

    // y[o, j, i] = x[o, index[o, j, i], i]
    @Override
    void forward() {
        gather(output(shape), contiguous(0, inputs[0].value));
    }

    private void gather(Tensor y, Tensor x) {
        float[] out = y.data();
        float[] in = x.data();
        for (int flat = 0; flat < y.size(); flat++) {
            out[flat] = in[x.offset() + source(flat)];
        }
    }

    // ẏ = the same elements of ẋ
    @Override
    void tangent() {
        Tensor t = tangentBuffer();
        gather(t, contiguous(1, inputs[0].tangent));
        out.tangent = t;
    }

    // dL/dx[o, k, i] = Σ over j with index[o, j, i] = k of g[o, j, i]
    @Override
    void backward(int channel) {
        if (!wants(0)) {
            return;
        }
        Tensor g = upstream(channel);
        Tensor grad = zeroedAccumulator(0, channel);
        float[] values = grad.data();
        float[] upstream = g.data();
        for (int flat = 0; flat < g.size(); flat++) {
            values[source(flat)] += upstream[flat];
        }
        written(0, channel);
    }

}
