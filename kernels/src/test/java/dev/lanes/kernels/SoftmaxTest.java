package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.kernels.panama.pointwise.PanamaSoftmax;
import dev.lanes.kernels.scalar.ScalarSoftmax;
import dev.lanes.kernels.spi.SoftmaxKernel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Softmax and log-softmax, forward and backward: the vector kernel against the double-precision
 * scalar one over shapes hitting every tail, with row strides and sentinels; special rows;
 * central differences; properties; thread-count independence; argument errors.
 */
@Tag("panama")
class SoftmaxTest {
    private final SoftmaxKernel panama = new PanamaSoftmax();
    private final SoftmaxKernel scalar = new ScalarSoftmax();

    @Test
    void facadeUsesPanama() {
        assertEquals("PanamaSoftmax", Softmax.implementation());
    }

    @Test
    void matchesScalarOnEveryTail() {
        long seed = 31;
        SplittableRandom random = new SplittableRandom(seed);
        for (int rows : new int[] {1, 2, 3, 7}) {
            for (int cols : FloatTesting.tailLengths()) {
                if (cols == 0) {
                    continue;
                }
                int ld = cols + random.nextInt(3);
                float[] in = FloatTesting.uniform(random, 2 + rows * ld, -20, 20);
                float[] gradOut = FloatTesting.uniform(random, 1 + rows * ld, -1, 1);
                for (boolean log : new boolean[] {false, true}) {
                    String what = (log ? "logSoftmax" : "softmax") + " (" + rows + ", " + cols + ") ld " + ld
                            + " (seed " + seed + ")";
                    float[] expected = FloatTesting.sentinels(3 + rows * ld);
                    float[] actual = FloatTesting.sentinels(3 + rows * ld);
                    scalar.softmax(log, expected, 3, ld, in, 2, ld, rows, cols);
                    panama.softmax(log, actual, 3, ld, in, 2, ld, rows, cols);
                    double sumTolerance = (4 + cols / 8.0) * 0x1p-24;
                    for (int i = 0; i < actual.length; i++) {
                        // softmax: relative to each output, plus |x - max| ulps from rounding x - max to
                        // float; log-softmax: absolute, from the log of the sum.
                        double allowed = log ? 4 * Math.ulp(expected[i]) + sumTolerance
                                : (4 + cols / 8.0 + shiftOf(in, 2, ld, cols, 3, i)) * Math.ulp(expected[i]);
                        assertClose(what + " forward index " + i, expected[i], actual[i], allowed);
                    }
                    float[] gradExpected = FloatTesting.sentinels(rows * ld + 1);
                    float[] gradActual = FloatTesting.sentinels(rows * ld + 1);
                    scalar.backward(log, gradExpected, 1, ld, gradOut, 1, ld, expected, 3, ld, rows, cols);
                    panama.backward(log, gradActual, 1, ld, gradOut, 1, ld, expected, 3, ld, rows, cols);
                    for (int i = 0; i < gradActual.length; i++) {
                        // g - sum cancels: the floor scales with |g| and the sum's terms (all below 1 here).
                        assertClose(what + " backward index " + i, gradExpected[i], gradActual[i],
                                4 * Math.ulp(gradExpected[i]) + (8 + cols / 4.0) * 0x1p-24);
                    }
                }
            }
        }
    }

