package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.describe;
import static dev.lanes.kernels.FloatTesting.ulps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.kernels.Activation.Kind;
import dev.lanes.kernels.panama.pointwise.PanamaActivations;
import dev.lanes.kernels.scalar.ScalarActivations;
import dev.lanes.kernels.spi.ActivationKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The vector activations against the double-precision reference: forward within the ulp bounds
 * stated in Activations' javadoc, backward within a few ulps plus a floor proportional to the
 * upstream gradient (where a derivative is a difference of similar terms), every tail, special
 * values; and the backward formulas against central differences of the forward in double.
 */
@Tag("panama")
class ActivationsTest {
    /** Every kind, the parameterized ones with several parameters. */
    static final List<Activation> ALL = List.of(
            Activation.STEP, Activation.IDENTITY, Activation.SIGMOID, Activation.TANH, Activation.RELU,
            Activation.LEAKY_RELU, Activation.leakyRelu(0.2f), Activation.leakyRelu(-0.3f), Activation.ELU,
            Activation.elu(0.5f), Activation.elu(0f), Activation.SELU, Activation.GELU_TANH, Activation.GELU_ERF,
            Activation.SOFTPLUS, Activation.SOFTSIGN, Activation.HARD_SIGMOID, Activation.HARD_SWISH,
            Activation.MISH, Activation.CELU, Activation.celu(0.3f), Activation.celu(2.5f),
            Activation.THRESHOLDED_RELU, Activation.thresholdedRelu(-0.5f), Activation.thresholdedRelu(0f));

    private final ActivationKernel panama = new PanamaActivations();

    /** The stated forward bound, in ulps, at x. */
    static double forwardBound(Kind kind, float x) {
        return switch (kind) {
            // Correctly rounded (one float operation at most).
            case STEP, IDENTITY, RELU, LEAKY_RELU, THRESHOLDED_RELU -> 0.5;
            case HARD_SIGMOID, SOFTSIGN -> 1.5;
            case HARD_SWISH -> 2;
            // e^x from e^(x/2) squared: full precision where e^x is subnormal.
            case MISH -> 5;
            case CELU -> 2;
            case SIGMOID, TANH, SOFTPLUS -> 2.5;
            case ELU, SELU -> 3;
            case GELU_ERF -> 6;
            // For x < 0 GELU-tanh's relative condition number is about |v| with
            // v = 2 sqrt(2/pi) (x + 0.044715 x^3): a rounding of v moves the result by |v| 2^-24,
            // and v takes about three.
            case GELU_TANH -> !(x < 0) ? 3 : 3 + 3 * Math.abs(1.5957691216057308 * (x + 0.044715 * x * x * x));
        };
    }

    /** Backward: ulps of the reference plus a floor times |g| (for derivatives that cancel). */
    static double[] backwardBound(Kind kind) {
        return switch (kind) {
            case STEP, IDENTITY, RELU, LEAKY_RELU, THRESHOLDED_RELU -> new double[] {0.5, 0};
            case HARD_SWISH -> new double[] {2, 0};
            // y / alpha + 1 cancels near saturation, as ELU's y + alpha.
            case CELU -> new double[] {2, 0x1p-22};
            // Mish's derivative crosses zero at x = -1.19.
            case MISH -> new double[] {2, 0x1p-22};
            case HARD_SIGMOID -> new double[] {1, 0};
            case SIGMOID, TANH -> new double[] {1.5, 0};
            case SOFTSIGN -> new double[] {4, 0};
            case SOFTPLUS -> new double[] {3.5, 0};
            // y + alpha cancels where y is near -alpha: the floor is one ulp of alpha.
            case ELU, SELU -> new double[] {2, 0x1p-22};
            case GELU_TANH, GELU_ERF -> new double[] {8, 0x1p-22};
        };
    }

    @Test
    void facadeUsesPanama() {
        assertEquals("PanamaActivations", Activations.implementation());
    }

