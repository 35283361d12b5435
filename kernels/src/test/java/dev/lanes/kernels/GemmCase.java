package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.kernels.scalar.ScalarGemm;
import java.util.SplittableRandom;

/**
 * One sgemm test case in the manner of the reference BLAS test programme: operands stored with
 * offsets and leading dimensions larger than needed, NaN in every element of A and B that the
 * call must not read, and a sentinel in every element of C it must not write.
 *
 * <p>{@link #check} runs {@link Gemm#sgemm} and the scalar reference on copies and compares them
 * with an error bound that grows with k: both results are sums of k products, each within
 * {@code gamma(k + 2) * (|alpha| * sum |a||b| + |beta| * |c|)} of the exact value, where
 * gamma(j) = j * u and u = 2^-24 is float's unit roundoff.
 */
final class GemmCase {
    /** Marks the elements of C the call must leave untouched. */
    static final float SENTINEL = -12345.5f;

    final boolean transA;
    final boolean transB;
    final int m;
    final int n;
    final int k;
    final float alpha;
    final float beta;
    final int offA;
    final int offB;
    final int offC;
    final int lda;
    final int ldb;
    final int ldc;
    final long seed;
    final float[] a;
    final float[] b;
    final float[] c;

    /**
     * A case whose leading dimensions exceed the minimum by padA/padB/padC and whose arrays
     * start after an offset and extend past the last element; values uniform in [-1, 1) from seed.
     */
    GemmCase(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
             int offset, int pad, long seed) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        offA = offset;
        offB = offset + 1;
        offC = offset + 2;
        lda = Math.max(1, transA ? m : k) + pad;
        ldb = Math.max(1, transB ? k : n) + pad + 1;
        ldc = Math.max(1, n) + pad;
        a = operand(random, offA, lda, transA ? k : m, transA ? m : k, Float.NaN);
        b = operand(random, offB, ldb, transB ? n : k, transB ? k : n, Float.NaN);
        c = operand(random, offC, ldc, m, n, SENTINEL);
    }

    /** A (rows, cols) matrix at offset with row stride ld, every other element {@code outside}. */
    private static float[] operand(SplittableRandom random, int offset, int ld, int rows, int cols, float outside) {
        int length = offset + rows * ld + 3;
        float[] x = new float[length];
        java.util.Arrays.fill(x, outside);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[offset + i * ld + j] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        return x;
    }

    /** Calls {@link Gemm#sgemm} on a copy of C and returns the copy. */
    float[] runGemm() {
        float[] out = c.clone();
        Gemm.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, out, offC, ldc);
        return out;
    }

    /** Runs another implementation on a copy of C and returns the copy. */
    float[] runWith(dev.lanes.kernels.spi.GemmKernel kernel) {
        float[] out = c.clone();
        kernel.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, out, offC, ldc);
        return out;
    }

    /** The scalar reference on a copy of C. */
    float[] runReference() {
        float[] out = c.clone();
        new ScalarGemm().sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, out, offC, ldc);
        return out;
    }

    /** Checks Gemm against the reference, the untouched elements of C, and that A and B are unchanged. */
    void check() {
        float[] aBefore = a.clone();
        float[] bBefore = b.clone();
        float[] actual = runGemm();
        float[] expected = runReference();
        compare(expected, actual);
        assertUnchanged("a", aBefore, a);
        assertUnchanged("b", bBefore, b);
    }

    /** Elementwise comparison with the k-scaled bound, and the sentinels outside C. */
    void compare(float[] expected, float[] actual) {
        assertEquals(c.length, actual.length, this::toString);
        boolean[] inside = new boolean[c.length];
        double u = 0x1p-24;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = offC + i * ldc + j;
                inside[at] = true;
                double magnitude = Math.abs(alpha) * absoluteProduct(i, j) + Math.abs(beta) * Math.abs(c[at]);
                double bound = 2 * (k + 3) * u * magnitude + Float.MIN_NORMAL;
                float e = expected[at];
                float x = actual[at];
                boolean ok = Float.isNaN(e) ? Float.isNaN(x) : Math.abs((double) x - e) <= bound;
                if (!ok) {
                    fail("C[" + i + "][" + j + "] = " + x + ", reference " + e + ", bound " + bound + " in " + this);
                }
            }
        }
        for (int at = 0; at < c.length; at++) {
            if (!inside[at] && Float.floatToRawIntBits(actual[at]) != Float.floatToRawIntBits(c[at])) {
                fail("element " + at + " outside C was written (" + c[at] + " -> " + actual[at] + ") in " + this);
            }
        }
    }

    /** sum over p of |op(A)[i][p]| * |op(B)[p][j]|, in double. */
    private double absoluteProduct(int i, int j) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
            float aip = transA ? a[offA + p * lda + i] : a[offA + i * lda + p];
            float bpj = transB ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
            sum += Math.abs((double) aip * bpj);
        }
        return sum;
    }

    private void assertUnchanged(String name, float[] before, float[] after) {
        for (int i = 0; i < before.length; i++) {
            if (Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                fail(name + "[" + i + "] was modified in " + this);
            }
        }
    }

    @Override
    public String toString() {
        return "sgemm(transA=" + transA + ", transB=" + transB + ", m=" + m + ", n=" + n + ", k=" + k
                + ", alpha=" + alpha + ", beta=" + beta + ", offA=" + offA + ", lda=" + lda + ", offB=" + offB
                + ", ldb=" + ldb + ", offC=" + offC + ", ldc=" + ldc + ", seed=" + seed + ", threads="
                + Parallel.threads() + ", vector bits=" + KernelProvider.vectorBits() + ")";
    }
}
