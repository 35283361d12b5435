package dev.lanes.kernels.spi;

/**
 * Single-precision GEMM on row-major arrays: {@code C = alpha * op(A) * op(B) + beta * C}.
 *
 * <p>Implementations receive arguments already validated by {@link dev.lanes.kernels.Gemm}: sizes
 * are non-negative, m and n are positive, leading dimensions and array lengths are large enough.
 * They must honour the BLAS rules: {@code beta == 0} overwrites C without reading it, and
 * {@code alpha == 0} or {@code k == 0} does not read A or B.
 */
public interface GemmKernel {
    /**
     * C is (m, n) with row stride ldc; op(A) is (m, k): A is (m, k) with row stride lda, or (k, m)
     * when transA; op(B) is (k, n): B is (k, n) with row stride ldb, or (n, k) when transB.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float alpha, float[] a, int offA, int lda,
               float[] b, int offB, int ldb,
               float beta, float[] c, int offC, int ldc);
}
