package dev.lanes.kernels;

import dev.lanes.kernels.spi.GemmKernel;

/**
 * Single-precision general matrix multiply on row-major {@code float[]} arrays.
 *
 * <p>{@code C = alpha * op(A) * op(B) + beta * C} with the BLAS semantics: {@code beta == 0}
 * overwrites C (old NaNs included), {@code alpha == 0} or {@code k == 0} skips A·B, and
 * {@code m == 0} or {@code n == 0} returns at once. Bad arguments throw
 * {@link IllegalArgumentException} naming the argument, before C is touched.
 *
 * <p>The result bits do not depend on the thread count ({@link Parallel}) and are the same from
 * run to run.
 */
public final class Gemm {
    private static final GemmKernel IMPL = KernelProvider.KERNELS.gemm();

    private Gemm() {
    }

    /**
     * C (m, n), row stride ldc, = alpha * op(A) * op(B) + beta * C.
     * op(A) is (m, k): A is stored (m, k) with row stride lda, or (k, m) when {@code transA}.
     * op(B) is (k, n): B is stored (k, n) with row stride ldb, or (n, k) when {@code transB}.
     *
     * @param transA true when A is stored transposed, (k, m)
     * @param transB true when B is stored transposed, (n, k)
     * @param m the rows of C and op(A), {@code >= 0}
     * @param n the columns of C and op(B), {@code >= 0}
     * @param k the reduction length: the columns of op(A) and rows of op(B), {@code >= 0}
     * @param alpha the factor of the product
     * @param a the array of A, row-major
     * @param offA the index in {@code a} of A's first element
     * @param lda the row stride of A as stored, at least its column count
     * @param b the array of B, row-major
     * @param offB the index in {@code b} of B's first element
     * @param ldb the row stride of B as stored, at least its column count
     * @param beta the factor of the old C: 0 overwrites C (NaN in it is not propagated)
     * @param c the array of C, row-major, updated
     * @param offC the index in {@code c} of C's first element
     * @param ldc the row stride of C, at least n
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int offA, int lda,
                             float[] b, int offB, int ldb,
                             float beta, float[] c, int offC, int ldc) {
        validate(transA, transB, m, n, k, a, offA, lda, b, offB, ldb, c, offC, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        IMPL.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** {@return the implementation in use: its simple class name} */
    public static String implementation() {
        return IMPL.getClass().getSimpleName();
    }

    static void validate(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int offA, int lda, float[] b, int offB, int ldb,
                         float[] c, int offC, int ldc) {
        Check.nonNegative("m", m);
        Check.nonNegative("n", n);
        Check.nonNegative("k", k);
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        Check.leadingDimension("lda", lda, aCols);
        Check.leadingDimension("ldb", ldb, bCols);
        Check.leadingDimension("ldc", ldc, n);
        Check.matrix("a", a, offA, lda, aRows, aCols);
        Check.matrix("b", b, offB, ldb, bRows, bCols);
        Check.matrix("c", c, offC, ldc, m, n);
    }
}
