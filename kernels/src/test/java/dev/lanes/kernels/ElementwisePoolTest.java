package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.describe;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.kernels.spi.ElementwiseKernel;
import dev.lanes.kernels.spi.ElementwiseKernel.Binary;
import dev.lanes.kernels.spi.ElementwiseKernel.Unary;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Calls long enough to be split over the kernel pool (a million elements and more), every
 * operation of the kernel set in use against an index loop written here, at offsets: a chunk left
 * out or written twice shows, which comparing thread counts with each other cannot show.
 */
class ElementwisePoolTest {
    @Test
    void longCallsMatchAnIndexLoop() {
        long seed = 45;
        SplittableRandom random = new SplittableRandom(seed);
        int n = (1 << 20) + 4099;
        float[] a = FloatTesting.padded(FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, n, -3, 3)),
                3, 1);
        float[] b = FloatTesting.padded(FloatTesting.uniform(random, n, -3, 3), 1, 2);
        float alpha = 0.625f;
        ElementwiseKernel kernel = KernelProvider.KERNELS.elementwise();
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            String what = "length " + n + ", 2 threads (seed " + seed + ")";
            for (Binary op : Binary.values()) {
                float[] out = FloatTesting.sentinels(n + 4);
                kernel.binary(op, out, 2, 1, a, 3, 1, b, 1, 1, n);
                float[] expected = FloatTesting.sentinels(n + 4);
                for (int i = 0; i < n; i++) {
                    float x = a[3 + i];
                    float y = b[1 + i];
                    expected[2 + i] = switch (op) {
                        case ADD -> x + y;
                        case SUB -> x - y;
                        case MUL -> x * y;
                        case DIV -> x / y;
                        case MAX -> x != x || y != y ? Float.NaN : Math.max(x, y);
                        case MIN -> x != x || y != y ? Float.NaN : Math.min(x, y);
                    };
                }
                assertSameBits(expected, out, op + " " + what);
            }
            for (Unary op : Unary.values()) {
                float[] out = FloatTesting.sentinels(n + 4);
                kernel.unary(op, out, 2, 1, a, 3, 1, n);
                float[] expected = FloatTesting.sentinels(n + 4);
                for (int i = 0; i < n; i++) {
                    float x = a[3 + i];
                    expected[2 + i] = op == Unary.ABS ? Math.abs(x) : (float) Math.sqrt(x);
                }
                assertSameBits(expected, out, op + " " + what);
            }
            float[] copied = FloatTesting.sentinels(n + 4);
            float[] scaled = FloatTesting.sentinels(n + 4);
            float[] clipped = FloatTesting.sentinels(n + 4);
            float[] accumulated = FloatTesting.padded(FloatTesting.uniform(random, n, -3, 3), 2, 2);
            float[] expectedCopy = FloatTesting.sentinels(n + 4);
            float[] expectedScale = FloatTesting.sentinels(n + 4);
            float[] expectedClip = FloatTesting.sentinels(n + 4);
            float[] expectedAxpy = accumulated.clone();
            for (int i = 0; i < n; i++) {
                float x = a[3 + i];
                expectedCopy[2 + i] = x;
                expectedScale[2 + i] = alpha * x;
                expectedClip[2 + i] = x != x ? x : x < -1f ? -1f : x > 1.5f ? 1.5f : x;
                expectedAxpy[2 + i] = Math.fma(alpha, x, expectedAxpy[2 + i]);
            }
            Elementwise.copy(copied, 2, 1, a, 3, 1, n);
            Elementwise.scale(scaled, 2, 1, alpha, a, 3, 1, n);
            Elementwise.clip(clipped, 2, 1, a, 3, 1, -1f, 1.5f, n);
            Elementwise.axpy(accumulated, 2, 1, alpha, a, 3, 1, n);
            assertSameBits(expectedCopy, copied, "copy " + what);
            assertSameBits(expectedScale, scaled, "scale " + what);
            assertSameBits(expectedClip, clipped, "clip " + what);
            assertSameBits(expectedAxpy, accumulated, "axpy " + what);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + " index " + i + ": " + describe(actual[i]) + ", expected " + describe(expected[i]));
            }
        }
    }
}
