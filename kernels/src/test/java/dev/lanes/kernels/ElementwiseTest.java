package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.kernels.panama.pointwise.PanamaElementwise;
import dev.lanes.kernels.scalar.ScalarElementwise;
import dev.lanes.kernels.spi.ElementwiseKernel.Binary;
import dev.lanes.kernels.spi.ElementwiseKernel.Unary;
import dev.lanes.kernels.spi.ElementwiseKernel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Elementwise kernels: one IEEE operation per element, so the vector kernel must equal the scalar
 * one bit for bit, on every tail, at offsets and strides, with special values; sentinels around
 * and between the outputs stay untouched; thread counts do not matter; errors name the argument.
 */
@Tag("panama")
class ElementwiseTest {
    private final ElementwiseKernel panama = new PanamaElementwise();
    private final ElementwiseKernel scalar = new ScalarElementwise();

    @Test
    void facadeUsesPanama() {
        assertEquals("PanamaElementwise", Elementwise.implementation());
    }

    @Test
    void contiguousMatchesScalarBitForBit() {
        long seed = 41;
        SplittableRandom random = new SplittableRandom(seed);
        for (int n : FloatTesting.tailLengths()) {
            float[] a = FloatTesting.padded(
                    FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, n, -5, 5)), 3, 2);
            float[] b = FloatTesting.padded(
                    FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, n, -5, 5)), 1, 4);
            float alpha = (float) random.nextDouble(-3, 3);
            String what = "length " + n + " (seed " + seed + ")";
            for (Binary op : Binary.values()) {
                compare(what + " " + op, n + 6, (k, out) -> k.binary(op, out, 2, 1, a, 3, 1, b, 1, 1, n));
            }
            for (Unary op : Unary.values()) {
                compare(what + " " + op, n + 6, (k, out) -> k.unary(op, out, 2, 1, a, 3, 1, n));
            }
            compare(what + " copy", n + 6, (k, out) -> k.copy(out, 2, 1, a, 3, 1, n));
            compare(what + " scale", n + 6, (k, out) -> k.scale(out, 2, 1, alpha, a, 3, 1, n));
            float[][] bounds = {{-0f, 2.5f}, {0f, 0f}, {-0f, -0f}, {-0f, 0f}, {0f, 1f}, {-1f, -0f}, {-1f, 1f},
                {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}};
            for (float[] bound : bounds) {
                compare(what + " clip " + Arrays.toString(bound), n + 6,
                        (k, out) -> k.clip(out, 2, 1, a, 3, 1, bound[0], bound[1], n));
            }
            compare(what + " axpy", n + 6, (k, out) -> {
                System.arraycopy(b, 1, out, 2, n);
                k.axpy(out, 2, 1, alpha, a, 3, 1, n);
            });
        }
    }

    @Test
    void stridedMatchesScalarAndSkipsTheGaps() {
        long seed = 42;
        SplittableRandom random = new SplittableRandom(seed);
        int[][] strides = {{2, 1, 3}, {1, -1, 2}, {3, 0, 1}, {-2, 2, -1}, {1, 1, 1}};
        for (int n : new int[] {0, 1, 2, 7, 17, 33}) {
            for (int[] s : strides) {
                float[] a = FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, 4 * n + 8, -5, 5));
                float[] b = FloatTesting.uniform(random, 4 * n + 8, -5, 5);
                int last = Math.max(0, n - 1);
                int offOut = s[0] < 0 ? 1 + last * -s[0] : 1;
                int offA = s[1] < 0 ? last * -s[1] : 2;
                int offB = s[2] < 0 ? 3 + last * -s[2] : 0;
                String what = "length " + n + " strides " + Arrays.toString(s) + " (seed " + seed + ")";
                int size = Math.max(1, 4 * n + 8);
                // The facade on one side, the scalar kernel on the other.
                compare(what + " facade add", size, (k, out) -> {
                    if (k == scalar) {
                        k.binary(Binary.ADD, out, offOut, s[0], a, offA, s[1], b, offB, s[2], n);
                    } else {
                        Elementwise.add(out, offOut, s[0], a, offA, s[1], b, offB, s[2], n);
                    }
                });
                for (Binary op : Binary.values()) {
                    compare(what + " " + op, size,
                            (k, out) -> k.binary(op, out, offOut, s[0], a, offA, s[1], b, offB, s[2], n));
                }
                for (Unary op : Unary.values()) {
                    compare(what + " " + op, size, (k, out) -> k.unary(op, out, offOut, s[0], a, offA, s[1], n));
                }
                compare(what + " facade min", size, (k, out) -> {
                    if (k == scalar) {
                        k.binary(Binary.MIN, out, offOut, s[0], a, offA, s[1], b, offB, s[2], n);
                    } else {
                        Elementwise.min(out, offOut, s[0], a, offA, s[1], b, offB, s[2], n);
                    }
                });
                compare(what + " facade sqrt", size, (k, out) -> {
                    if (k == scalar) {
                        k.unary(Unary.SQRT, out, offOut, s[0], a, offA, s[1], n);
                    } else {
                        Elementwise.sqrt(out, offOut, s[0], a, offA, s[1], n);
                    }
                });
                compare(what + " copy", size, (k, out) -> k.copy(out, offOut, s[0], a, offA, s[1], n));
                compare(what + " scale", size, (k, out) -> k.scale(out, offOut, s[0], 1.5f, a, offA, s[1], n));
                compare(what + " axpy", size, (k, out) -> k.axpy(out, offOut, s[0], -0.5f, a, offA, s[1], n));
                compare(what + " clip", size, (k, out) -> k.clip(out, offOut, s[0], a, offA, s[1], -1f, 1f, n));
            }
        }
    }

    @Test
    void clipSemantics() {
        float[] in = {Float.NaN, -0f, 0f, -5f, 5f, Float.NEGATIVE_INFINITY, 0.5f};
        float[] out = new float[in.length];
        Elementwise.clip(out, 0, in, 0, 0f, 1f, in.length);
        float[] expected = {Float.NaN, 0f, 0f, 0f, 1f, 0f, 0.5f};
        for (int i = 0; i < in.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(out[i]),
                    "clip(" + describe(in[i]) + ")");
        }
        Elementwise.clip(out, 0, in, 0, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, in.length);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(out[1]), "Math.max(-0, -Inf) then min: -0 stays");
    }

    /**
     * max, min, abs and sqrt through the facade against Math itself (not the scalar kernel) on every
     * pair of special values, laid out so each pair lands in the vector body and the tails, and
     * computed both into a fresh array and in place.
     */
    @Test
    void maxMinAbsSqrtFollowMath() {
        float[] specials = FloatTesting.SPECIALS;
        int count = specials.length * specials.length;
        for (int n : new int[] {count, count - 1, FloatTesting.lanes() + 3, 5}) {
            for (int shift = 0; shift < 3; shift++) {
                float[] a = new float[n];
                float[] b = new float[n];
                for (int i = 0; i < n; i++) {
                    int pair = (i + shift * 7) % count;
                    a[i] = specials[pair / specials.length];
                    b[i] = specials[pair % specials.length];
                }
                String what = "length " + n + ", shift " + shift;
                float[] out = new float[n];
                Elementwise.max(out, 0, a, 0, b, 0, n);
                for (int i = 0; i < n; i++) {
                    assertBits(Math.max(a[i], b[i]), out[i],
                            what + " max(" + describe(a[i]) + ", " + describe(b[i]) + ")");
                }
                Elementwise.min(out, 0, a, 0, b, 0, n);
                for (int i = 0; i < n; i++) {
                    assertBits(Math.min(a[i], b[i]), out[i],
                            what + " min(" + describe(a[i]) + ", " + describe(b[i]) + ")");
                }
                Elementwise.abs(out, 0, a, 0, n);
                for (int i = 0; i < n; i++) {
                    assertBits(Math.abs(a[i]), out[i], what + " abs(" + describe(a[i]) + ")");
                }
                Elementwise.sqrt(out, 0, a, 0, n);
                for (int i = 0; i < n; i++) {
                    assertBits((float) Math.sqrt(a[i]), out[i], what + " sqrt(" + describe(a[i]) + ")");
                }
                float[] inPlace = a.clone();
                Elementwise.max(inPlace, 0, inPlace, 0, b, 0, n);
                Elementwise.sqrt(inPlace, 0, inPlace, 0, n);
                for (int i = 0; i < n; i++) {
                    assertBits((float) Math.sqrt(Math.max(a[i], b[i])), inPlace[i], what + " in place, index " + i);
                }
            }
        }
        float[] zeros = {-0f, 0f};
        float[] out = new float[1];
        Elementwise.max(out, 0, zeros, 0, zeros, 1, 1);
        assertBits(0f, out[0], "max(-0, +0)");
        Elementwise.min(out, 0, zeros, 1, zeros, 0, 1);
        assertBits(-0f, out[0], "min(+0, -0)");
    }

    /** sqrt is correctly rounded: equal to the double square root rounded, on random bit patterns. */
    @Test
    void sqrtCorrectlyRoundedOnRandomBits() {
        long seed = 46;
        SplittableRandom random = new SplittableRandom(seed);
        int n = 50_003;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = Float.intBitsToFloat(random.nextInt() & 0x7fffffff); // non-negative: every finite, Inf, NaN
        }
        float[] out = new float[n];
        Elementwise.sqrt(out, 0, x, 0, n);
        for (int i = 0; i < n; i++) {
            assertBits((float) Math.sqrt(x[i]), out[i], "sqrt(" + describe(x[i]) + ") (seed " + seed + ")");
        }
    }

    private static void assertBits(float expected, float actual, String what) {
        if (Float.floatToIntBits(expected) != Float.floatToIntBits(actual)) {
            fail(what + ": " + describe(actual) + ", expected " + describe(expected));
        }
    }

    @Test
    void biasOverChannelsAndRows() {
        long seed = 43;
        SplittableRandom random = new SplittableRandom(seed);
        int[][] shapes = {
            {1, 1, 1}, {2, 3, 1}, {1, 5, 7}, {3, 4, 17}, {2, 3, 64}, {1, 7, 196}, {2, 2, 2 * FloatTesting.lanes() + 1},
        };
        for (int[] shape : shapes) {
            assertBiasOverChannels(random, shape, seed);
        }
        for (int cols : FloatTesting.tailLengths()) {
            int rows = 3;
            int ld = cols + 2;
            float[] data = FloatTesting.uniform(random, 1 + rows * ld, -3, 3);
            float[] bias = FloatTesting.uniform(random, cols + 1, -1, 1);
            float[] expected = data.clone();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    expected[1 + r * ld + j] += bias[1 + j];
                }
            }
            Elementwise.addBiasRows(data, 1, ld, bias, 1, rows, cols);
            assertTrue(Arrays.equals(expected, data), "rows, cols " + cols + " (seed " + seed + ")");
        }
    }

    /**
     * Bias over channels where the kernel's flat loop switches planes inside a vector: random
     * shapes with planes from 1 float to a few vectors, every offset of a plane boundary within a
     * vector, and one shape long enough for the pool, whose tasks start at channels other than 0.
     */
    @Test
    void biasOverChannelsAtPlaneBoundaries() {
        long seed = 47;
        SplittableRandom random = new SplittableRandom(seed);
        int lanes = FloatTesting.lanes();
        for (int c = 0; c < 200; c++) {
            int[] shape = {1 + random.nextInt(3), 1 + random.nextInt(9), 1 + random.nextInt(4 * lanes + 3)};
            assertBiasOverChannels(random, shape, seed);
        }
        assertBiasOverChannels(random, new int[] {2, 7, 100_003}, seed);
    }

    /** addBiasChannels at offsets 2 (data) and 1 (bias), sentinels around the data. */
    private static void assertBiasOverChannels(SplittableRandom random, int[] shape, long seed) {
        int size = shape[0] * shape[1] * shape[2];
        float[] data = FloatTesting.padded(FloatTesting.uniform(random, size, -3, 3), 2, 3);
        float[] bias = FloatTesting.padded(FloatTesting.uniform(random, shape[1], -1, 1), 1, 0);
        float[] expected = FloatTesting.withChannelBias(data, 2, bias, 1, shape[0], shape[1], shape[2]);
        Elementwise.addBiasChannels(data, 2, bias, 1, shape[0], shape[1], shape[2]);
        assertTrue(Arrays.equals(expected, data), "channels " + Arrays.toString(shape) + " (seed " + seed + ")");
    }

    @Test
    void sameBitsForAnyThreadCount() {
        long seed = 44;
        SplittableRandom random = new SplittableRandom(seed);
        int n = (1 << 20) + 12345;
        float[] a = FloatTesting.uniform(random, n, -2, 2);
        float[] b = FloatTesting.uniform(random, n, -2, 2);
        float[] reference = null;
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3, 7}) {
                Parallel.setThreads(threads);
                float[] out = b.clone();
                Elementwise.axpy(out, 0, 0.75f, a, 0, n);
                Elementwise.mul(out, 0, out, 0, a, 0, n);
                Elementwise.clip(out, 0, out, 0, -1f, 1f, n);
                Elementwise.max(out, 0, out, 0, b, 0, n);
                Elementwise.min(out, 0, a, 0, out, 0, n);
                Elementwise.abs(out, 0, out, 0, n);
                Elementwise.sqrt(out, 0, out, 0, n);
                Elementwise.addBiasChannels(out, 0, new float[] {0.5f, -0.5f, 0.25f}, 0, 1, 3, n / 3);
                if (reference == null) {
                    reference = out;
                }
                assertTrue(Arrays.equals(reference, out), threads + " threads (seed " + seed + ")");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void properties() {
        long seed = 45;
        qt().withFixedSeed(seed).withExamples(300).forAll(floats().any(), floats().any(), integers().between(0, 70))
                .checkAssert((x, y, n) -> {
                    float[] a = new float[n];
                    float[] b = new float[n];
                    Arrays.fill(a, x);
                    Arrays.fill(b, y);
                    float[] ab = new float[n];
                    float[] ba = new float[n];
                    Elementwise.add(ab, 0, a, 0, b, 0, n);
                    Elementwise.add(ba, 0, b, 0, a, 0, n);
                    assertTrue(Arrays.equals(ab, ba), "add commutes (seed " + seed + ")");
                    Elementwise.sub(ab, 0, a, 0, a, 0, n);
                    for (float v : ab) {
                        assertTrue(Float.isFinite(x) ? v == 0f : Float.isNaN(v), "x - x (seed " + seed + ")");
                    }
                    // axpy with alpha = 0 leaves y unless x is infinite or NaN (0 * Inf = NaN).
                    float[] yCopy = b.clone();
                    Elementwise.axpy(yCopy, 0, 0f, a, 0, n);
                    for (float v : yCopy) {
                        if (Float.isFinite(x)) {
                            assertEquals(Float.floatToIntBits(y + 0f * x), Float.floatToIntBits(v),
                                    "axpy 0 (seed " + seed + ")");
                        }
                    }
                });
    }

    @Test
    void argumentErrors() {
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] before = a.clone();
        assertMessage(() -> Elementwise.add(a, 0, a, 0, new float[3], 0, 4),
                "b is too short: 4 elements at offset 0 with stride 1 need length 4, got 3");
        assertMessage(() -> Elementwise.mul(new float[2], 0, a, 0, a, 0, 4), "out is too short");
        assertMessage(() -> Elementwise.sub(a, 1, a, 0, a, 0, 4), "out (offset 1) and a (offset 0) overlap partially");
        assertMessage(() -> Elementwise.scale(a, 0, 0, 2f, a, 0, 1, 3), "stride of out must be non-zero");
        assertMessage(() -> Elementwise.axpy(a, 0, 1, 2f, a, 7, -2, 5),
                "x: 5 elements at offset 7 with stride -2 reach index -1, below 0");
        assertMessage(() -> Elementwise.clip(a, 0, a, 0, 2f, 1f, 4), "min <= max, got min 2.0, max 1.0");
        assertMessage(() -> Elementwise.clip(a, 0, a, 0, Float.NaN, 1f, 4), "min <= max");
        assertMessage(() -> Elementwise.div(a, 0, null, 0, a, 0, 4), "a must not be null");
        assertMessage(() -> Elementwise.add(a, 0, a, 0, a, 0, -1), "length must be non-negative, got -1");
        assertMessage(() -> Elementwise.max(a, 0, a, 0, new float[3], 0, 4), "b is too short");
        assertMessage(() -> Elementwise.max(a, 0, a, 2, a, 0, 4), "out (offset 0) and a (offset 2) overlap partially");
        assertMessage(() -> Elementwise.min(a, 0, 1, a, 0, 1, a, 1, 1, 4), "out (offset 0) and b (offset 1) overlap");
        assertMessage(() -> Elementwise.min(a, 0, 0, a, 0, 1, a, 0, 1, 4), "stride of out must be non-zero");
        assertMessage(() -> Elementwise.min(new float[2], 0, a, 0, a, 0, 4), "out is too short");
        assertMessage(() -> Elementwise.max(a, 0, null, 0, a, 0, 4), "a must not be null");
        assertMessage(() -> Elementwise.abs(a, 0, a, 0, -2), "length must be non-negative, got -2");
        assertMessage(() -> Elementwise.abs(a, 0, new float[3], 0, 4), "in is too short");
        assertMessage(() -> Elementwise.abs(a, 1, a, 0, 4), "out (offset 1) and in (offset 0) overlap partially");
        assertMessage(() -> Elementwise.sqrt(a, 0, 1, a, 7, -2, 5),
                "in: 5 elements at offset 7 with stride -2 reach index -1, below 0");
        assertMessage(() -> Elementwise.sqrt(null, 0, a, 0, 4), "out must not be null");
        assertMessage(() -> Elementwise.sqrt(a, 0, 0, a, 0, 1, 3), "stride of out must be non-zero");
        assertMessage(() -> Elementwise.addBiasChannels(a, 0, new float[2], 0, 1, 3, 2), "bias is too short");
        assertMessage(() -> Elementwise.addBiasChannels(a, 0, a, 0, 2, 2, 2),
                "bias [0, 2) and data [0, 8) overlap in the same array");
        assertMessage(() -> Elementwise.addBiasRows(a, 0, 2, a, 0, 2, 3), "ld must be at least max(1, 3), got 2");
        assertMessage(() -> Elementwise.addBiasRows(a, 0, 3, new float[2], 0, 2, 3), "bias is too short");
        assertTrue(Arrays.equals(before, a), "nothing written on errors: " + Arrays.toString(a));
    }

    /** Runs a kernel call on panama and scalar into sentinel-filled arrays and compares every element. */
    private void compare(String what, int size, KernelCall call) {
        float[] expected = FloatTesting.sentinels(size);
        float[] actual = FloatTesting.sentinels(size);
        call.run(scalar, expected);
        call.run(panama, actual);
        for (int i = 0; i < size; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + " index " + i + ": " + describe(actual[i]) + ", expected " + describe(expected[i]));
            }
        }
    }

    @FunctionalInterface
    interface KernelCall {
        void run(ElementwiseKernel kernel, float[] out);
    }

    private static void assertMessage(Runnable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
