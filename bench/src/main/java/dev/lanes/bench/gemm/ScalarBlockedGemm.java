package dev.lanes.bench.gemm;

import dev.lanes.kernels.spi.GemmKernel;
import dev.lanes.kernels.Parallel;

/**
 * The blocked GEMM without vectors: the cache blocking of {@link PanamaGemm} (K blocks of 256,
 * row blocks of 192, column blocks of 3072, packed A panels and B strips) around a scalar 4 x 4
 * register tile. The benchmarks' "scalar-blocked" twin: it shows how much comes from blocking
 * and how much from the vector micro-kernel.
 */
public final class ScalarBlockedGemm implements GemmKernel {
    private static final int MR = 4;
    private static final int NR = 4;
    private static final int KC = 256;
    private static final int MC = 192;
    private static final int NC = 3072;

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int offA, int lda,
                      float[] b, int offB, int ldb,
                      float beta, float[] c, int offC, int ldc) {
        if (alpha == 0f || k == 0) {
            scale(c, offC, ldc, m, n, beta);
            return;
        }
        int rowBlocks = (m + MC - 1) / MC;
        float[] packedB = new float[KC * Math.min(NC, roundUp(n, NR))];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float betaNow = pc == 0 ? beta : 1f;
                for (int j = 0; j < nc; j += NR) {
                    for (int p = 0; p < kc; p++) {
                        for (int jj = 0; jj < NR; jj++) {
                            int col = jc + j + jj;
                            packedB[j * kc + p * NR + jj] = j + jj >= nc ? 0f
                                    : transB ? b[offB + col * ldb + pc + p] : b[offB + (pc + p) * ldb + col];
                        }
                    }
                }
                int jcNow = jc;
                int pcNow = pc;
                Parallel.forEach(rowBlocks, block -> {
                    int i0 = block * MC;
                    int mc = Math.min(MC, m - i0);
                    float[] packedA = new float[roundUp(mc, MR) * kc];
                    for (int i = 0; i < mc; i += MR) {
                        for (int p = 0; p < kc; p++) {
                            for (int ii = 0; ii < MR; ii++) {
                                int row = i0 + i + ii;
                                packedA[i * kc + p * MR + ii] = i + ii >= mc ? 0f
                                        : transA ? a[offA + (pcNow + p) * lda + row] : a[offA + row * lda + pcNow + p];
                            }
                        }
                    }
                    for (int j = 0; j < nc; j += NR) {
                        for (int i = 0; i < mc; i += MR) {
                            tile(kc, packedA, i * kc, packedB, j * kc, alpha, betaNow, c,
                                    offC + (i0 + i) * ldc + jcNow + j, ldc,
                                    Math.min(MR, mc - i), Math.min(NR, nc - j));
                        }
                    }
                });
            }
        }
    }

    /** A 4 x 4 tile of C from a packed A panel and a packed B strip: 16 scalar accumulators. */
    private static void tile(int kc, float[] a, int ao, float[] b, int bo, float alpha, float beta,
                             float[] c, int co, int ldc, int rows, int cols) {
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR;
            int bi = bo + p * NR;
            float a0 = a[ai], a1 = a[ai + 1], a2 = a[ai + 2], a3 = a[ai + 3];
            float b0 = b[bi], b1 = b[bi + 1], b2 = b[bi + 2], b3 = b[bi + 3];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
        }
        float[] acc = {c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33};
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int at = co + r * ldc + j;
                float sum = acc[r * NR + j];
                c[at] = beta == 0f ? sum * alpha : Math.fma(sum, alpha, c[at] * beta);
            }
        }
    }

    private static void scale(float[] c, int offC, int ldc, int m, int n, float beta) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = offC + i * ldc + j;
                c[at] = beta == 0f ? 0f : c[at] * beta;
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
