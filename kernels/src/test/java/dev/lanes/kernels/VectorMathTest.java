package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.describe;
import static dev.lanes.kernels.FloatTesting.ulps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.kernels.panama.math.PanamaMath;
import dev.lanes.kernels.scalar.ScalarFunctions;
import dev.lanes.kernels.scalar.ScalarMath;
import dev.lanes.kernels.spi.MathKernel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Accuracy of the vector transcendental functions against StrictMath (erf and erfc against the
 * double series of ScalarFunctions, itself checked against mpmath values), over dense sweeps and
 * at the edges. The bounds are the ones stated in VectorMath's javadoc: the maxima of a one-off
 * exhaustive run over every finite float (too slow for a unit test), which no sweep can exceed.
 */
@Tag("panama")
class VectorMathTest {
    /** One function: the kernel entry point, the double reference, and the stated bound in ulps. */
    record Function(String name, ArrayFunction kernel, DoubleUnaryOperator exact, double boundUlps) {
        void apply(MathKernel implementation, float[] out, float[] in) {
            kernel.apply(implementation, out, 0, in, 0, in.length);
        }
    }

    @FunctionalInterface
    interface ArrayFunction {
        void apply(MathKernel kernel, float[] out, int offOut, float[] in, int offIn, int length);
    }

    static final List<Function> FUNCTIONS = List.of(
            new Function("exp", MathKernel::exp, StrictMath::exp, 1.06),
            new Function("expm1", MathKernel::expm1, StrictMath::expm1, 1.65),
            new Function("log", MathKernel::log, StrictMath::log, 0.92),
            new Function("log1p", MathKernel::log1p, StrictMath::log1p, 1.44),
            new Function("tanh", MathKernel::tanh, StrictMath::tanh, 2.42),
            new Function("sigmoid", MathKernel::sigmoid, ScalarFunctions::sigmoid, 2.41),
            new Function("erf", MathKernel::erf, ScalarFunctions::erf, 3.16),
            new Function("erfc", MathKernel::erfc, ScalarFunctions::erfc, 5.9));

    private final MathKernel panama = new PanamaMath();
    private final MathKernel scalar = new ScalarMath();

    @Test
    void facadeUsesPanama() {
        assertEquals("PanamaMath", VectorMath.implementation());
    }