    @Test
    void specialRows() {
        float inf = Float.POSITIVE_INFINITY;
        float[][] rows = {
            {1f, Float.NaN, 2f}, {1f, inf, 2f}, {-inf, -inf, -inf}, {-inf, 0f, -inf}, {1e30f, -1e30f, 1e30f},
            {88f, 100f, -200f}, {-0f, 0f, -0f},
        };
        for (float[] row : rows) {
            for (boolean log : new boolean[] {false, true}) {
                float[] expected = new float[3];
                float[] actual = new float[3];
                scalar.softmax(log, expected, 0, 3, row, 0, 3, 1, 3);
                panama.softmax(log, actual, 0, 3, row, 0, 3, 1, 3);
                for (int j = 0; j < 3; j++) {
                    assertClose((log ? "log" : "") + "softmax" + Arrays.toString(row) + "[" + j + "]", expected[j],
                            actual[j], 2 * Math.ulp(expected[j]));
                }
            }
        }
        float[] y = new float[3];
        Softmax.softmax(y, 0, 3, new float[] {1f, Float.NaN, 2f}, 0, 3, 1, 3);
        assertTrue(Float.isNaN(y[0]) && Float.isNaN(y[2]), "a NaN poisons its row: " + Arrays.toString(y));
        Softmax.softmax(y, 0, 3, new float[] {-Float.MAX_VALUE, 0f, Float.NEGATIVE_INFINITY}, 0, 3, 1, 3);
        assertEquals(0f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals(0f, y[2]);
        Softmax.logSoftmax(y, 0, 3, new float[] {0f, 0f, Float.NEGATIVE_INFINITY}, 0, 3, 1, 3);
        assertEquals(Float.NEGATIVE_INFINITY, y[2]);
        assertEquals((float) -Math.log(2), y[0], 1e-7f);
    }

    /** dL/dx of L = sum_j g_j y_j(x), by central differences of the double softmax, against backward. */
    @Test
    void backwardMatchesFiniteDifferences() {
        long seed = 32;
        SplittableRandom random = new SplittableRandom(seed);
        for (boolean log : new boolean[] {false, true}) {
            for (int cols : new int[] {1, 2, 5, 17, 40}) {
                float[] x = FloatTesting.uniform(random, cols, -3, 3);
                float[] g = FloatTesting.uniform(random, cols, -1, 1);
                float[] y = new float[cols];
                Softmax.softmax(y, 0, cols, x, 0, cols, 1, cols);
                if (log) {
                    Softmax.logSoftmax(y, 0, cols, x, 0, cols, 1, cols);
                }
                float[] grad = new float[cols];
                if (log) {
                    Softmax.logSoftmaxBackward(grad, 0, cols, g, 0, cols, y, 0, cols, 1, cols);
                } else {
                    Softmax.softmaxBackward(grad, 0, cols, g, 0, cols, y, 0, cols, 1, cols);
                }
                for (int i = 0; i < cols; i++) {
                    double h = 1e-6;
                    double[] plus = toDouble(x);
                    double[] minus = toDouble(x);
                    plus[i] += h;
                    minus[i] -= h;
                    double numeric = (loss(log, plus, g) - loss(log, minus, g)) / (2 * h);
                    assertEquals(numeric, grad[i], 1e-5 * Math.abs(numeric) + 1e-6,
                            (log ? "log" : "") + "softmax cols " + cols + " index " + i + " (seed " + seed + ")");
                }
            }
        }
    }

    @Test
    void rowsSumToOneAndLogSoftmaxIsNormalized() {
        long seed = 33;
        qt().withFixedSeed(seed).withExamples(60).forAll(integers().between(1, 300), integers().between(0, 1 << 20))
                .checkAssert((cols, dataSeed) -> {
                    float[] x = FloatTesting.uniform(new SplittableRandom(dataSeed), cols, -40, 40);
                    float[] y = new float[cols];
                    Softmax.softmax(y, 0, cols, x, 0, cols, 1, cols);
                    double sum = 0;
                    double logSum = 0;
                    for (float v : y) {
                        sum += v;
                    }
                    Softmax.logSoftmax(y, 0, cols, x, 0, cols, 1, cols);
                    for (float v : y) {
                        logSum += Math.exp(v);
                        assertTrue(v <= 0, "log-softmax above 0: " + v + " (seed " + seed + ", data " + dataSeed + ")");
                    }
                    double tolerance = (4 + cols / 4.0) * 0x1p-24;
                    String where = "cols " + cols + " (seed " + seed + ", data " + dataSeed + ")";
                    assertEquals(1, sum, tolerance, "softmax sum, " + where);
                    assertEquals(1, logSum, tolerance, "exp(logSoftmax) sum, " + where);
                });
    }

    @Test
    void sameBitsForAnyThreadCount() {
        long seed = 34;
        SplittableRandom random = new SplittableRandom(seed);
        int rows = 300;
        int cols = 999;
        float[] x = FloatTesting.uniform(random, rows * cols, -10, 10);
        float[] g = FloatTesting.uniform(random, rows * cols, -1, 1);
        float[][] reference = null;
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3, 7}) {
                Parallel.setThreads(threads);
                float[] y = new float[x.length];
                float[] logY = new float[x.length];
                float[] dx = new float[x.length];
                float[] logDx = new float[x.length];
                Softmax.softmax(y, 0, cols, x, 0, cols, rows, cols);
                Softmax.logSoftmax(logY, 0, cols, x, 0, cols, rows, cols);
                Softmax.softmaxBackward(dx, 0, cols, g, 0, cols, y, 0, cols, rows, cols);
                Softmax.logSoftmaxBackward(logDx, 0, cols, g, 0, cols, logY, 0, cols, rows, cols);
                float[][] results = {y, logY, dx, logDx};
                if (reference == null) {
                    reference = results;
                }
                for (int k = 0; k < results.length; k++) {
                    assertTrue(Arrays.equals(reference[k], results[k]),
                            "output " + k + " differs with " + threads + " threads (seed " + seed + ")");
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void inPlace() {
        long seed = 35;
        SplittableRandom random = new SplittableRandom(seed);
        int rows = 3;
        int cols = 37;
        float[] x = FloatTesting.uniform(random, rows * cols, -5, 5);
        float[] g = FloatTesting.uniform(random, rows * cols, -1, 1);
        for (boolean log : new boolean[] {false, true}) {
            float[] y = new float[x.length];
            float[] inPlace = x.clone();
            float[] dx = new float[x.length];
            float[] overGradient = g.clone();
            if (log) {
                Softmax.logSoftmax(y, 0, cols, x, 0, cols, rows, cols);
                Softmax.logSoftmax(inPlace, 0, cols, inPlace, 0, cols, rows, cols);
                Softmax.logSoftmaxBackward(dx, 0, cols, g, 0, cols, y, 0, cols, rows, cols);
                Softmax.logSoftmaxBackward(overGradient, 0, cols, overGradient, 0, cols, y, 0, cols, rows, cols);
            } else {
                Softmax.softmax(y, 0, cols, x, 0, cols, rows, cols);
                Softmax.softmax(inPlace, 0, cols, inPlace, 0, cols, rows, cols);
                Softmax.softmaxBackward(dx, 0, cols, g, 0, cols, y, 0, cols, rows, cols);
                Softmax.softmaxBackward(overGradient, 0, cols, overGradient, 0, cols, y, 0, cols, rows, cols);
            }
            String what = (log ? "log" : "") + "softmax";
            assertTrue(Arrays.equals(y, inPlace), what + " in place (seed " + seed + ")");
            assertTrue(Arrays.equals(dx, overGradient), what + " backward in place (seed " + seed + ")");
        }
    }

    @Test
    void argumentErrors() {
        float[] a = new float[12];
        assertMessage(() -> Softmax.softmax(a, 0, 2, a, 0, 3, 2, 3), "ldOut must be at least max(1, 3), got 2");
        assertMessage(() -> Softmax.logSoftmax(a, 0, 3, new float[5], 0, 3, 2, 3), "in is too short");
        assertMessage(() -> Softmax.softmax(a, 0, 3, a, 0, 3, -1, 3), "rows must be non-negative, got -1");
        assertMessage(() -> Softmax.softmaxBackward(a, 0, 3, a, 0, 3, null, 0, 3, 2, 3), "out must not be null");
        assertMessage(() -> Softmax.logSoftmaxBackward(a, 0, 3, new float[4], 0, 3, a, 0, 3, 2, 3),
                "gradOut is too short");
        Softmax.softmax(a, 0, 3, a, 0, 3, 0, 3);
        Softmax.softmax(new float[0], 0, 1, new float[0], 0, 1, 5, 0);
    }

    private static void assertMessage(Runnable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    private static void assertClose(String what, float expected, float actual, double allowed) {
        boolean same = Float.floatToIntBits(expected) == Float.floatToIntBits(actual);
        if (!same && !(Math.abs((double) expected - actual) <= allowed)) {
            fail(what + ": " + describe(actual) + ", expected " + describe(expected) + " within " + allowed);
        }
    }

    /** |x - rowMax| for output index i of a matrix at offset outOffset (0 outside the matrix). */
    private static double shiftOf(float[] in, int inOffset, int ld, int cols, int outOffset, int i) {
        int r = Math.floorDiv(i - outOffset, ld);
        int j = i - outOffset - r * ld;
        if (r < 0 || j >= cols || inOffset + r * ld + cols > in.length) {
            return 0;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < cols; k++) {
            max = Math.max(max, in[inOffset + r * ld + k]);
        }
        return Math.abs(in[inOffset + r * ld + j] - max);
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** sum_j g_j softmax(x)_j (or log-softmax), in double. */
    private static double loss(boolean log, double[] x, float[] g) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        double loss = 0;
        for (int j = 0; j < x.length; j++) {
            loss += g[j] * (log ? x[j] - max - Math.log(sum) : Math.exp(x[j] - max) / sum);
        }
        return loss;
    }
}
