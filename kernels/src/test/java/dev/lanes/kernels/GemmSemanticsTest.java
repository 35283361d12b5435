package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.scalar.ScalarGemm;
import dev.lanes.kernels.spi.GemmKernel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The BLAS edge semantics of sgemm, and every argument error (C untouched). */
class GemmSemanticsTest {
    private static final boolean[] FLAGS = {false, true};

    @Test
    void betaZeroOverwritesNanAndInfinityInC() {
        for (int size : new int[] {1, 7, 33, 200}) {
            float[] a = filled(size * size, 1f);
            float[] b = filled(size * size, 2f);
            float[] c = new float[size * size];
            for (int i = 0; i < c.length; i++) {
                c[i] = i % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY;
            }
            Gemm.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
            for (float x : c) {
                assertEquals(2f * size, x, "size " + size);
            }
        }
    }

    @Test
    void alphaZeroReadsNeitherAnorB() {
        for (float beta : new float[] {0f, 1f, 1.3f}) {
            for (boolean transA : FLAGS) {
                for (boolean transB : FLAGS) {
                    int m = 19;
                    int n = 37;
                    int k = 11;
                    float[] a = filled(m * k, Float.NaN);
                    float[] b = filled(k * n, Float.NaN);
                    float[] c = filled(m * n, 3f);
                    c[5] = Float.NaN;
                    Gemm.sgemm(transA, transB, m, n, k, 0f, a, 0, transA ? m : k, b, 0, transB ? k : n, beta, c, 0, n);
                    for (int i = 0; i < c.length; i++) {
                        float expected = beta == 0f ? 0f : (i == 5 ? Float.NaN : 3f * beta);
                        assertEquals(expected, c[i], "beta " + beta + " index " + i);
                    }
                }
            }
        }
    }

