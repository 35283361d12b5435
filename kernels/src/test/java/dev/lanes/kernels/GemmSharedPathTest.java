package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * sgemm where op(A) has more than one block of 192 rows, so that the Panama GEMM packs each block
 * of B once and shares it among the row blocks: K not a multiple of its blocks (two blocks of 151
 * and 150), N with a last group of strips narrower than the others, and a pool of more threads
 * than A has panels, where the row blocks alone cannot give every thread the same share and the
 * columns are split too. Against the scalar reference (GemmCase: operands padded with NaN, C with
 * sentinels) and bit for bit against one thread; and an infinite alpha, which turns any product
 * of an extra, empty K block (0 times infinity) into NaN.
 */
class GemmSharedPathTest {
    private static final boolean[] FLAGS = {false, true};

    @Test
    void sharedBlocksMatchTheReferenceAndOneThreadBitForBit() {
        int[][] shapes = {{200, 500, 301}, {201, 500, 7}};
        long seed = 700;
        for (int[] shape : shapes) {
            for (boolean transA : FLAGS) {
                for (boolean transB : FLAGS) {
                    GemmCase c = new GemmCase(transA, transB, shape[0], shape[1], shape[2], 0.7f, 1.3f, 2, 3, seed++);
                    float[][] results = new float[2][];
                    int[] threads = {1, 32};
                    for (int t = 0; t < threads.length; t++) {
                        int index = t;
                        OnThreads.run(threads[t], () -> {
                            c.check();
                            results[index] = c.runGemm();
                        });
                    }
                    FloatTesting.assertSameBits("32 threads against 1, " + c, results[0], results[1]);
                }
            }
        }
    }

    /**
     * K under 8 on a tall A (4096 rows, whose packing takes no 8 x 8 transposes): the packing of
     * each panel stops at its K block, so nothing is written past the A block's buffer, and the
     * product matches the reference.
     */
    @Test
    void shortKOnATallAStaysInItsPanels() {
        long seed = 720;
        for (int k : new int[] {1, 4, 7}) {
            GemmCase c = new GemmCase(false, false, 4096, 24, k, 0.7f, 1.3f, 2, 3, seed++);
            for (int threads : new int[] {1, 2}) {
                assertDoesNotThrow(() -> OnThreads.run(threads, c::check), () -> c + " with the pool at " + threads + " threads");
            }
        }
    }

    @Test
    void infiniteAlphaGivesInfinityOnTheSharedPath() {
        long seed = 710;
        SplittableRandom random = new SplittableRandom(seed);
        int m = 200;
        int n = 40;
        int k = 9;
        float[] a = FloatTesting.uniform(random, m * k, 0.5, 1);
        float[] b = FloatTesting.uniform(random, k * n, 0.5, 1);
        for (float alpha : new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (float beta : new float[] {0f, 1f}) {
                for (int threads : new int[] {1, 2}) {
                    float[] c = FloatTesting.uniform(random, m * n, -1, 1);
                    OnThreads.run(threads, () -> Gemm.sgemm(false, false, m, n, k, alpha, a, 0, k, b, 0, n, beta, c, 0, n));
                    for (int i = 0; i < c.length; i++) {
                        assertEquals(alpha, c[i], "element " + i + ", alpha " + alpha + ", beta " + beta + ", "
                                + threads + " threads (seed " + seed + ")");
                    }
                }
            }
        }
    }
}
