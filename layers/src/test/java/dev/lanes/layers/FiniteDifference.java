package dev.lanes.layers;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * A short central-difference sanity check of a layer's backward: for L = Σ g·forward(x) with a
 * random g, compares dL/dx and every dL/dparameter from backward with (L(v+h) − L(v−h)) / 2h at up
 * to {@link #MAX_INDICES} indices per tensor. L is summed in double; the forward is float32, so
 * the step is large (h = 1e-2 on values of order 1) and the tolerance loose (2e-2 relative to
 * max(1, |analytic|)): this catches a wrong sign, index or missing term, not the last digits. The
 * thorough property-based check lives in module gradcheck.
 */
final class FiniteDifference {
    static final int MAX_INDICES = 24;
    static final float STEP = 1e-2f;
    static final double TOLERANCE = 2e-2;

    private FiniteDifference() {
    }

    /** Checks {@code layer} at {@code input}; {@code beforeForward} runs before every forward. */
    static void check(Layer layer, Tensor input, boolean training, long seed, Runnable beforeForward) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor x = input.copy();
        beforeForward.run();
        Tensor y = layer.forward(x, training);
        Tensor g = Tensor.randn(y.shape(), seed ^ 0x9e37L);
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        Tensor dx = layer.backward(g).copy();
        check(layer.name() + " input", x, dx, layer, x, g, training, random, seed, beforeForward);
        for (java.util.Map.Entry<String, Parameter> named : layer.namedParameters().entrySet()) {
            Parameter p = named.getValue();
            check(layer.name() + " " + named.getKey(), p.value(), p.grad().copy(), layer, x, g, training, random,
                    seed, beforeForward);
        }
    }

    static void check(Layer layer, Tensor input, boolean training, long seed) {
        check(layer, input, training, seed, () -> { });
    }

    private static void check(String what, Tensor varied, Tensor analytic, Layer layer, Tensor x, Tensor g,
                              boolean training, SplittableRandom random, long seed, Runnable beforeForward) {
        float[] data = varied.data();
        int size = varied.size();
        int count = Math.min(size, MAX_INDICES);
        for (int t = 0; t < count; t++) {
            int i = size <= MAX_INDICES ? t : random.nextInt(size);
            int at = varied.offset() + i;
            float saved = data[at];
            data[at] = saved + STEP;
            double plus = loss(layer, x, g, training, beforeForward);
            data[at] = saved - STEP;
            double minus = loss(layer, x, g, training, beforeForward);
            data[at] = saved;
            double numeric = (plus - minus) / (2.0 * STEP);
            double exact = analytic.data()[analytic.offset() + i];
            if (Math.abs(numeric - exact) > TOLERANCE * Math.max(1.0, Math.abs(exact))) {
                throw new AssertionError(what + ": index " + i + " numeric " + numeric + " analytic " + exact
                        + " (seed " + seed + ")");
            }
        }
    }

    private static double loss(Layer layer, Tensor x, Tensor g, boolean training, Runnable beforeForward) {
        beforeForward.run();
        Tensor y = layer.forward(x, training);
        double sum = 0;
        for (int i = 0; i < y.size(); i++) {
            sum += (double) flat(y, i) * flat(g, i);
        }
        return sum;
    }

    /** Element i in row-major order of any tensor. */
    static float flat(Tensor t, int i) {
        int[] dims = t.shape().dims();
        int[] index = new int[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            index[a] = i % dims[a];
            i /= dims[a];
        }
        return t.get(index);
    }

    /** A random normal tensor of the given dims. */
    static Tensor randn(long seed, int... dims) {
        return Tensor.randn(Shape.of(dims), seed);
    }
}