    @Test
    void forwardAccuracyOverSweeps() {
        float[] x = sweepPoints();
        for (Activation a : ALL) {
            float[] y = new float[x.length];
            panama.forward(a.kind(), a.parameter(), y, 0, x, 0, x.length);
            double worst = 0;
            int worstAt = 0;
            for (int i = 0; i < x.length; i++) {
                double exact = ScalarActivations.value(a.kind(), a.parameter(), x[i]);
                double ratio = ulps(y[i], exact) / Math.max(forwardBound(a.kind(), x[i]), 0x1p-30);
                if (!(ratio <= worst)) {
                    worst = ratio;
                    worstAt = i;
                }
            }
            assertTrue(worst <= 1, a + " forward: " + ulps(y[worstAt], ScalarActivations.value(a.kind(),
                    a.parameter(), x[worstAt])) + " ulp at x = " + describe(x[worstAt]) + ", got "
                    + describe(y[worstAt])
                    + ", exact " + ScalarActivations.value(a.kind(), a.parameter(), x[worstAt]));
        }
    }

    @Test
    void backwardAccuracyOverSweeps() {
        long seed = 21;
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = sweepPoints();
        float[] g = FloatTesting.uniform(random, x.length, -2, 2);
        for (Activation a : ALL) {
            float[] saved = savedFor(a, x);
            float[] dx = new float[x.length];
            panama.backward(a.kind(), a.parameter(), dx, 0, g, 0, saved, 0, x.length);
            double[] bound = backwardBound(a.kind());
            for (int i = 0; i < x.length; i++) {
                double exact = ScalarActivations.gradient(a.kind(), a.parameter(), g[i], saved[i]);
                double allowed = bound[0] * Math.ulp((float) exact) + bound[1] * Math.abs(g[i]);
                if (!(Math.abs(dx[i] - exact) <= allowed) && !(Double.isNaN(exact) && Float.isNaN(dx[i]))) {
                    fail(a + " backward at x = " + describe(x[i]) + ", saved " + describe(saved[i]) + ", g " + g[i]
                            + ": " + describe(dx[i]) + ", exact " + exact + ", allowed " + allowed
                            + " (seed " + seed + ")");
                }
            }
        }
    }

