package dev.lanes.kernels.scalar;

import dev.lanes.kernels.spi.GemmKernel;
/**
 * The reference GEMM: three loops, one float accumulator per element of C, summed over k in
 * order. Slow and obviously right; the oracle the fast implementations are tested against and the
 * fallback when the vector module is missing.
 */
public final class ScalarGemm implements GemmKernel {
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int offA, int lda,
                      float[] b, int offB, int ldb,
                      float beta, float[] c, int offC, int ldc) {
        // C[i][j] = alpha * sum_p opA[i][p] * opB[p][j] + beta * C[i][j]
        boolean product = alpha != 0f && k > 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                if (product) {
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a[offA + p * lda + i] : a[offA + i * lda + p];
                        float bpj = transB ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
                        sum += aip * bpj;
                    }
                }
                int at = offC + i * ldc + j;
                float scaled = beta == 0f ? 0f : beta * c[at];
                c[at] = product ? alpha * sum + scaled : scaled;
            }
        }
    }
}
