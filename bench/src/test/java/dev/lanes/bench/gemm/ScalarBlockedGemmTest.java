package dev.lanes.bench.gemm;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.kernels.scalar.ScalarGemm;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' scalar-blocked twin against the scalar reference, across its tiles and blocks.
 * C has a padded leading dimension whose padding holds a sentinel the call must not write; the
 * two results may differ by the rounding of two orders of k products (2 (k + 3) u sum |a||b|).
 */
class ScalarBlockedGemmTest {
    private static final float SENTINEL = -12345.5f;

    @Test
    void matchesTheReference() {
        int[][] shapes = {{0, 3, 3}, {1, 1, 1}, {3, 5, 2}, {5, 9, 0}, {17, 15, 33}, {193, 7, 257}, {9, 3100, 5}};
        float[][] scalars = {{1f, 0f}, {0.7f, 1.3f}, {0f, 1f}, {1f, 1f}};
        long seed = 9000;
        for (int[] shape : shapes) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (float[] ab : scalars) {
                        check(transA, transB, shape[0], shape[1], shape[2], ab[0], ab[1], seed++);
                    }
                }
            }
        }
    }

    private static void check(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int lda = Math.max(1, transA ? m : k) + 1;
        int ldb = Math.max(1, transB ? k : n) + 2;
        int ldc = Math.max(1, n) + 1;
        float[] a = uniform(random, (transA ? k : m) * lda);
        float[] b = uniform(random, (transB ? n : k) * ldb);
        float[] c = uniform(random, m * ldc);
        for (int i = 0; i < m; i++) {
            Arrays.fill(c, i * ldc + n, (i + 1) * ldc, SENTINEL);
        }
        float[] expected = c.clone();
        float[] actual = c.clone();
        new ScalarGemm().sgemm(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, expected, 0, ldc);
        new ScalarBlockedGemm().sgemm(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, actual, 0, ldc);
        String where = "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                + " alpha=" + alpha + " beta=" + beta + " seed=" + seed;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                int at = i * ldc + j;
                if (j >= n) {
                    if (actual[at] != SENTINEL) {
                        fail("padding of C written at row " + i + " column " + j + ": " + where);
                    }
                    continue;
                }
                double magnitude = Math.abs(beta * c[at]);
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[p * lda + i] : a[i * lda + p];
                    float bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
                    magnitude += Math.abs(alpha * (double) aip * bpj);
                }
                double bound = 2 * (k + 3) * 0x1p-24 * magnitude + Float.MIN_NORMAL;
                if (Math.abs((double) actual[at] - expected[at]) > bound) {
                    fail("C[" + i + "][" + j + "] = " + actual[at] + ", reference " + expected[at] + ": " + where);
                }
            }
        }
    }

    private static float[] uniform(SplittableRandom random, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }
}
