package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.kernels.panama.pointwise.PanamaReductions;
import dev.lanes.kernels.scalar.ScalarReductions;
import dev.lanes.kernels.spi.ReductionKernel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reductions: sums and dot products within the documented bound of the exact result, max, min
 * and argmax bit-exact against the scalar reference, with NaN, signed zeros and ties; the same bits
 * for thread counts 1, 2, 3 and 7; argument errors.
 */
@Tag("panama")
class ReductionsTest {
    private final ReductionKernel panama = new PanamaReductions();
    private final ReductionKernel scalar = new ScalarReductions();

    @Test
    void facadeUsesPanama() {
        assertEquals("PanamaReductions", Reductions.implementation());
    }

    /** The documented bound: (1024 / (4L) + log2(4L) + 1) 2^-24 sum|x_i|, plus the final rounding to float. */
    static double sumBound(double magnitude, double exact) {
        int lanes = FloatTesting.lanes();
        double chain = 1024.0 / (4 * lanes) + 31 - Integer.numberOfLeadingZeros(4 * lanes) + 1;
        return chain * 0x1p-24 * magnitude + Math.ulp((float) exact);
    }

    @Test
    void sumAndDotWithinTheBoundOnEveryTail() {
        long seed = 51;
        SplittableRandom random = new SplittableRandom(seed);
        int[] lengths = FloatTesting.tailLengths();
        int[] more = {70001, 200003};
        for (int k = 0; k < lengths.length + more.length; k++) {
            int n = k < lengths.length ? lengths[k] : more[k - lengths.length];
            float[] x = FloatTesting.padded(FloatTesting.uniform(random, n, -1, 3), 3, 1);
            float[] y = FloatTesting.padded(FloatTesting.uniform(random, n, -2, 2), 2, 0);
            double exactSum = scalar.sum(x, 3, 1, n);
            double exactDot = scalar.dot(x, 3, 1, y, 2, 1, n);
            double absSum = 0;
            double absDot = 0;
            for (int i = 0; i < n; i++) {
                absSum += Math.abs(x[3 + i]);
                absDot += Math.abs((double) x[3 + i] * y[2 + i]);
            }
            float sum = Reductions.sum(x, 3, n);
            float dot = Reductions.dot(x, 3, y, 2, n);
            assertEquals(exactSum, sum, sumBound(absSum, exactSum), "sum, length " + n + " (seed " + seed + ")");
            assertEquals(exactDot, dot, sumBound(absDot, exactDot), "dot, length " + n + " (seed " + seed + ")");
            if (n > 0) {
                assertEquals((float) (exactSum / n), Reductions.mean(x, 3, n), sumBound(absSum, exactSum) / n
                        + Math.ulp((float) (exactSum / n)), "mean, length " + n + " (seed " + seed + ")");
            }
        }
        assertTrue(Float.isNaN(Reductions.mean(new float[0], 0, 0)), "mean of nothing is NaN");
        assertEquals(0f, Reductions.sum(new float[0], 0, 0));
    }

    @Test
    void maxAndArgmaxMatchScalarWithSpecials() {
        long seed = 52;
        SplittableRandom random = new SplittableRandom(seed);
        for (int n : FloatTesting.tailLengths()) {
            if (n == 0) {
                continue;
            }
            for (int trial = 0; trial < 4; trial++) {
                float[] x = FloatTesting.uniform(random, n, -4, 4);
                if (trial == 1) {
                    FloatTesting.sprinkleSpecials(random, x);
                } else if (trial == 2) {
                    // Many ties, signed zeros.
                    for (int i = 0; i < n; i++) {
                        x[i] = random.nextBoolean() ? 0f : (random.nextBoolean() ? -0f : -1f);
                    }
                } else if (trial == 3) {
                    x[random.nextInt(n)] = Float.NaN;
                    x[random.nextInt(n)] = Float.intBitsToFloat(0xFFC00001);
                }
                String what = "length " + n + " trial " + trial + " (seed " + seed + ")";
                assertEquals(scalar.argmax(x, 0, 1, n), Reductions.argmax(x, 0, n), "argmax " + what);
                assertEquals(Float.floatToIntBits(scalar.max(x, 0, 1, n)),
                        Float.floatToIntBits(Reductions.max(x, 0, n)),
                        "max " + what);
                assertEquals(Float.floatToIntBits(scalar.min(x, 0, 1, n)),
                        Float.floatToIntBits(Reductions.min(x, 0, n)),
                        "min " + what);
                assertEquals(Float.floatToIntBits(scalar.min(x, 0, 1, n)),
                        Float.floatToIntBits(panama.min(x, 0, 1, n)),
                        "panama min " + what);
                int index = Reductions.argmax(x, 0, n);
                float max = Reductions.max(x, 0, n);
                assertTrue(Float.compare(x[index], max) == 0, "x[argmax] " + describe(x[index]) + " vs max "
                        + describe(max) + " " + what);
            }
        }
    }

