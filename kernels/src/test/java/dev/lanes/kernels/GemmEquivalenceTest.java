package dev.lanes.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Gemm against the scalar reference over the reference-BLAS grid: m, n, k from the small sizes
 * {0, 1, 2, 3, 5, 9} and the tail sizes around vector and tile widths, all four transposes, alpha
 * in {0, 1, 0.7}, beta in {0, 1, 1.3}, padded leading dimensions with sentinels (see
 * {@link GemmCase}).
 *
 * <p>The grid is a covering design, not the full product (17^3 shapes x 36 would take minutes):
 * every combination of small sizes with every transpose and alpha/beta pair; then each tail size
 * in each dimension against a few values of the two others, with every transpose and, across the
 * tail sizes, every alpha/beta pair; then shapes at the blocking boundaries of PanamaGemm.
 */
class GemmEquivalenceTest {
    private static final int[] SMALL = {0, 1, 2, 3, 5, 9};
    private static final int[] TAILS = {15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 257};
    /** The values the two other dimensions take when one is a tail size. */
    private static final int[] OTHERS = {1, 9, 64};
    private static final float[] ALPHAS = {0f, 1f, 0.7f};
    private static final float[] BETAS = {0f, 1f, 1.3f};
    private static final boolean[] FLAGS = {false, true};

    @Test
    void smallSizesEveryTransposeAlphaAndBeta() {
        long seed = 1;
        for (int m : SMALL) {
            for (int n : SMALL) {
                for (int k : SMALL) {
                    for (boolean transA : FLAGS) {
                        for (boolean transB : FLAGS) {
                            for (float alpha : ALPHAS) {
                                for (float beta : BETAS) {
                                    new GemmCase(transA, transB, m, n, k, alpha, beta, 3, 2, seed++).check();
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** One dynamic test per (dimension, tail size): the others from OTHERS, every transpose. */
    @TestFactory
    Stream<DynamicTest> tailSizesPerDimension() {
        List<DynamicTest> tests = new ArrayList<>();
        String[] names = {"m", "n", "k"};
        int pair = 0;
        for (int dimension = 0; dimension < 3; dimension++) {
            for (int tail : TAILS) {
                int which = dimension;
                int alphaBeta = pair++;
                tests.add(DynamicTest.dynamicTest(names[dimension] + "=" + tail,
                        () -> tailCases(which, tail, alphaBeta)));
            }
        }
        return tests.stream();
    }

    private static void tailCases(int dimension, int tail, int alphaBeta) {
        long seed = 1000L * (dimension + 1) + tail;
        int variant = alphaBeta;
        for (int first : OTHERS) {
            for (int second : OTHERS) {
                int[] size = new int[3];
                size[dimension] = tail;
                size[(dimension + 1) % 3] = first;
                size[(dimension + 2) % 3] = second;
                // consecutive cases walk through the nine (alpha, beta) pairs
                float alpha = ALPHAS[variant / 3 % 3];
                float beta = BETAS[variant % 3];
                variant++;
                for (boolean transA : FLAGS) {
                    for (boolean transB : FLAGS) {
                        new GemmCase(transA, transB, size[0], size[1], size[2], alpha, beta, 1, 3, seed++).check();
                    }
                }
            }
        }
    }

    /** Every alpha/beta pair on one tail shape with a product and every transpose. */
    @Test
    void everyAlphaBetaPairOnATailShape() {
        long seed = 77;
        for (float alpha : ALPHAS) {
            for (float beta : BETAS) {
                for (boolean transA : FLAGS) {
                    for (boolean transB : FLAGS) {
                        new GemmCase(transA, transB, 33, 65, 17, alpha, beta, 2, 1, seed++).check();
                    }
                }
            }
        }
    }

    /**
     * Shapes that cross PanamaGemm's blocking: K blocks of 256, A row blocks of 192 rows (the
     * shared-B path starts above them), N blocks of 64 strips of 3 vectors, and B larger than the
     * 512 Ki floats read in place (packed in groups of 8 strips instead).
     */
    @Test
    void blockingBoundaries() {
        int lanes = Math.max(4, KernelProvider.vectorBits() / 32);
        int nBlock = 64 * 3 * lanes;
        int[][] shapes = {
            {8, 48, 255}, {8, 48, 256}, {9, 49, 257}, {3, 7, 513},
            {192, 17, 9}, {193, 33, 17}, {200, 100, 300}, {385, 20, 5},
            {9, nBlock, 2}, {200, nBlock + 1, 3}, {7, nBlock + 3 * lanes + 1, 4},
            {20, 1100, 600}, {100, 24 * 3 * lanes + 5, 1030},
        };
        long seed = 500;
        for (int[] shape : shapes) {
            for (boolean transA : FLAGS) {
                for (boolean transB : FLAGS) {
                    new GemmCase(transA, transB, shape[0], shape[1], shape[2], 0.7f, 1.3f, 4, 5, seed++).check();
                }
            }
        }
    }
}
