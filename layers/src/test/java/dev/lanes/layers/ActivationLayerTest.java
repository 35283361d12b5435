package dev.lanes.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.kernels.Activation;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class ActivationLayerTest {
    private static final long SEED = 0xac71L;
    private static final double LAMBDA = 1.0507009873554804934193349852946;
    private static final double ALPHA = 1.6732632423543772848170429916717;

    /** A layer, the function in double written out here, and the name it should have. */
    record Case(ActivationLayer layer, DoubleUnaryOperator f, String name) {
    }

    /** erf by its Taylor series, accurate to about 1e-11 on [-4, 4] in double. */
    static double erf(double x) {
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    static List<Case> cases() {
        return List.of(
                new Case(ActivationLayer.step(), x -> x > 0 ? 1 : 0, "Step"),
                new Case(ActivationLayer.identity(), x -> x, "Identity"),
                new Case(ActivationLayer.sigmoid(), x -> 1 / (1 + Math.exp(-x)), "Sigmoid"),
                new Case(ActivationLayer.tanh(), Math::tanh, "Tanh"),
                new Case(ActivationLayer.relu(), x -> Math.max(x, 0), "ReLU"),
                new Case(ActivationLayer.leakyRelu(0.2f), x -> x > 0 ? x : 0.2f * x, "LeakyReLU(0.2)"),
                new Case(ActivationLayer.elu(0.5f), x -> x > 0 ? x : 0.5 * (Math.exp(x) - 1), "ELU(0.5)"),
                new Case(ActivationLayer.selu(), x -> LAMBDA * (x > 0 ? x : ALPHA * (Math.exp(x) - 1)), "SELU"),
                new Case(ActivationLayer.geluTanh(),
                        x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
                        "GELU(tanh)"),
                new Case(ActivationLayer.geluErf(), x -> 0.5 * x * (1 + erf(x / Math.sqrt(2))), "GELU(erf)"),
                new Case(ActivationLayer.softplus(), x -> Math.log1p(Math.exp(x)), "Softplus"),
                new Case(ActivationLayer.softsign(), x -> x / (1 + Math.abs(x)), "Softsign"),
                new Case(ActivationLayer.hardSigmoid(), x -> Math.min(1, Math.max(0, x / 6 + 0.5)), "HardSigmoid"),
                new Case(ActivationLayer.hardSwish(), x -> x * Math.min(6, Math.max(0, x + 3)) / 6, "HardSwish"),
                new Case(ActivationLayer.mish(), x -> x * Math.tanh(Math.log1p(Math.exp(x))), "Mish"),
                new Case(ActivationLayer.celu(0.5f), x -> x > 0 ? x : 0.5 * Math.expm1(x / 0.5), "CELU(0.5)"),
                new Case(ActivationLayer.thresholdedRelu(0.05f), x -> x > 0.05f ? x : 0, "ThresholdedReLU(0.05)"));
    }

    /** Values in ±[0.1, 4): away from the kinks at 0 (and at ±3, by a margin, for hard sigmoid). */
    static Tensor awayFromKinks(long seed, int... dims) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = Shape.of(dims).size();
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            double magnitude = 0.1 + 3.9 * random.nextDouble();
            if (Math.abs(magnitude - 3) < 0.1) {
                magnitude -= 0.2;
            }
            values[i] = (float) (random.nextBoolean() ? magnitude : -magnitude);
        }
        return Tensor.fromArray(values, dims);
    }

    @Test
    void everyFunctionMatchesItsFormula() {
        Tensor x = awayFromKinks(SEED, 4, 5, 3);
        float[] xs = x.toArray();
        for (Case c : cases()) {
            assertEquals(c.name(), c.layer().name());
            float[] expected = new float[xs.length];
            for (int i = 0; i < xs.length; i++) {
                expected[i] = (float) c.f().applyAsDouble(xs[i]);
            }
            String mismatch = Tensor.mismatch(c.layer().forward(x, true), Tensor.fromArray(expected, 4, 5, 3), 1e-5,
                    1e-6);
            assertNull(mismatch, c.name() + " seed " + SEED + ": " + mismatch);
            // Inference is the same function.
            assertArrayEquals(c.layer().forward(x, true).toArray(), c.layer().forward(x, false).toArray());
        }
    }

    @Test
    void finiteDifferencesForEveryFunction() {
        for (Case c : cases()) {
            FiniteDifference.check(c.layer(), awayFromKinks(SEED + 1, 3, 7), true, SEED);
        }
    }

    @Test
    void backwardReadsTheRightSavedTensorForANonContiguousInput() {
        Tensor x = awayFromKinks(SEED + 2, 6, 4).transpose();
        Tensor g = awayFromKinks(SEED + 3, 6, 4).transpose();
        for (Case c : cases()) {
            ActivationLayer layer = c.layer();
            layer.forward(x, true);
            float[] viaView = layer.backward(g).toArray();
            layer.forward(x.copy(), true);
            assertArrayEquals(layer.backward(g.copy()).toArray(), viaView, c.name());
        }
    }

    @Test
    void specialValues() {
        Tensor x = Tensor.fromArray(new float[] {Float.NaN, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, 4);
        assertArrayEquals(new float[] {Float.NaN, 0f, 0f, Float.POSITIVE_INFINITY},
                ActivationLayer.relu().forward(x, false).toArray());
        assertArrayEquals(new float[] {Float.NaN, 0.5f, 0f, 1f}, ActivationLayer.sigmoid().forward(x, false).toArray());
    }

    @Test
    void shapesAndErrors() {
        ActivationLayer relu = ActivationLayer.relu();
        assertEquals(Shape.of(2, 3, 4, 5), relu.outputShape(Shape.of(2, 3, 4, 5)));
        assertSame(Activation.RELU, relu.activation());
        assertThrows(IllegalStateException.class, () -> relu.backward(Tensor.zeros(2)));
        relu.forward(Tensor.zeros(2, 3), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> relu.backward(Tensor.zeros(3, 2)));
        assertEquals("ReLU: gradOutput expected (2, 3), got (3, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ActivationLayer(null));
        assertThrows(IllegalArgumentException.class, () -> ActivationLayer.elu(-1f));
    }

    @Test
    void workspacesAreKept() {
        ActivationLayer tanh = ActivationLayer.tanh();
        Tensor x = awayFromKinks(SEED + 4, 8, 8);
        Tensor y = tanh.forward(x, true);
        Tensor dx = tanh.backward(x);
        assertSame(y, tanh.forward(x, true));
        assertSame(dx, tanh.backward(x));
    }

    @Test
    void noSteadyStateAllocation() {
        // One function per saved tensor (output, input, none). Some kernels allocate on their own
        // for now (sigmoid, tanh and GELU-tanh forward box vectors, about 12 KB per 1024 floats,
        // measured with Allocations), which would hide what this checks: the layer's own code.
        Tensor x = awayFromKinks(SEED + 5, 16, 64);
        Tensor g = awayFromKinks(SEED + 6, 16, 64);
        ActivationLayer relu = ActivationLayer.relu();
        ActivationLayer leaky = ActivationLayer.leakyRelu(0.1f);
        ActivationLayer identity = ActivationLayer.identity();
        assertEquals(0, Allocations.steadyState(() -> {
            relu.forward(x, true);
            relu.backward(g);
            leaky.forward(x, true);
            leaky.backward(g);
            identity.forward(x, true);
            identity.backward(g);
        }, 2000, 100));
    }
}