    @Test
    void kZeroScalesCByBeta() {
        float[] c = {1f, Float.NaN, -2f, 4f};
        Gemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, c);
        float[] d = {1f, 2f, -2f, 4f};
        Gemm.sgemm(true, true, 2, 2, 0, 5f, new float[0], 0, 2, new float[0], 0, 1, 0.5f, d, 0, 2);
        assertArrayEquals(new float[] {0.5f, 1f, -1f, 2f}, d);
    }

    /**
     * k = 0 leaves beta·C exactly, for the scalar set and the set in use: an infinite alpha times the
     * empty sum would give NaN, and alpha·0 + beta·C would turn a -0 into +0.
     */
    @Test
    void kZeroSkipsTheProductForEveryKernel() {
        for (GemmKernel kernel : new GemmKernel[] {new ScalarGemm(), KernelProvider.KERNELS.gemm()}) {
            for (float alpha : new float[] {Float.POSITIVE_INFINITY, 2f}) {
                float[] c = {0f, -0f, 3f, Float.NaN, -5f, 0.5f};
                kernel.sgemm(false, true, 2, 3, 0, alpha, new float[0], 0, 1, new float[0], 0, 1, -1f, c, 0, 3);
                float[] expected = {-0f, 0f, -3f, Float.NaN, 5f, -0.5f};
                for (int i = 0; i < c.length; i++) {
                    assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(c[i]),
                            kernel.getClass().getSimpleName() + " alpha " + alpha + " index " + i + ": " + c[i]);
                }
            }
        }
    }

    @Test
    void emptyOutputTouchesNothing() {
        float[] c = {7f, 8f};
        Gemm.sgemm(false, false, 0, 2, 3, 1f, new float[0], 0, 3, new float[6], 0, 2, 0f, c, 0, 2);
        Gemm.sgemm(false, false, 2, 0, 3, 1f, new float[6], 0, 3, new float[0], 0, 1, 0f, c, 0, 1);
        assertArrayEquals(new float[] {7f, 8f}, c);
    }

    @Test
    void nanAndInfinityInAPropagateToTheirRow() {
        int m = 20;
        int n = 50;
        int k = 30;
        float[] a = filled(m * k, 0.5f);
        a[3 * k + 7] = Float.NaN;
        a[11 * k] = Float.POSITIVE_INFINITY;
        float[] b = filled(k * n, 1f);
        float[] c = new float[m * n];
        Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float x = c[i * n + j];
                if (i == 3) {
                    assertTrue(Float.isNaN(x), "row 3");
                } else if (i == 11) {
                    assertEquals(Float.POSITIVE_INFINITY, x, "row 11");
                } else {
                    assertEquals(15f, x);
                }
            }
        }
    }

    @Test
    void negativeSizesAreRejected() {
        assertRejected("m must be non-negative, got -1", false, false, -1, 2, 2, 2, 2, 2, 4, 4, 4, 0);
        assertRejected("n must be non-negative, got -1", false, false, 2, -1, 2, 2, 2, 2, 4, 4, 4, 0);
        assertRejected("k must be non-negative, got -1", false, false, 2, 2, -1, 2, 2, 2, 4, 4, 4, 0);
    }

    @Test
    void leadingDimensionsTooSmallAreRejected() {
        // op(A) is (3, 4): A is (3, 4) so lda >= 4, or (4, 3) when transposed so lda >= 3
        assertRejected("lda must be at least", false, false, 3, 5, 4, 3, 5, 5, 100, 100, 100, 0);
        assertRejected("lda must be at least", true, false, 3, 5, 4, 2, 5, 5, 100, 100, 100, 0);
        // op(B) is (4, 5): B is (4, 5) so ldb >= 5, or (5, 4) when transposed so ldb >= 4
        assertRejected("ldb must be at least", false, false, 3, 5, 4, 4, 4, 5, 100, 100, 100, 0);
        assertRejected("ldb must be at least", false, true, 3, 5, 4, 4, 3, 5, 100, 100, 100, 0);
        assertRejected("ldc must be at least", false, false, 3, 5, 4, 4, 5, 4, 100, 100, 100, 0);
        // ld >= 1 even for an empty matrix
        assertRejected("ldc must be at least", false, false, 3, 0, 4, 4, 1, 0, 100, 100, 100, 0);
    }

    @Test
    void arraysTooShortAreRejected() {
        // needs a: (3-1)*4+4 = 12, b: (4-1)*5+5 = 20, c: (3-1)*5+5 = 15
        assertRejected("a is too short", false, false, 3, 5, 4, 4, 5, 5, 11, 20, 15, 0);
        assertRejected("b is too short", false, false, 3, 5, 4, 4, 5, 5, 12, 19, 15, 0);
        assertRejected("c is too short", false, false, 3, 5, 4, 4, 5, 5, 12, 20, 14, 0);
        assertRejected("a is too short", false, false, 3, 5, 4, 4, 5, 5, 12, 20, 15, 1);
        // transposed: a is (4, 3) with lda 3 -> 12; b is (5, 4) with ldb 4 -> 20
        assertRejected("a is too short", true, true, 3, 5, 4, 3, 4, 5, 11, 20, 15, 0);
        assertRejected("b is too short", true, true, 3, 5, 4, 3, 4, 5, 12, 19, 15, 0);
    }

    @Test
    void nullArraysAndNegativeOffsetsAreRejected() {
        float[] c = filled(4, 9f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, null, 0, 2, new float[4], 0, 2, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("a must not be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, new float[4], 0, 2, null, 0, 2, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("b must not be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, new float[4], 0, 2, new float[4], 0, 2, 0f, null, 0, 2));
        assertTrue(e.getMessage().contains("c must not be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, new float[4], 0, 2, new float[4], -1, 2, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("offset of b"), e.getMessage());
        assertArrayEquals(filled(4, 9f), c);
    }

    /** Expects IllegalArgumentException whose message contains {@code name}, with C unchanged. */
    private static void assertRejected(String name, boolean transA, boolean transB, int m, int n, int k,
                                       int lda, int ldb, int ldc, int lengthA, int lengthB, int lengthC, int offA) {
        float[] a = filled(lengthA, 1f);
        float[] b = filled(lengthB, 1f);
        float[] c = filled(lengthC, 5f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(transA, transB, m, n, k, 1f, a, offA, lda, b, 0, ldb, 0f, c, 0, ldc));
        assertTrue(e.getMessage().contains(name), "message '" + e.getMessage() + "' should name " + name);
        assertArrayEquals(filled(lengthC, 5f), c, "C must stay untouched");
    }

    private static float[] filled(int length, float value) {
        float[] x = new float[length];
        Arrays.fill(x, value);
        return x;
    }
}
