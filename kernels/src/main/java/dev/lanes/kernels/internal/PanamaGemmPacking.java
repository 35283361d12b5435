package dev.lanes.kernels.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing for {@link PanamaGemm}: copies blocks of op(A) and op(B) into the contiguous,
 * zero-padded layouts the micro-kernels read with unit stride. The transposes are handled here,
 * so the micro-kernels only ever see one layout.
 *
 * <ul>
 * <li>A panel: {@code MR} rows of op(A) over a K block, k-major: element (r, p) at
 * {@code p * MR + r}; rows past the end of op(A) are zeros.</li>
 * <li>B strip: {@code width} columns of op(B) over a K block, k-major, row stride {@code stride}
 * (1, 2 or 3 vectors): element (p, j) at {@code p * stride + j}; columns past the end are zeros.</li>
 * </ul>
 */
final class PanamaGemmPacking {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final int L = F.length();
    private static final int MR = PanamaGemmMicroKernel.MR;

    private PanamaGemmPacking() {
    }

    /**
     * Packs rows [i0, i0 + rows) and columns [p0, p0 + kc) of op(A) into consecutive panels of MR
     * rows at dst[0]: panel q at {@code q * kc * MR}. op(A) is A (m, k) with row stride lda, or
     * A^T when transA (A stored (k, m)).
     */
    static void packA(float[] dst, boolean transA, float[] a, int offA, int lda,
                      int i0, int rows, int p0, int kc) {
        for (int q = 0; q * MR < rows; q++) {
            int panelRows = Math.min(MR, rows - q * MR);
            int d = q * kc * MR;
            int i = i0 + q * MR;
            if (transA) {
                packPanelTransposed(dst, d, a, offA + p0 * lda + i, lda, panelRows, kc);
            } else {
                packPanel(dst, d, a, offA + i * lda + p0, lda, panelRows, kc);
            }
        }
    }

    /** A stored (m, k): each of the panel's rows is contiguous in p, written with stride MR. */
    private static void packPanel(float[] dst, int d, float[] a, int src, int lda, int rows, int kc) {
        if (rows == MR) {
            int s0 = src;
            int s1 = src + lda;
            int s2 = src + 2 * lda;
            int s3 = src + 3 * lda;
            int s4 = src + 4 * lda;
            int s5 = src + 5 * lda;
            int s6 = src + 6 * lda;
            int s7 = src + 7 * lda;
            for (int p = 0; p < kc; p++) {
                int o = d + p * MR;
                dst[o] = a[s0 + p];
                dst[o + 1] = a[s1 + p];
                dst[o + 2] = a[s2 + p];
                dst[o + 3] = a[s3 + p];
                dst[o + 4] = a[s4 + p];
                dst[o + 5] = a[s5 + p];
                dst[o + 6] = a[s6 + p];
                dst[o + 7] = a[s7 + p];
            }
            return;
        }
        for (int p = 0; p < kc; p++) {
            int o = d + p * MR;
            for (int r = 0; r < MR; r++) {
                dst[o + r] = r < rows ? a[src + r * lda + p] : 0f;
            }
        }
    }

    /** A stored (k, m): the panel's MR elements at one p are contiguous. */
    private static void packPanelTransposed(float[] dst, int d, float[] a, int src, int lda, int rows, int kc) {
        for (int p = 0; p < kc; p++) {
            int o = d + p * MR;
            int s = src + p * lda;
            if (rows == MR) {
                System.arraycopy(a, s, dst, o, MR);
            } else {
                for (int r = 0; r < MR; r++) {
                    dst[o + r] = r < rows ? a[s + r] : 0f;
                }
            }
        }
    }

    /**
     * Packs rows [p0, p0 + kc) and columns [j0, j0 + width) of op(B) at dst[d] with row stride
     * {@code stride >= width} (a multiple of the vector length), zero-padded. op(B) is B (k, n)
     * with row stride ldb, or B^T when transB (B stored (n, k)).
     */
    static void packB(float[] dst, int d, int stride, boolean transB, float[] b, int offB, int ldb,
                      int p0, int kc, int j0, int width) {
        if (transB) {
            packStripTransposed(dst, d, stride, b, offB + j0 * ldb + p0, ldb, kc, width);
        } else {
            packStrip(dst, d, stride, b, offB + p0 * ldb + j0, ldb, kc, width);
        }
    }

    /** B stored (k, n): each row of the strip is a contiguous run, copied with vectors. */
    private static void packStrip(float[] dst, int d, int stride, float[] b, int src, int ldb, int kc, int width) {
        int full = width - width % L;
        VectorMask<Float> tail = F.indexInRange(full, width);
        for (int p = 0; p < kc; p++) {
            int s = src + p * ldb;
            int o = d + p * stride;
            int j = 0;
            for (; j < full; j += L) {
                FloatVector.fromArray(F, b, s + j).intoArray(dst, o + j);
            }
            if (j < stride) {
                // the partial vector, then whole zero vectors up to the stride
                FloatVector.fromArray(F, b, s + j, tail).intoArray(dst, o + j);
                for (j += L; j < stride; j += L) {
                    FloatVector.zero(F).intoArray(dst, o + j);
                }
            }
        }
    }

    /** B stored (n, k): each column of the strip is a contiguous run in p, written with a stride. */
    private static void packStripTransposed(float[] dst, int d, int stride, float[] b, int src, int ldb,
                                            int kc, int width) {
        for (int j = 0; j < width; j++) {
            int s = src + j * ldb;
            for (int p = 0; p < kc; p++) {
                dst[d + p * stride + j] = b[s + p];
            }
        }
        if (width < stride) {
            for (int p = 0; p < kc; p++) {
                int o = d + p * stride;
                for (int j = width; j < stride; j++) {
                    dst[o + j] = 0f;
                }
            }
        }
    }

    /** C (m, n) at c[offC], row stride ldc, = beta * C; beta == 0 writes zeros without reading C. */
    static void scale(float[] c, int offC, int ldc, int m, int n, float beta) {
        if (beta == 1f) {
            return;
        }
        FloatVector vb = FloatVector.broadcast(F, beta);
        int bound = F.loopBound(n);
        for (int i = 0; i < m; i++) {
            int row = offC + i * ldc;
            int j = 0;
            if (beta == 0f) {
                for (; j < bound; j += L) {
                    FloatVector.zero(F).intoArray(c, row + j);
                }
                for (; j < n; j++) {
                    c[row + j] = 0f;
                }
            } else {
                for (; j < bound; j += L) {
                    FloatVector.fromArray(F, c, row + j).mul(vb).intoArray(c, row + j);
                }
                for (; j < n; j++) {
                    c[row + j] = c[row + j] * beta;
                }
            }
        }
    }
}