    /** Every length through two vectors and beyond, at offsets, with sentinels around the output. */
    @Test
    void everyTailAndOffsetMatchesTheFullRun() {
        long seed = 22;
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, 4099, -12, 12));
        float[] g = FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, 4099, -2, 2));
        for (Activation a : ALL) {
            float[] y = new float[x.length];
            panama.forward(a.kind(), a.parameter(), y, 0, x, 0, x.length);
            float[] saved = a.saved() == Activation.Saved.OUTPUT ? y : x;
            float[] dx = new float[x.length];
            panama.backward(a.kind(), a.parameter(), dx, 0, g, 0, saved, 0, x.length);
            for (int n : FloatTesting.tailLengths()) {
                float[] out = FloatTesting.sentinels(n + 7);
                panama.forward(a.kind(), a.parameter(), out, 3, FloatTesting.padded(Arrays.copyOf(x, n), 2, 1), 2, n);
                assertSpan(a + " forward length " + n + " (seed " + seed + ")", out, 3, y, n);
                float[] grad = FloatTesting.sentinels(n + 7);
                panama.backward(a.kind(), a.parameter(), grad, 1, FloatTesting.padded(Arrays.copyOf(g, n), 4, 0), 4,
                        FloatTesting.padded(Arrays.copyOf(saved, n), 1, 2), 1, n);
                assertSpan(a + " backward length " + n + " (seed " + seed + ")", grad, 1, dx, n);
            }
        }
    }

    @Test
    void specialValues() {
        assertForward(Activation.RELU, Float.NaN, Float.NaN);
        assertForward(Activation.RELU, -0f, 0f);
        assertForward(Activation.RELU, Float.NEGATIVE_INFINITY, 0f);
        assertForward(Activation.STEP, Float.NaN, Float.NaN);
        assertForward(Activation.STEP, 0f, 0f);
        assertForward(Activation.STEP, Float.MIN_VALUE, 1f);
        assertForward(Activation.LEAKY_RELU, -0f, -0f);
        assertForward(Activation.SIGMOID, Float.POSITIVE_INFINITY, 1f);
        assertForward(Activation.SIGMOID, Float.NEGATIVE_INFINITY, 0f);
        assertForward(Activation.TANH, Float.NEGATIVE_INFINITY, -1f);
        assertForward(Activation.TANH, -0f, -0f);
        assertForward(Activation.GELU_TANH, Float.NEGATIVE_INFINITY, -0f);
        assertForward(Activation.GELU_TANH, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertForward(Activation.GELU_ERF, Float.NEGATIVE_INFINITY, -0f);
        assertForward(Activation.GELU_ERF, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertForward(Activation.SOFTSIGN, Float.POSITIVE_INFINITY, 1f);
        assertForward(Activation.SOFTSIGN, Float.NEGATIVE_INFINITY, -1f);
        assertForward(Activation.SOFTPLUS, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertForward(Activation.SOFTPLUS, Float.NEGATIVE_INFINITY, 0f);
        assertForward(Activation.ELU, Float.NEGATIVE_INFINITY, -1f);
        float seluFloor = (float) (-Activation.SELU_LAMBDA * Activation.SELU_ALPHA);
        assertForward(Activation.SELU, Float.NEGATIVE_INFINITY, seluFloor);
        assertForward(Activation.HARD_SIGMOID, Float.NEGATIVE_INFINITY, 0f);
        assertForward(Activation.HARD_SIGMOID, 3f, 1f);
        // Zero derivative beats an infinite upstream gradient; a NaN saved value gives NaN.
        assertBackward(Activation.RELU, Float.POSITIVE_INFINITY, 0f, 0f);
        assertBackward(Activation.RELU, 2f, Float.NaN, Float.NaN);
        assertBackward(Activation.RELU, 2f, 1f, 2f);
        assertBackward(Activation.LEAKY_RELU, 2f, Float.NaN, Float.NaN);
        assertBackward(Activation.HARD_SIGMOID, 2f, Float.NaN, Float.NaN);
        assertBackward(Activation.HARD_SIGMOID, 6f, 1f, 0f);
        assertBackward(Activation.STEP, Float.NaN, 1f, 0f);
        assertBackward(Activation.GELU_TANH, 1f, Float.POSITIVE_INFINITY, 1f);
        assertBackward(Activation.GELU_TANH, 1f, Float.NEGATIVE_INFINITY, 0f);
        assertBackward(Activation.GELU_ERF, 1f, Float.POSITIVE_INFINITY, 1f);
        assertBackward(Activation.GELU_ERF, 1f, Float.NEGATIVE_INFINITY, 0f);
        assertBackward(Activation.SOFTSIGN, 1f, Float.POSITIVE_INFINITY, 0f);
        assertBackward(Activation.SIGMOID, 1f, Float.NaN, Float.NaN);
        assertSpecialValuesOfTheOnnxActivations();
    }

    private void assertSpecialValuesOfTheOnnxActivations() {
        for (Activation a : List.of(Activation.HARD_SWISH, Activation.MISH, Activation.CELU,
                Activation.THRESHOLDED_RELU)) {
            assertForward(a, Float.NaN, Float.NaN);
            assertBackward(a, 1f, Float.NaN, Float.NaN);
        }
        assertForward(Activation.HARD_SWISH, Float.NEGATIVE_INFINITY, -0f);
        assertForward(Activation.HARD_SWISH, -3f, -0f);
        assertForward(Activation.HARD_SWISH, -0f, -0f);
        assertForward(Activation.HARD_SWISH, 0f, 0f);
        assertForward(Activation.HARD_SWISH, 3f, 3f);
        assertForward(Activation.HARD_SWISH, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertBackward(Activation.HARD_SWISH, Float.POSITIVE_INFINITY, -4f, 0f);
        assertBackward(Activation.HARD_SWISH, 2f, 3f, 3f);
        assertBackward(Activation.HARD_SWISH, 2f, -3f, -1f);
        assertBackward(Activation.HARD_SWISH, 2f, Float.POSITIVE_INFINITY, 2f);
        assertForward(Activation.MISH, Float.NEGATIVE_INFINITY, -0f);
        assertForward(Activation.MISH, -0f, -0f);
        assertForward(Activation.MISH, 0f, 0f);
        assertForward(Activation.MISH, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertBackward(Activation.MISH, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f);
        assertBackward(Activation.MISH, 2f, Float.POSITIVE_INFINITY, 2f);
        assertForward(Activation.celu(0.5f), Float.NEGATIVE_INFINITY, -0.5f);
        assertForward(Activation.CELU, -0f, -0f);
        assertForward(Activation.CELU, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertBackward(Activation.celu(0.5f), 2f, -0.25f, 1f);
        assertForward(Activation.THRESHOLDED_RELU, 1f, 0f);
        assertForward(Activation.THRESHOLDED_RELU, Math.nextUp(1f), Math.nextUp(1f));
        assertForward(Activation.thresholdedRelu(-1f), -0f, -0f);
        assertForward(Activation.THRESHOLDED_RELU, Float.NEGATIVE_INFINITY, 0f);
        assertForward(Activation.THRESHOLDED_RELU, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertBackward(Activation.THRESHOLDED_RELU, Float.POSITIVE_INFINITY, 1f, 0f);
        assertBackward(Activation.THRESHOLDED_RELU, 2f, Math.nextUp(1f), 2f);
    }

    /**
     * In place (out = in, gradIn = gradOut or gradIn = saved) and in disjoint regions of one array
     * give the same bits as separate arrays.
     */
    @Test
    void inPlaceMatchesSeparateArrays() {
        long seed = 24;
        SplittableRandom random = new SplittableRandom(seed);
        int n = 1500;
        float[] x = FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, n, -12, 12));
        float[] g = FloatTesting.uniform(random, n, -2, 2);
        for (Activation a : ALL) {
            float[] y = new float[n];
            a.forward(y, 0, x, 0, n);
            float[] inPlace = x.clone();
            a.forward(inPlace, 0, inPlace, 0, n);
            assertTrue(Arrays.equals(y, inPlace), a + " forward in place (seed " + seed + ")");
            float[] saved = a.saved() == Activation.Saved.OUTPUT ? y : x;
            float[] dx = new float[n];
            a.backward(dx, 0, g, 0, saved, 0, n);
            float[] overGradient = g.clone();
            a.backward(overGradient, 0, overGradient, 0, saved, 0, n);
            assertTrue(Arrays.equals(dx, overGradient), a + " backward into gradOut (seed " + seed + ")");
            float[] overSaved = saved.clone();
            a.backward(overSaved, 0, g, 0, overSaved, 0, n);
            assertTrue(Arrays.equals(dx, overSaved), a + " backward into saved (seed " + seed + ")");
            float[] shared = Arrays.copyOf(x, 2 * n + 3);
            a.forward(shared, n + 3, shared, 0, n);
            assertTrue(Arrays.equals(y, Arrays.copyOfRange(shared, n + 3, 2 * n + 3)),
                    a + " forward into the same array past the input (seed " + seed + ")");
            float[] sharedGradient = Arrays.copyOf(g, 2 * n + 3);
            a.backward(sharedGradient, n + 3, sharedGradient, 0, saved, 0, n);
            assertTrue(Arrays.equals(dx, Arrays.copyOfRange(sharedGradient, n + 3, 2 * n + 3)),
                    a + " backward into the same array past gradOut (seed " + seed + ")");
        }
    }

    /** Finite inputs give finite outputs and, with finite upstream gradients, finite gradients. */
    @Test
    void finiteInputsNeverGiveNaN() {
        float[] x = FloatTesting.SPECIALS.clone();
        x = Arrays.copyOf(x, x.length + 1);
        x[x.length - 1] = 88.8f;
        for (Activation a : ALL) {
            float[] y = new float[x.length];
            panama.forward(a.kind(), a.parameter(), y, 0, x, 0, x.length);
            float[] saved = a.saved() == Activation.Saved.OUTPUT ? y : x;
            float[] dx = new float[x.length];
            float[] g = new float[x.length];
            Arrays.fill(g, 0.75f);
            panama.backward(a.kind(), a.parameter(), dx, 0, g, 0, saved, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                if (Float.isFinite(x[i])) {
                    assertFalse(Float.isNaN(y[i]), a + "(" + describe(x[i]) + ") is NaN");
                    assertFalse(Float.isNaN(dx[i]), a + "'(" + describe(x[i]) + ") is NaN");
                }
            }
        }
    }

    /** Central differences of the double forward, away from kinks, against the float backward (g = 1). */
    @Test
    void backwardMatchesFiniteDifferences() {
        long seed = 23;
        SplittableRandom random = new SplittableRandom(seed);
        List<Float> points = new ArrayList<>();
        while (points.size() < 400) {
            float x = (float) random.nextDouble(-6, 6);
            // Kinks: 0 (ReLU family, step), ±3 (hard sigmoid, hard swish), 1 and -0.5 (the thresholds).
            if (Math.abs(x) > 1e-2 && Math.abs(Math.abs(x) - 3) > 1e-2 && Math.abs(x - 1) > 1e-2
                    && Math.abs(x + 0.5) > 1e-2) {
                points.add(x);
            }
        }
        float[] x = new float[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i);
        }
        float[] ones = new float[x.length];
        Arrays.fill(ones, 1f);
        for (Activation a : ALL) {
            float[] dx = new float[x.length];
            panama.backward(a.kind(), a.parameter(), dx, 0, ones, 0, savedFor(a, x), 0, x.length);
            for (int i = 0; i < x.length; i++) {
                double h = 1e-6 * Math.max(1, Math.abs(x[i]));
                double numeric = (ScalarActivations.value(a.kind(), a.parameter(), x[i] + h)
                        - ScalarActivations.value(a.kind(), a.parameter(), x[i] - h)) / (2 * h);
                double tolerance = 1e-5 * Math.abs(numeric) + 1e-6;
                assertEquals(numeric, dx[i], tolerance, a + "'(" + x[i] + ") (seed " + seed + ")");
            }
        }
    }

    private static float[] sweepPoints() {
        // About a million points: [-30, 30] in steps of 2^-14, then every binade.
        int dense = 60 * 16384 + 1;
        int binades = 0x7F800000 / 65521;
        // The floats beside hard sigmoid's knees at -3 and 3 (the dense grid holds the knees).
        float[] knees = {Math.nextDown(-3f), Math.nextUp(-3f), Math.nextDown(3f), Math.nextUp(3f)};
        float[] x = new float[dense + 2 * binades + FloatTesting.SPECIALS.length + knees.length];
        for (int i = 0; i < dense; i++) {
            x[i] = -30f + i / 16384f;
        }
        for (int i = 0; i < binades; i++) {
            x[dense + 2 * i] = Float.intBitsToFloat(i * 65521 + 1);
            x[dense + 2 * i + 1] = -x[dense + 2 * i];
        }
        System.arraycopy(FloatTesting.SPECIALS, 0, x, dense + 2 * binades, FloatTesting.SPECIALS.length);
        System.arraycopy(knees, 0, x, x.length - knees.length, knees.length);
        return x;
    }

    /** What backward reads: x itself, or the (vector) forward output. */
    private float[] savedFor(Activation a, float[] x) {
        if (a.saved() != Activation.Saved.OUTPUT) {
            return x;
        }
        float[] y = new float[x.length];
        panama.forward(a.kind(), a.parameter(), y, 0, x, 0, x.length);
        return y;
    }

    private static void assertSpan(String what, float[] out, int offset, float[] expected, int n) {
        for (int i = 0; i < out.length; i++) {
            float want = i >= offset && i < offset + n ? expected[i - offset] : FloatTesting.SENTINEL;
            if (Float.floatToIntBits(out[i]) != Float.floatToIntBits(want)) {
                fail(what + " index " + i + ": " + describe(out[i]) + " != " + describe(want));
            }
        }
    }

    private void assertForward(Activation a, float x, float expected) {
        float[] y = {FloatTesting.SENTINEL};
        a.forward(y, 0, new float[] {x}, 0, 1);
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(y[0]),
                a + "(" + describe(x) + ") = " + describe(y[0]) + ", expected " + describe(expected));
    }

    private void assertBackward(Activation a, float g, float saved, float expected) {
        float[] dx = {FloatTesting.SENTINEL};
        a.backward(dx, 0, new float[] {g}, 0, new float[] {saved}, 0, 1);
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(dx[0]),
                a + " backward(g " + g + ", saved " + describe(saved) + ") = " + describe(dx[0]) + ", expected "
                        + describe(expected));
    }
}
