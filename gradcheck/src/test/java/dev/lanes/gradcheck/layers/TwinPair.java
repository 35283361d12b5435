package dev.lanes.gradcheck.layers;

import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Tape;
import dev.lanes.autodiff.Var;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Values;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * A layer and its twin written with autodiff operations (a function of the input and the layer's
 * parameter values, in order), the input, and how closely they must agree; {@link #agree} runs
 * both and compares.
 */
record TwinPair(String name, Layer layer, Function twin, Tensor x, boolean bitwise, double termFactor,
                boolean biasRounded, double[] terms) {
    TwinPair(String name, Layer layer, Function twin, Tensor x, boolean bitwise) {
        this(name, layer, twin, x, bitwise, 0, false, null);
    }

    TwinPair(String name, Layer layer, Function twin, Tensor x, boolean bitwise, double termFactor,
             boolean biasRounded) {
        this(name, layer, twin, x, bitwise, termFactor, biasRounded, null);
    }

    /**
     * A twin that sums in another order than its layer: {@code terms} bounds the sum of the
     * magnitudes of the terms each element adds up, for the output, then for the input gradient
     * and each parameter gradient in order as multiples of max|g|; the tolerance is 1e-5 of that
     * bound (or of the tensor's largest magnitude, if larger).
     */
    static TwinPair rounded(String name, Layer layer, Function twin, Tensor x, double... terms) {
        return new TwinPair(name, layer, twin, x, false, 0, false, terms);
    }

    /** Runs both at x with the upstream gradient from the seed and compares. */
    static void agree(TwinPair pair, boolean training, long seed) {
        Layer layer = pair.layer();
        for (Parameter p : layer.parameters()) {
            p.grad().zero();
        }
        Tensor y = layer.forward(pair.x(), training).copy();
        Tensor g = Values.uniform(y.shape(), seed + 77, -1, 1);
        Tensor dx = layer.backward(g).copy();
        List<Parameter> parameters = layer.parameters();
        Tape tape = new Tape().training(training);
        Var[] in = new Var[parameters.size() + 1];
        in[0] = tape.input(pair.x());
        for (int i = 0; i < parameters.size(); i++) {
            in[i + 1] = tape.input(parameters.get(i).value());
        }
        Var out = pair.twin().apply(in);
        tape.backward(out, g);
        String context = pair.name() + (training ? " (training)" : " (inference)") + ", seed " + seed;
        Tensor[] point = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            point[i] = in[i].value();
        }
        Function inMode = vars -> {
            vars[0].tape().training(training);
            return pair.twin().apply(vars);
        };
        GradCheck.forwardReverse(context, inMode).inputs(point).seed(seed).check();
        double[] terms = pair.terms();
        compare(context + ": output", y, out.value(), pair.bitwise(), terms == null ? 0 : terms[0]);
        compare(context + ": input gradient", dx, in[0].grad(), pair.bitwise(),
                terms == null ? pair.termFactor() * maxAbs(g) : terms[1] * maxAbs(g));
        for (int i = 0; i < parameters.size(); i++) {
            // a bias gradient sums the rows of g: the terms are up to rows·max|g|
            boolean rounded = pair.biasRounded() && parameters.get(i).name().equals("bias");
            double termScale = terms != null ? terms[i + 2] * maxAbs(g) : rounded ? g.dim(0) * maxAbs(g) : 0;
            compare(context + ": gradient of " + parameters.get(i).name(), parameters.get(i).grad(),
                    in[i + 1].grad(), pair.bitwise() && !rounded, termScale);
        }
    }

    static double maxAbs(Tensor t) {
        double max = 0;
        for (float v : t.toArray()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static void compare(String what, Tensor expected, Tensor actual, boolean bitwise, double termScale) {
        if (!expected.shape().equals(actual.shape())) {
            throw new AssertionError(what + ": shape " + actual.shape() + ", the layer's " + expected.shape());
        }
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        double scale = Math.max(termScale, maxAbs(expected));
        double tolerance = bitwise ? 0 : 1e-5 * scale;
        for (int i = 0; i < e.length; i++) {
            boolean same = bitwise ? Float.floatToIntBits(e[i]) == Float.floatToIntBits(a[i])
                    : Math.abs(e[i] - a[i]) <= tolerance;
            if (!same) {
                throw new AssertionError(what + " differs at flat index " + i + ": layer " + e[i] + ", autodiff "
                        + a[i] + (bitwise ? " (expected the same bits)" : ", tolerance " + tolerance));
            }
        }
    }
}
