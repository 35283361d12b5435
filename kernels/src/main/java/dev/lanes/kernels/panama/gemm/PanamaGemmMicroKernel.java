package dev.lanes.kernels.panama.gemm;

import dev.lanes.kernels.panama.support.PanamaSpecies;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled micro-kernels of {@link PanamaGemm}: a tile of 8 rows by 1, 2 or 3 vectors of
 * C held in 8, 16 or 24 local vector accumulators, updated by broadcasting one element of the
 * packed A panel and multiplying it with the vectors of the packed B panel (one FMA per
 * accumulator and per k). No lane reductions, no accumulator arrays, no helper calls inside: C2
 * keeps the accumulators in registers only when everything is in one method. Each kernel is
 * larger than C2's inlining limit, so it is compiled on its own and never inlined into a driver
 * loop (which would make its code quality depend on the caller's compilation).
 *
 * <p>The accumulators leave through a small tile buffer and {@link #writeBack}. With the
 * alpha/beta write-back unrolled inside (72 more vector expressions), C1 gave up on the kernel
 * ("out of virtual registers in linear scan"), which then ran interpreted, thousands of times
 * slower, until C2 compiled it; the tile costs 48 L1 accesses per tile of 24 x kc FMAs.
 *
 * <p>Each element of C is one FMA chain over k in order, then {@code alpha * acc + beta * C}
 * rounded once (a fused multiply-add); {@link #mergeTile} computes the same thing in scalar code,
 * so a partial tile has the same bits as a full one.
 */
final class PanamaGemmMicroKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final int L = F.length();

    /** Rows of a tile (and of a packed A panel). */
    static final int MR = 8;

    private PanamaGemmMicroKernel() {
    }

    /**
     * C tile (rows, cols) at c[co], row stride ldc, = alpha * Apanel * Bpanel + beta * C. Apanel
     * is packed (kc, 8) at a[ao]; Bpanel (kc, 3 vectors) has row p at b[bo + p * bStride]: a
     * packed strip (3 vectors) or B itself (ldb). The accumulators go through {@code tile}
     * to {@link #writeBack}.
     */
    static void kernel8x3(int kc, float[] a, int ao, float[] b, int bo, int bStride, float alpha, float beta,
                          float[] c, int co, int ldc, int rows, int cols, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c40 = c00, c41 = c00, c42 = c00, c50 = c00, c51 = c00;
        FloatVector c52 = c00, c60 = c00, c61 = c00, c62 = c00, c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * bStride;
            int ai = ao + p * 8;
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(F, b, bi + 2 * L);
            FloatVector a0 = FloatVector.broadcast(F, a[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(F, a[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(F, a[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(F, a[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32);
            FloatVector a4 = FloatVector.broadcast(F, a[ai + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42);
            FloatVector a5 = FloatVector.broadcast(F, a[ai + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52);
            FloatVector a6 = FloatVector.broadcast(F, a[ai + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61); c62 = a6.fma(b2, c62);
            FloatVector a7 = FloatVector.broadcast(F, a[ai + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71); c72 = a7.fma(b2, c72);
        }
        int w = 3 * L;
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, w);
        c11.intoArray(tile, w + L);
        c12.intoArray(tile, w + 2 * L);
        c20.intoArray(tile, 2 * w);
        c21.intoArray(tile, 2 * w + L);
        c22.intoArray(tile, 2 * w + 2 * L);
        c30.intoArray(tile, 3 * w);
        c31.intoArray(tile, 3 * w + L);
        c32.intoArray(tile, 3 * w + 2 * L);
        c40.intoArray(tile, 4 * w);
        c41.intoArray(tile, 4 * w + L);
        c42.intoArray(tile, 4 * w + 2 * L);
        c50.intoArray(tile, 5 * w);
        c51.intoArray(tile, 5 * w + L);
        c52.intoArray(tile, 5 * w + 2 * L);
        c60.intoArray(tile, 6 * w);
        c61.intoArray(tile, 6 * w + L);
        c62.intoArray(tile, 6 * w + 2 * L);
        c70.intoArray(tile, 7 * w);
        c71.intoArray(tile, 7 * w + L);
        c72.intoArray(tile, 7 * w + 2 * L);
        writeBack(tile, w, alpha, beta, c, co, ldc, rows, cols);
    }

    /**
     * C tile (rows, cols) at c[co], row stride ldc, = alpha * Apanel * Bpanel + beta * C. Apanel
     * is packed (kc, 8) at a[ao]; Bpanel (kc, 2 vectors) has row p at b[bo + p * bStride]: a
     * packed strip (2 vectors) or B itself (ldb). The accumulators go through {@code tile}
     * to {@link #writeBack}.
     */
    static void kernel8x2(int kc, float[] a, int ao, float[] b, int bo, int bStride, float alpha, float beta,
                          float[] c, int co, int ldc, int rows, int cols, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * bStride;
            int ai = ao + p * 8;
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(F, a[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, a[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, a[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, a[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, a[ai + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, a[ai + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(F, a[ai + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, a[ai + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
        }
        int w = 2 * L;
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, w);
        c11.intoArray(tile, w + L);
        c20.intoArray(tile, 2 * w);
        c21.intoArray(tile, 2 * w + L);
        c30.intoArray(tile, 3 * w);
        c31.intoArray(tile, 3 * w + L);
        c40.intoArray(tile, 4 * w);
        c41.intoArray(tile, 4 * w + L);
        c50.intoArray(tile, 5 * w);
        c51.intoArray(tile, 5 * w + L);
        c60.intoArray(tile, 6 * w);
        c61.intoArray(tile, 6 * w + L);
        c70.intoArray(tile, 7 * w);
        c71.intoArray(tile, 7 * w + L);
        writeBack(tile, w, alpha, beta, c, co, ldc, rows, cols);
    }

    /**
     * C tile (rows, cols) at c[co], row stride ldc, = alpha * Apanel * Bpanel + beta * C. Apanel
     * is packed (kc, 8) at a[ao]; Bpanel (kc, 1 vectors) has row p at b[bo + p * bStride]: a
     * packed strip (1 vectors) or B itself (ldb). The accumulators go through {@code tile}
     * to {@link #writeBack}.
     */
    static void kernel8x1(int kc, float[] a, int ao, float[] b, int bo, int bStride, float alpha, float beta,
                          float[] c, int co, int ldc, int rows, int cols, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c10 = c00, c20 = c00, c30 = c00, c40 = c00, c50 = c00, c60 = c00, c70 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * bStride;
            int ai = ao + p * 8;
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector a0 = FloatVector.broadcast(F, a[ai]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(F, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(F, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(F, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            FloatVector a4 = FloatVector.broadcast(F, a[ai + 4]);
            c40 = a4.fma(b0, c40);
            FloatVector a5 = FloatVector.broadcast(F, a[ai + 5]);
            c50 = a5.fma(b0, c50);
            FloatVector a6 = FloatVector.broadcast(F, a[ai + 6]);
            c60 = a6.fma(b0, c60);
            FloatVector a7 = FloatVector.broadcast(F, a[ai + 7]);
            c70 = a7.fma(b0, c70);
        }
        int w = 1 * L;
        c00.intoArray(tile, 0);
        c10.intoArray(tile, w);
        c20.intoArray(tile, 2 * w);
        c30.intoArray(tile, 3 * w);
        c40.intoArray(tile, 4 * w);
        c50.intoArray(tile, 5 * w);
        c60.intoArray(tile, 6 * w);
        c70.intoArray(tile, 7 * w);
        writeBack(tile, w, alpha, beta, c, co, ldc, rows, cols);
    }


    /**
     * Writes a tile of accumulators (row stride w) into C: {@code alpha * tile + beta * C}, with
     * vectors for a full tile (MR, w) and in scalar code for the corner of a partial one.
     */
    static void writeBack(float[] tile, int w, float alpha, float beta,
                          float[] c, int co, int ldc, int rows, int cols) {
        if (rows != MR || cols != w) {
            mergeTile(tile, w, alpha, beta, c, co, ldc, rows, cols);
            return;
        }
        FloatVector va = FloatVector.broadcast(F, alpha);
        if (beta == 0f) {
            for (int r = 0; r < MR; r++) {
                int t = r * w;
                int at = co + r * ldc;
                for (int j = 0; j < w; j += L) {
                    FloatVector.fromArray(F, tile, t + j).mul(va).intoArray(c, at + j);
                }
            }
        } else {
            FloatVector vb = FloatVector.broadcast(F, beta);
            for (int r = 0; r < MR; r++) {
                int t = r * w;
                int at = co + r * ldc;
                for (int j = 0; j < w; j += L) {
                    FloatVector.fromArray(F, tile, t + j).fma(va, FloatVector.fromArray(F, c, at + j).mul(vb))
                            .intoArray(c, at + j);
                }
            }
        }
    }

    /** Writes the (rows, cols) corner of a tile of row stride w into C with alpha and beta. */
    static void mergeTile(float[] tile, int w, float alpha, float beta,
                          float[] c, int co, int ldc, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int t = r * w;
            int at = co + r * ldc;
            if (beta == 0f) {
                for (int j = 0; j < cols; j++) {
                    c[at + j] = tile[t + j] * alpha;
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    c[at + j] = Math.fma(tile[t + j], alpha, c[at + j] * beta);
                }
            }
        }
    }
}