    @Test
    void argmaxSemantics() {
        float nan = Float.NaN;
        assertEquals(1, Reductions.argmax(new float[] {1f, nan, 5f, nan}, 0, 4), "first NaN");
        float negativeNaN = Float.intBitsToFloat(0xFFC00000);
        assertEquals(3, Reductions.argmax(new float[] {1f, 2f, Float.POSITIVE_INFINITY, negativeNaN}, 0, 4),
                "a NaN with the sign bit set is still the largest");
        assertEquals(1, Reductions.argmax(new float[] {-0f, 0f, -0f, 0f}, 0, 4), "+0 above -0, first of ties");
        assertEquals(0, Reductions.argmax(new float[] {-0f, -0f}, 0, 2), "ties pick the first");
        assertEquals(2, Reductions.argmax(new float[] {3f, 7f, 9f, 9f, 9f}, 0, 5), "ties pick the first");
        assertEquals(0, Reductions.argmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 0, 2));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(Reductions.max(new float[] {-0f, 0f, -0f}, 0, 3)));
        assertTrue(Float.isNaN(Reductions.max(new float[] {1f, nan, 5f}, 0, 3)));
        // Strided: stride -1 walks backwards from the offset.
        assertEquals(2, Reductions.argmax(new float[] {9f, 8f, 1f}, 2, -1, 3), "element i at 2 - i");
        assertEquals(7.5f, Reductions.sum(new float[] {2.5f}, 0, 0, 3), "stride 0 repeats one element");
        assertEquals(2f * 4 + 3 * 5, Reductions.dot(new float[] {2f, 0f, 3f}, 0, 2, new float[] {5f, 4f}, 1, -1, 2));
        int n = (1 << 20) + 5000;
        float[] big = new float[n];
        big[n - 3] = 1f;
        big[70000] = 1f;
        assertEquals(70000, Reductions.argmax(big, 0, n), "first maximum across chunks");
        big[(1 << 20) + 17] = nan;
        assertEquals((1 << 20) + 17, Reductions.argmax(big, 0, n), "NaN in a later chunk wins");
    }

    @Test
    void minSemantics() {
        float nan = Float.NaN;
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Reductions.min(new float[] {0f, -0f, 0f}, 0, 3)),
                "-0 below +0");
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Reductions.min(new float[] {-0f, 0f}, 0, 2)),
                "-0 below +0, either order");
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(Reductions.min(new float[] {0f, 0f}, 0, 2)));
        assertTrue(Float.isNaN(Reductions.min(new float[] {1f, nan, -5f}, 0, 3)), "NaN propagates");
        assertTrue(Float.isNaN(Reductions.min(new float[] {Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xFFC00000)},
                0, 2)), "a NaN with the sign bit set propagates too");
        assertEquals(Float.NEGATIVE_INFINITY,
                Reductions.min(new float[] {3f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, 0, 3));
        assertEquals(Float.POSITIVE_INFINITY,
                Reductions.min(new float[] {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY}, 0, 2),
                "all +Inf: the identity of the vector accumulators must not leak");
        assertEquals(-Float.MAX_VALUE, Reductions.min(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE}, 0, 2));
        assertEquals(4f, Reductions.min(new float[] {4f}, 0, 1), "one element");
        // Strided, including backwards and stride 0.
        assertEquals(8f, Reductions.min(new float[] {9f, 8f, 1f}, 1, -1, 2), "element i at 1 - i");
        assertEquals(1f, Reductions.min(new float[] {9f, 8f, 1f}, 2, -1, 3), "element i at 2 - i");
        assertEquals(2.5f, Reductions.min(new float[] {2.5f}, 0, 0, 3), "stride 0 repeats one element");
        assertEquals(-3f, Reductions.min(new float[] {-3f, -7f, 5f, -9f, 6f}, 0, 2, 3), "stride 2 skips odd indexes");
        int n = (1 << 20) + 5000;
        float[] big = new float[n];
        big[n - 3] = -1f;
        assertEquals(-1f, Reductions.min(big, 0, n), "minimum in the last chunk");
        big[70000] = -2f;
        assertEquals(-2f, Reductions.min(big, 0, n), "minimum in the first chunk");
        big[(1 << 20) + 17] = nan;
        assertTrue(Float.isNaN(Reductions.min(big, 0, n)), "NaN in a later chunk wins");
    }

    @Test
    void stridedMinAndMaxMatchScalar() {
        long seed = 55;
        SplittableRandom random = new SplittableRandom(seed);
        for (int stride : new int[] {-3, -1, 0, 2, 5}) {
            for (int n : FloatTesting.tailLengths()) {
                if (n == 0) {
                    continue;
                }
                int span = Math.abs(stride) * (n - 1) + 1;
                float[] x = FloatTesting.uniform(random, span + 2, -4, 4);
                if (n % 2 == 0) {
                    FloatTesting.sprinkleSpecials(random, x);
                }
                int off = stride < 0 ? 1 + span - 1 : 1;
                String what = "stride " + stride + " length " + n + " (seed " + seed + ")";
                assertEquals(Float.floatToIntBits(scalar.min(x, off, stride, n)),
                        Float.floatToIntBits(Reductions.min(x, off, stride, n)), "min " + what);
                assertEquals(Float.floatToIntBits(scalar.max(x, off, stride, n)),
                        Float.floatToIntBits(Reductions.max(x, off, stride, n)), "max " + what);
                float expected = x[off];
                for (int i = 1; i < n; i++) {
                    expected = Math.min(expected, x[off + i * stride]);
                }
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(Reductions.min(x, off, stride, n)),
                        "min against a direct loop, " + what);
            }
        }
    }

    /**
     * Every reduction, strided and contiguous, against direct loops written here (the scalar
     * kernel, which the vector kernel hands strided calls to, is not the oracle): sums and dot
     * products in double in index order, which is what the scalar kernel and every strided call
     * compute, so they must agree exactly; max, min and argmax by comparisons.
     */
    @Test
    void everyReductionMatchesADirectLoop() {
        long seed = 56;
        SplittableRandom random = new SplittableRandom(seed);
        for (int stride : new int[] {-3, -2, -1, 0, 1, 2, 3}) {
            for (int n : new int[] {1, 2, 3, 5, 8, 17, 40, 129}) {
                int span = Math.abs(stride) * (n - 1) + 1;
                float[] x = FloatTesting.uniform(random, span + 3, -4, 4);
                float[] y = FloatTesting.uniform(random, span + 3, -4, 4);
                int off = stride < 0 ? 2 + span - 1 : 2;
                double sum = 0;
                double dot = 0;
                float max = x[off];
                float min = x[off];
                int argmax = 0;
                for (int i = 0; i < n; i++) {
                    float v = x[off + i * stride];
                    sum += v;
                    dot += (double) v * y[off + i * stride];
                    if (v > max) {
                        max = v;
                        argmax = i;
                    }
                    min = v < min ? v : min;
                }
                String what = "stride " + stride + " length " + n + " (seed " + seed + ")";
                for (ReductionKernel kernel : new ReductionKernel[] {scalar, panama}) {
                    String who = kernel.getClass().getSimpleName() + " " + what;
                    if (kernel == scalar || stride != 1) {
                        assertEquals(sum, kernel.sum(x, off, stride, n), 0, "sum " + who);
                        assertEquals(dot, kernel.dot(x, off, stride, y, off, stride, n), 0, "dot " + who);
                    } else {
                        double magnitude = 0;
                        double dotMagnitude = 0;
                        for (int i = 0; i < n; i++) {
                            magnitude += Math.abs(x[off + i]);
                            dotMagnitude += Math.abs((double) x[off + i] * y[off + i]);
                        }
                        assertEquals(sum, kernel.sum(x, off, stride, n), sumBound(magnitude, sum), "sum " + who);
                        assertEquals(dot, kernel.dot(x, off, stride, y, off, stride, n), sumBound(dotMagnitude, dot),
                                "dot " + who);
                    }
                    assertEquals(max, kernel.max(x, off, stride, n), 0f, "max " + who);
                    assertEquals(min, kernel.min(x, off, stride, n), 0f, "min " + who);
                    assertEquals(argmax, kernel.argmax(x, off, stride, n), "argmax " + who);
                }
                if (stride != 1) {
                    assertEquals((float) sum, Reductions.sum(x, off, stride, n), "facade sum " + what);
                    assertEquals((float) dot, Reductions.dot(x, off, stride, y, off, stride, n), "facade dot " + what);
                    assertEquals((float) (sum / n), Reductions.mean(x, off, stride, n), "facade mean " + what);
                }
                assertEquals(argmax, Reductions.argmax(x, off, stride, n), "facade argmax " + what);
            }
        }
    }

    @Test
    void sameBitsForAnyThreadCount() {
        long seed = 53;
        SplittableRandom random = new SplittableRandom(seed);
        int n = 3 * (1 << 20) + 777;
        float[] x = FloatTesting.uniform(random, n, -1, 1);
        float[] y = FloatTesting.uniform(random, n, -1, 1);
        int saved = Parallel.threads();
        float[] reference = null;
        try {
            for (int threads : new int[] {1, 2, 3, 7}) {
                Parallel.setThreads(threads);
                float[] results = {
                    Reductions.sum(x, 0, n), Reductions.dot(x, 0, y, 0, n), Reductions.mean(y, 0, n),
                    Reductions.max(x, 0, n), Reductions.argmax(y, 0, n), Reductions.min(y, 0, n),
                };
                if (reference == null) {
                    reference = results;
                }
                for (int k = 0; k < results.length; k++) {
                    assertEquals(Float.floatToIntBits(reference[k]), Float.floatToIntBits(results[k]),
                            "result " + k + " with " + threads + " threads (seed " + seed + ")");
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void properties() {
        long seed = 54;
        qt().withFixedSeed(seed).withExamples(100).forAll(integers().between(1, 5000), integers().between(0, 1 << 20))
                .checkAssert((n, dataSeed) -> {
                    SplittableRandom random = new SplittableRandom(dataSeed);
                    float[] x = FloatTesting.uniform(random, n, -10, 10);
                    float[] y = FloatTesting.uniform(random, n, -10, 10);
                    String what = "n " + n + " (seed " + seed + ", data " + dataSeed + ")";
                    float[] twice = new float[n];
                    Elementwise.scale(twice, 0, 2f, x, 0, n);
                    // Scaling by 2 is exact, so every partial sum doubles: the sum doubles bit for bit.
                    assertEquals(2 * Reductions.sum(x, 0, n), Reductions.sum(twice, 0, n), 0f, "sum(2x) " + what);
                    assertEquals(Reductions.dot(x, 0, y, 0, n), Reductions.dot(y, 0, x, 0, n), 0f,
                            "dot commutes " + what);
                    assertEquals(Reductions.max(x, 0, n), x[Reductions.argmax(x, 0, n)], 0f, "max = x[argmax] " + what);
                    float[] negated = new float[n];
                    Elementwise.scale(negated, 0, -1f, x, 0, n);
                    assertEquals(Float.floatToIntBits(-Reductions.max(x, 0, n)),
                            Float.floatToIntBits(Reductions.min(negated, 0, n)), "min(-x) = -max(x) " + what);
                });
    }

    @Test
    void argumentErrors() {
        float[] x = new float[4];
        assertMessage(() -> Reductions.max(x, 0, 0), "length must be positive, got 0");
        assertMessage(() -> Reductions.min(x, 0, 0), "length must be positive, got 0");
        assertMessage(() -> Reductions.min(x, 0, 1, -2), "length must be positive, got -2");
        assertMessage(() -> Reductions.min(x, 0, 2, 3),
                "x is too short: 3 elements at offset 0 with stride 2 need length 5, got 4");
        assertMessage(() -> Reductions.min(null, 0, 1), "x must not be null");
        assertMessage(() -> Reductions.min(x, -1, 2), "offset of x must be non-negative, got -1");
        assertMessage(() -> Reductions.argmax(x, 0, 2, 3),
                "x is too short: 3 elements at offset 0 with stride 2 need length 5, got 4");
        assertMessage(() -> Reductions.sum(null, 0, 1), "x must not be null");
        assertMessage(() -> Reductions.dot(x, 0, new float[2], 0, 3), "y is too short");
        assertMessage(() -> Reductions.mean(x, -1, 2), "offset of x must be non-negative, got -1");
        assertMessage(() -> Reductions.sum(x, 0, -1), "length must be non-negative, got -1");
    }

    private static void assertMessage(Runnable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
