package dev.lanes.autodiff;

import dev.lanes.kernels.Reductions;
import dev.lanes.tensor.Tensor;

/**
 * The maximum of all elements or along one axis, with the index of the first maximal element
 * of each slice ({@link Reductions#argmax}: NaN ranks above everything, +0 above -0): the
 * gradient and the tangent both take that element, the subgradient chosen at ties.
 */
final class Max extends Linear {
    private final Reduce.Axis axis = new Reduce.Axis();
    /** For each output element, the index j in [0, n) of its maximum. */
    private int[] argmax = new int[0];

    private Max(Tape tape) {
        super(tape, 1);
    }

    static Var apply(Var x, int axis, boolean keepDims) {
        Tape tape = Tape.of("max", x);
        Reduce.Axis.check("max", x.shape(), axis);
        if (x.shape().size() == 0) {
            throw new IllegalArgumentException("max of an empty tensor, shape " + x.shape());
        }
        Max node = tape.next(Max.class, Max::new);
        node.axis.set(x.shape(), axis, keepDims);
        node.inputs[0] = x;
        return tape.run(node);
    }

    @Override
    String name() {
        return "max" + axis;
    }

    // y[o, i] = x[o, j*, i] with j* the first index of the maximum of x[o, :, i]
    @Override
    void forward() {
        Tensor x = contiguous(0, inputs[0].value);
        Tensor y = output(axis.outputShape());
        if (argmax.length != y.size()) {
            argmax = new int[y.size()];
        }
        float[] in = x.data();
        float[] out = y.data();
        int n = axis.n;
        int inner = axis.inner;
        for (int o = 0; o < axis.outer; o++) {
            int base = x.offset() + o * n * inner;
            for (int i = 0; i < inner; i++) {
                int j = Reductions.argmax(in, base + i, inner, n);
                argmax[o * inner + i] = j;
                out[o * inner + i] = in[base + i + j * inner];
            }
        }
    }

    /** The flat index (within the contiguous input) of output element {@code flat}'s maximum. */
    private int source(int flat) {
        int inner = axis.inner;
        int o = flat / inner;
        int i = flat - o * inner;
        return (o * axis.n + argmax[flat]) * inner + i;
    }

    // ẏ[o, i] = ẋ[o, j*, i]
    @Override
    void tangent() {
        Tensor dx = contiguous(1, inputs[0].tangent);
        Tensor t = tangentBuffer();
        float[] in = dx.data();
        float[] values = t.data();
        for (int flat = 0; flat < t.size(); flat++) {
            values[flat] = in[dx.offset() + source(flat)];
        }
        out.tangent = t;
    }

    // dL/dx[o, j, i] = g[o, i] where j = j*, else 0
    @Override
    void backward(int channel) {
        if (!wants(0)) {
            return;
        }
        Tensor upstream = upstream(channel);
        float[] g = upstream.data();
        Tensor grad = zeroedAccumulator(0, channel);
        float[] values = grad.data();
        for (int flat = 0; flat < upstream.size(); flat++) {
            values[source(flat)] += g[flat];
        }
        written(0, channel);
    }

}
