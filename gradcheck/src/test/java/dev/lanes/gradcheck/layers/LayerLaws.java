package dev.lanes.gradcheck.layers;

import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.Reference;
import dev.lanes.gradcheck.reference.ReferenceLayer;
import dev.lanes.gradcheck.reference.ReferenceParameter;
import dev.lanes.kernels.Parallel;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * The laws every layer obeys besides its gradient check, asserted for one generated case:
 * agreement with its double reference (forward, input gradient, parameter gradients), backward
 * linear in the output gradient, gradients accumulating over two backward passes, and identical
 * bits from a second identical run.
 *
 * <p>Float-versus-double tolerance: |float - double| &lt;= 1e-4 * (|double| + rms + 1), where rms
 * is the root mean square of the reference tensor. Inputs, weights and output gradients are O(1)
 * by construction and the reductions are short (at most ~100 terms), so float32 rounding stays
 * near 1e-6 of that scale; a wrong formula is off by O(1).
 */
final class LayerLaws {
    static final double RELATIVE = 1e-4;

    private LayerLaws() {
    }

    static double[] values(Tensor t) {
        return Reference.toDouble(t.toArray());
    }

    static void zeroGrads(Layer layer) {
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
    }

    /** All four laws; {@code beforeForward} fixes any randomness (reseeds dropout). */
    static void check(Layer layer, ReferenceLayer reference, Tensor x, boolean training, long seed,
                      Runnable beforeForward) {
        String context = layer.name() + (training ? " (training)" : " (inference)") + " at input " + x.shape()
                + ", seed " + seed;
        agreesWithReference(layer, reference, x, training, seed, beforeForward, context);
        backwardIsLinear(layer, x, training, seed, beforeForward, context);
        gradientsAccumulate(layer, x, training, seed, beforeForward, context);
        repeatable(layer, x, training, seed, beforeForward, context);
    }

    static void agreesWithReference(Layer layer, ReferenceLayer reference, Tensor x, boolean training, long seed,
                                    Runnable beforeForward, String context) {
        beforeForward.run();
        Tensor y = layer.forward(x, training).copy();
        double[] expected = reference.forward(values(x), x.shape().dims(), training);
        assertClose(context + ": forward output", y, expected);
        Tensor g = Values.uniform(y.shape(), seed + 17, -1, 1);
        zeroGrads(layer);
        for (ReferenceParameter p : reference.parameters()) {
            p.zeroGrad();
        }
        Tensor dx = layer.backward(g).copy();
        assertClose(context + ": input gradient", dx, reference.backward(values(g)));
        List<Parameter> parameters = layer.parameters();
        List<ReferenceParameter> twins = reference.parameters();
        if (parameters.size() != twins.size()) {
            throw new AssertionError(context + ": " + parameters.size() + " parameters, the reference has "
                    + twins.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            assertClose(context + ": gradient of " + parameters.get(i).name(), parameters.get(i).grad(),
                    twins.get(i).grad());
        }
    }

    /** backward(a g1 + b g2) = a backward(g1) + b backward(g2), for the input and every parameter. */
    static void backwardIsLinear(Layer layer, Tensor x, boolean training, long seed, Runnable beforeForward,
                                 String context) {
        beforeForward.run();
        Shape out = layer.forward(x, training).shape();
        Tensor g1 = Values.uniform(out, seed + 31, -1, 1);
        Tensor g2 = Values.uniform(out, seed + 37, -1, 1);
        float a = 1.5f;
        float b = -0.75f;
        Tensor[] r1 = backwardOnce(layer, g1);
        Tensor[] r2 = backwardOnce(layer, g2);
        Tensor[] mixed = backwardOnce(layer, g1.mul(a).add(g2.mul(b)));
        for (int i = 0; i < mixed.length; i++) {
            double[] expected = new double[mixed[i].size()];
            float[] v1 = r1[i].toArray();
            float[] v2 = r2[i].toArray();
            for (int j = 0; j < expected.length; j++) {
                expected[j] = a * (double) v1[j] + b * (double) v2[j];
            }
            assertClose(context + ": backward is not linear in the output gradient (" + label(layer, i) + ")",
                    mixed[i], expected);
        }
    }

    /** Two backward passes after one forward leave twice the parameter gradient of one. */
    static void gradientsAccumulate(Layer layer, Tensor x, boolean training, long seed, Runnable beforeForward,
                                    String context) {
        beforeForward.run();
        Shape out = layer.forward(x, training).shape();
        Tensor g = Values.uniform(out, seed + 41, -1, 1);
        Tensor[] once = backwardOnce(layer, g);
        layer.backward(g);
        List<Parameter> parameters = layer.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            double[] twice = values(once[i + 1]);
            for (int j = 0; j < twice.length; j++) {
                twice[j] *= 2;
            }
            assertClose(context + ": two backward passes do not give twice the gradient of "
                    + parameters.get(i).name(), parameters.get(i).grad(), twice);
        }
    }

