package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.assertSameBits;

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
        OnThreads.run(2, () -> {
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
                assertSameBits(op + " " + what, expected, out);
            }
            for (Unary op : Unary.values()) {
                float[] out = FloatTesting.sentinels(n + 4);
                kernel.unary(op, out, 2, 1, a, 3, 1, n);
                float[] expected = FloatTesting.sentinels(n + 4);
                for (int i = 0; i < n; i++) {
                    float x = a[3 + i];
                    expected[2 + i] = op == Unary.ABS ? Math.abs(x) : (float) Math.sqrt(x);
                }
                assertSameBits(op + " " + what, expected, out);
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
            assertSameBits("copy " + what, expectedCopy, copied);
            assertSameBits("scale " + what, expectedScale, scaled);
            assertSameBits("clip " + what, expectedClip, clipped);
            assertSameBits("axpy " + what, expectedAxpy, accumulated);
        });
    }

    /**
     * Bias adds of a million elements and more on two threads, against index loops: planes of whole
     * vectors, planes straddling vectors and planes shorter than a vector, each in tasks that start
     * in the middle of the channels (65,536 / spatial planes per task is not a multiple of the
     * channel count); rows with a bias that has room past its end for a masked last vector.
     */
    @Test
    void longBiasAddsMatchAnIndexLoop() {
        long seed = 46;
        SplittableRandom random = new SplittableRandom(seed);
        ElementwiseKernel kernel = KernelProvider.KERNELS.elementwise();
        OnThreads.run(2, () -> {
            int[][] shapes = {{5462, 4, 48}, {6991, 3, 50}, {29960, 7, 5}};
            for (int[] shape : shapes) {
                int batch = shape[0];
                int channels = shape[1];
                int spatial = shape[2];
                String what = "addBiasChannels " + batch + "x" + channels + "x" + spatial + ", 2 threads (seed " + seed
                        + ")";
                float[] data = FloatTesting.padded(FloatTesting.uniform(random, batch * channels * spatial, -3, 3), 2, 3);
                float[] bias = FloatTesting.padded(FloatTesting.uniform(random, channels, -3, 3), 1, 2);
                float[] expected = FloatTesting.withChannelBias(data, 2, bias, 1, batch, channels, spatial);
                kernel.addBiasChannels(data, 2, bias, 1, batch, channels, spatial);
                assertSameBits(what, expected, data);
            }
            int rows = 300;
            int cols = 3501;
            int ld = cols + 2;
            String what = "addBiasRows " + rows + "x" + cols + " ld " + ld + ", 2 threads (seed " + seed + ")";
            float[] data = FloatTesting.padded(FloatTesting.uniform(random, rows * ld, -3, 3), 1, 2);
            float[] bias = FloatTesting.padded(FloatTesting.uniform(random, cols, -3, 3), 3, 40);
            float[] expected = data.clone();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    expected[1 + r * ld + j] += bias[3 + j];
                }
            }
            kernel.addBiasRows(data, 1, ld, bias, 3, rows, cols);
            assertSameBits(what, expected, data);
        });
    }
}
