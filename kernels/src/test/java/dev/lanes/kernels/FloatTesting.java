package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.TreeSet;

/** Shared test data and float comparisons for the kernel tests. */
final class FloatTesting {
    /** Values every elementwise kernel must handle: NaN, infinities, signed zeros, subnormals, extremes. */
    static final float[] SPECIALS = {
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-30f, -1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.5f,
        100f, -100f, 1e20f, -1e20f, Float.intBitsToFloat(0xFFC00000), Float.intBitsToFloat(0x7F800001),
    };
    /** A value no kernel produces from the test inputs, written around output ranges. */
    static final float SENTINEL = -7.77e-33f;

    private FloatTesting() {
    }

    /** The float lanes of the Panama species under test. */
    static int lanes() {
        return KernelProvider.vectorBits() / 32;
    }

    /** 0 .. 2L+1 (every tail of one and two vectors), then lengths around larger powers of two. */
    static int[] tailLengths() {
        TreeSet<Integer> lengths = new TreeSet<>();
        int lanes = lanes();
        for (int n = 0; n <= 2 * lanes + 1; n++) {
            lengths.add(n);
        }
        for (int n : new int[] {4 * lanes - 1, 4 * lanes + 3, 31, 33, 63, 64, 65, 127, 129, 1023, 1024, 1025, 4099}) {
            lengths.add(n);
        }
        return lengths.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Uniform floats in [low, high). */
    static float[] uniform(SplittableRandom random, int n, double low, double high) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(low, high);
        }
        return x;
    }

    /** Overwrites about one element in eight (and the last) with a special value. */
    static float[] sprinkleSpecials(SplittableRandom random, float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (i == x.length - 1 || random.nextInt(8) == 0) {
                x[i] = SPECIALS[random.nextInt(SPECIALS.length)];
            }
        }
        return x;
    }

    /** A copy of x inside a larger array at {@code offset}, surrounded by sentinels. */
    static float[] padded(float[] x, int offset, int after) {
        float[] out = new float[offset + x.length + after];
        java.util.Arrays.fill(out, SENTINEL);
        System.arraycopy(x, 0, out, offset, x.length);
        return out;
    }

    /** An array of sentinels. */
    static float[] sentinels(int length) {
        float[] out = new float[length];
        java.util.Arrays.fill(out, SENTINEL);
        return out;
    }

    /**
     * The error of {@code actual} in units of the spacing of floats at the correctly rounded
     * {@code exact} value; 0 when both are NaN or the same infinity, +Inf when only one is.
     */
    static double ulps(float actual, double exact) {
        if (Float.isNaN(actual) || Double.isNaN(exact)) {
            return Float.isNaN(actual) && Double.isNaN(exact) ? 0 : Double.POSITIVE_INFINITY;
        }
        float rounded = (float) exact;
        if (Float.isInfinite(rounded) || Float.isInfinite(actual)) {
            return actual == rounded ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(actual - exact) / Math.ulp(rounded);
    }

    /** Float bits of a value and its bit pattern, for failure messages. */
    static String describe(float value) {
        return value + " (0x" + Integer.toHexString(Float.floatToRawIntBits(value)) + ")";
    }

    /**
     * Fails unless both arrays have the same length and every element the same bits (signed zeros
     * count), naming the first element that differs. Any NaN equals any NaN
     * ({@code floatToIntBits}): arithmetic may produce NaNs of different payloads, since which
     * operand's NaN an x86 add keeps depends on the operand order C2 picks.
     */
    static void assertSameBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": at " + i + " expected " + describe(expected[i]) + " but was " + describe(actual[i]));
            }
        }
    }

    /**
     * What addBiasChannels must leave: a copy of data with bias[biasOffset + c] added to every
     * element of channel c of the batch * channels * spatial elements from data[offset], the rest
     * unchanged.
     */
    static float[] withChannelBias(float[] data, int offset, float[] bias, int biasOffset, int batch, int channels,
                                   int spatial) {
        float[] expected = data.clone();
        for (int i = 0; i < batch * channels * spatial; i++) {
            expected[offset + i] += bias[biasOffset + i / spatial % channels];
        }
        return expected;
    }
}