    /**
     * A second identical forward and backward gives the same bits (output, input gradient,
     * parameter gradients), also when the second runs on two kernel threads instead of one.
     */
    static void repeatable(Layer layer, Tensor x, boolean training, long seed, Runnable beforeForward,
                           String context) {
        int threads = Parallel.threads();
        float[][] first = run(layer, x, training, seed, beforeForward);
        float[][] second;
        Parallel.setThreads(threads == 1 ? 2 : 1);
        try {
            second = run(layer, x, training, seed, beforeForward);
        } finally {
            Parallel.setThreads(threads);
        }
        for (int i = 0; i < first.length; i++) {
            for (int j = 0; j < first[i].length; j++) {
                if (Float.floatToRawIntBits(first[i][j]) != Float.floatToRawIntBits(second[i][j])) {
                    throw new AssertionError(String.format(Locale.ROOT, "%s: a second identical run differs in "
                            + "%s at %d: %s then %s", context, i == 0 ? "the output" : label(layer, i - 1), j,
                            first[i][j], second[i][j]));
                }
            }
        }
    }

    private static float[][] run(Layer layer, Tensor x, boolean training, long seed, Runnable beforeForward) {
        beforeForward.run();
        Tensor y = layer.forward(x, training);
        float[] output = y.toArray();
        Tensor[] grads = backwardOnce(layer, Values.uniform(y.shape(), seed + 43, -1, 1));
        float[][] out = new float[grads.length + 1][];
        out[0] = output;
        for (int i = 0; i < grads.length; i++) {
            out[i + 1] = grads[i].toArray();
        }
        return out;
    }

    /** Zeroes the parameter gradients, runs one backward; copies of {input gradient, parameter gradients...}. */
    static Tensor[] backwardOnce(Layer layer, Tensor g) {
        zeroGrads(layer);
        List<Parameter> parameters = layer.parameters();
        Tensor[] out = new Tensor[parameters.size() + 1];
        out[0] = layer.backward(g).copy();
        for (int i = 0; i < parameters.size(); i++) {
            out[i + 1] = parameters.get(i).grad().copy();
        }
        return out;
    }

    private static String label(Layer layer, int i) {
        return i == 0 ? "input gradient" : "gradient of " + layer.parameters().get(i - 1).name();
    }

    static void assertClose(String what, Tensor actual, double[] expected) {
        float[] a = actual.toArray();
        if (a.length != expected.length) {
            throw new AssertionError(what + ": " + a.length + " values, expected " + expected.length);
        }
        double sum = 0;
        for (double e : expected) {
            sum += e * e;
        }
        double rms = expected.length == 0 ? 0 : Math.sqrt(sum / expected.length);
        for (int i = 0; i < a.length; i++) {
            double tolerance = RELATIVE * (Math.abs(expected[i]) + rms + 1);
            if (!(Math.abs(a[i] - expected[i]) <= tolerance)) {
                throw new AssertionError(String.format(Locale.ROOT, "%s: element %d of shape %s is %.9g, the "
                        + "double reference gives %.9g (difference %.3g, tolerance %.3g)", what, i,
                        actual.shape(), a[i], expected[i], Math.abs(a[i] - expected[i]), tolerance));
            }
        }
    }
}