    /** Every 2^-12 step of [-88, 88]: 720,897 points per function. */
    @Test
    void denseSweepOfMinus88To88() {
        int n = 176 * 4096 + 1;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -88f + i / 4096f;
        }
        for (Function f : FUNCTIONS) {
            checkAccuracy(f, x, "sweep [-88, 88]");
        }
    }

    /** Every 4099th bit pattern of both signs: all binades, subnormals and the extremes. */
    @Test
    void sweepOfAllBinades() {
        int count = 0x7F800000 / 4099;
        float[] x = new float[2 * count];
        for (int i = 0; i < count; i++) {
            x[2 * i] = Float.intBitsToFloat(i * 4099 + 1);
            x[2 * i + 1] = -x[2 * i];
        }
        for (Function f : FUNCTIONS) {
            checkAccuracy(f, x, "binade sweep");
        }
    }

    @Test
    void edgesAndThresholds() {
        float[] x = {
            0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            88.72283f, 88.72284f, 89f, -87.33654f, -87.33655f, -103.27893f, -103.97208f, -103.97209f, -104f, -150f,
            -17.32868f, -17.33f, 9.010913f, -9.010913f, 16.635532f, 3.9192059f, 10.0541f, 10.06f, -1f, -0.99999994f,
            -1.0000001f, 1e-20f, -1e-20f, 0.5f, -0.5f, 0.49999997f, 0.50000006f, 20f, -20f, 1e30f, -1e30f,
        };
        for (Function f : FUNCTIONS) {
            checkAccuracy(f, x, "edges");
        }
    }

    @Test
    void specialValuesExactly() {
        assertValue("exp", MathKernel::exp, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertValue("exp", MathKernel::exp, Float.NEGATIVE_INFINITY, 0f);
        // The vector code saturates from its thresholds on; the scalar set rounds e^x correctly
        // (to MAX_VALUE here, and to just below 1 for sigmoid(17)).
        assertPanamaValue("exp", MathKernel::exp, 88.72284f, Float.POSITIVE_INFINITY);
        assertValue("exp", MathKernel::exp, -104f, 0f);
        assertValue("exp", MathKernel::exp, -0f, 1f);
        assertValue("expm1", MathKernel::expm1, -0f, -0f);
        assertValue("expm1", MathKernel::expm1, Float.NEGATIVE_INFINITY, -1f);
        assertValue("expm1", MathKernel::expm1, 89f, Float.POSITIVE_INFINITY);
        assertValue("log", MathKernel::log, 0f, Float.NEGATIVE_INFINITY);
        assertValue("log", MathKernel::log, -0f, Float.NEGATIVE_INFINITY);
        assertValue("log", MathKernel::log, -1f, Float.NaN);
        assertValue("log", MathKernel::log, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertValue("log", MathKernel::log, 1f, 0f);
        assertValue("log1p", MathKernel::log1p, -1f, Float.NEGATIVE_INFINITY);
        assertValue("log1p", MathKernel::log1p, -0f, -0f);
        assertValue("log1p", MathKernel::log1p, -2f, Float.NaN);
        assertValue("log1p", MathKernel::log1p, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertValue("tanh", MathKernel::tanh, -0f, -0f);
        assertValue("tanh", MathKernel::tanh, Float.POSITIVE_INFINITY, 1f);
        assertValue("tanh", MathKernel::tanh, Float.NEGATIVE_INFINITY, -1f);
        assertValue("tanh", MathKernel::tanh, 9.1f, 1f);
        assertValue("sigmoid", MathKernel::sigmoid, Float.POSITIVE_INFINITY, 1f);
        assertValue("sigmoid", MathKernel::sigmoid, Float.NEGATIVE_INFINITY, 0f);
        assertPanamaValue("sigmoid", MathKernel::sigmoid, 17f, 1f);
        assertValue("sigmoid", MathKernel::sigmoid, 0f, 0.5f);
        assertValue("erf", MathKernel::erf, -0f, -0f);
        assertValue("erf", MathKernel::erf, Float.POSITIVE_INFINITY, 1f);
        assertValue("erf", MathKernel::erf, Float.NEGATIVE_INFINITY, -1f);
        assertValue("erfc", MathKernel::erfc, Float.POSITIVE_INFINITY, 0f);
        assertValue("erfc", MathKernel::erfc, Float.NEGATIVE_INFINITY, 2f);
        assertValue("erfc", MathKernel::erfc, 0f, 1f);
        for (Function f : FUNCTIONS) {
            assertValue(f.name(), f.kernel(), Float.NaN, Float.NaN);
        }
    }

    /** The double reference for erf and erfc against mpmath 1.3.0 (40 digits). */
    @Test
    void referenceErfAgainstMpmath() {
        double[][] erf = {
            {0.1, 0.1124629160182849}, {0.5, 0.52049987781304654}, {1, 0.84270079294971487},
            {2.4, 0.99931148610335492}, {2.6, 0.99976396558347065}, {-3, -0.99997790950300141},
        };
        double[][] erfc = {
            {0.5, 0.47950012218695346}, {2.4, 6.8851389664507889e-4}, {2.6, 2.3603441652934909e-4},
            {5, 1.5374597944280349e-12}, {10, 2.0884875837625448e-45}, {-1, 1.8427007929497149},
        };
        for (double[] pair : erf) {
            assertEquals(pair[1], ScalarFunctions.erf(pair[0]), 1e-14 * Math.abs(pair[1]), "erf(" + pair[0] + ")");
        }
        for (double[] pair : erfc) {
            // 1 - erf(x) below 2.5 loses up to 2e-11 relative; still far below float resolution.
            assertEquals(pair[1], ScalarFunctions.erfc(pair[0]), 1e-10 * Math.abs(pair[1]), "erfc(" + pair[0] + ")");
        }
    }

    /** Each element gets the same code whatever the length: a prefix equals the full result bit for bit. */
    @Test
    void everyTailMatchesTheFullRun() {
        long seed = 11;
        SplittableRandom random = new SplittableRandom(seed);
        float[] full = FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, 4099, -30, 30));
        for (Function f : FUNCTIONS) {
            float[] expected = new float[full.length];
            f.apply(panama, expected, full);
            for (int n : FloatTesting.tailLengths()) {
                float[] out = FloatTesting.sentinels(n + 9);
                float[] in = FloatTesting.padded(java.util.Arrays.copyOf(full, n), 5, 3);
                f.kernel().apply(panama, out, 4, in, 5, n);
                for (int i = 0; i < out.length; i++) {
                    float want = i >= 4 && i < 4 + n ? expected[i - 4] : FloatTesting.SENTINEL;
                    if (Float.floatToIntBits(out[i]) != Float.floatToIntBits(want)) {
                        fail(f.name() + " length " + n + " index " + i + ": " + describe(out[i]) + " != "
                                + describe(want) + " (seed " + seed + ")");
                    }
                }
            }
        }
    }

    /** The scalar kernels round the double reference once: within half an ulp. */
    @Test
    void scalarIsCorrectlyRounded() {
        long seed = 12;
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, 20000, -90, 90));
        for (Function f : FUNCTIONS) {
            float[] out = new float[x.length];
            f.apply(scalar, out, x);
            for (int i = 0; i < x.length; i++) {
                double error = ulps(out[i], f.exact().applyAsDouble(x[i]));
                assertTrue(error <= 0.5, f.name() + "(" + describe(x[i]) + "): " + error + " ulp (seed " + seed + ")");
            }
        }
    }

    @Test
    void inPlaceAndErrors() {
        float[] x = {0f, 1f, -1f};
        VectorMath.exp(x, 0, x, 0, 3);
        assertArrayEquals(new float[] {1f, (float) Math.E, (float) (1 / Math.E)}, x, 1e-6f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VectorMath.tanh(new float[3], 0, new float[4], 1, 4));
        assertTrue(e.getMessage().startsWith("out is too short"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VectorMath.log(new float[4], 0, new float[3], 0, 4));
        assertTrue(e.getMessage().contains("in is too short") && e.getMessage().contains("got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VectorMath.erf(null, 0, new float[3], 0, 1));
        assertTrue(e.getMessage().contains("out must not be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VectorMath.erf(x, 0, x, 0, -1));
        assertTrue(e.getMessage().contains("length"), e.getMessage());
        float[] shared = new float[8];
        e = assertThrows(IllegalArgumentException.class, () -> VectorMath.sigmoid(shared, 1, shared, 0, 4));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }

    private void checkAccuracy(Function f, float[] x, String what) {
        float[] out = new float[x.length];
        f.apply(panama, out, x);
        double worst = 0;
        int worstAt = 0;
        for (int i = 0; i < x.length; i++) {
            double error = ulps(out[i], f.exact().applyAsDouble(x[i]));
            if (!(error <= worst)) {
                worst = error;
                worstAt = i;
            }
        }
        assertTrue(worst <= f.boundUlps(), f.name() + " " + what + ": " + worst + " ulp at x = " + describe(x[worstAt])
                + ", got " + describe(out[worstAt]) + ", exact " + f.exact().applyAsDouble(x[worstAt])
                + ", bound " + f.boundUlps());
    }

    private void assertPanamaValue(String name, ArrayFunction function, float x, float expected) {
        float[] out = {FloatTesting.SENTINEL};
        function.apply(panama, out, 0, new float[] {x}, 0, 1);
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[0]),
                name + "(" + describe(x) + ") = " + describe(out[0]) + ", expected " + describe(expected));
    }

    /** The special value from both kernels: the scalar fallback keeps the same signs and limits. */
    private void assertValue(String name, ArrayFunction function, float x, float expected) {
        for (MathKernel kernel : new MathKernel[] {panama, scalar}) {
            float[] out = {FloatTesting.SENTINEL};
            function.apply(kernel, out, 0, new float[] {x}, 0, 1);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[0]), kernel.getClass().getSimpleName()
                    + " " + name + "(" + describe(x) + ") = " + describe(out[0]) + ", expected " + describe(expected));
        }
    }
}
