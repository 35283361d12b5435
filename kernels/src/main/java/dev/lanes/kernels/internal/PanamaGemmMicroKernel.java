package dev.lanes.kernels.internal;

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
     * C tile (rows, cols) at c[co], row stride ldc, = alpha * Apanel * Bpanel + beta * C, where
     * Apanel is packed (kc, 8) at a[ao] and Bpanel is packed (kc, 3 vectors) at b[bo]. A full
     * tile (8, 3L) is written with vector stores; a partial one goes through {@code tile}.
     */
    static void kernel8x3(int kc, float[] a, int ao, float[] b, int bo, float alpha, float beta,
                          float[] c, int co, int ldc, int rows, int cols, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c40 = c00, c41 = c00, c42 = c00, c50 = c00, c51 = c00;
        FloatVector c52 = c00, c60 = c00, c61 = c00, c62 = c00, c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * 3 * L;
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
        if (rows == 8 && cols == 3 * L) {
            FloatVector va = FloatVector.broadcast(F, alpha);
            if (beta == 0f) {
                int r0 = co;
                c00.mul(va).intoArray(c, r0);
                c01.mul(va).intoArray(c, r0 + L);
                c02.mul(va).intoArray(c, r0 + 2 * L);
                int r1 = co + ldc;
                c10.mul(va).intoArray(c, r1);
                c11.mul(va).intoArray(c, r1 + L);
                c12.mul(va).intoArray(c, r1 + 2 * L);
                int r2 = co + 2 * ldc;
                c20.mul(va).intoArray(c, r2);
                c21.mul(va).intoArray(c, r2 + L);
                c22.mul(va).intoArray(c, r2 + 2 * L);
                int r3 = co + 3 * ldc;
                c30.mul(va).intoArray(c, r3);
                c31.mul(va).intoArray(c, r3 + L);
                c32.mul(va).intoArray(c, r3 + 2 * L);
                int r4 = co + 4 * ldc;
                c40.mul(va).intoArray(c, r4);
                c41.mul(va).intoArray(c, r4 + L);
                c42.mul(va).intoArray(c, r4 + 2 * L);
                int r5 = co + 5 * ldc;
                c50.mul(va).intoArray(c, r5);
                c51.mul(va).intoArray(c, r5 + L);
                c52.mul(va).intoArray(c, r5 + 2 * L);
                int r6 = co + 6 * ldc;
                c60.mul(va).intoArray(c, r6);
                c61.mul(va).intoArray(c, r6 + L);
                c62.mul(va).intoArray(c, r6 + 2 * L);
                int r7 = co + 7 * ldc;
                c70.mul(va).intoArray(c, r7);
                c71.mul(va).intoArray(c, r7 + L);
                c72.mul(va).intoArray(c, r7 + 2 * L);
            } else {
                FloatVector vb = FloatVector.broadcast(F, beta);
                int r0 = co;
                c00.fma(va, FloatVector.fromArray(F, c, r0).mul(vb)).intoArray(c, r0);
                c01.fma(va, FloatVector.fromArray(F, c, r0 + L).mul(vb)).intoArray(c, r0 + L);
                c02.fma(va, FloatVector.fromArray(F, c, r0 + 2 * L).mul(vb)).intoArray(c, r0 + 2 * L);
                int r1 = co + ldc;
                c10.fma(va, FloatVector.fromArray(F, c, r1).mul(vb)).intoArray(c, r1);
                c11.fma(va, FloatVector.fromArray(F, c, r1 + L).mul(vb)).intoArray(c, r1 + L);
                c12.fma(va, FloatVector.fromArray(F, c, r1 + 2 * L).mul(vb)).intoArray(c, r1 + 2 * L);
                int r2 = co + 2 * ldc;
                c20.fma(va, FloatVector.fromArray(F, c, r2).mul(vb)).intoArray(c, r2);
                c21.fma(va, FloatVector.fromArray(F, c, r2 + L).mul(vb)).intoArray(c, r2 + L);
                c22.fma(va, FloatVector.fromArray(F, c, r2 + 2 * L).mul(vb)).intoArray(c, r2 + 2 * L);
                int r3 = co + 3 * ldc;
                c30.fma(va, FloatVector.fromArray(F, c, r3).mul(vb)).intoArray(c, r3);
                c31.fma(va, FloatVector.fromArray(F, c, r3 + L).mul(vb)).intoArray(c, r3 + L);
                c32.fma(va, FloatVector.fromArray(F, c, r3 + 2 * L).mul(vb)).intoArray(c, r3 + 2 * L);
                int r4 = co + 4 * ldc;
                c40.fma(va, FloatVector.fromArray(F, c, r4).mul(vb)).intoArray(c, r4);
                c41.fma(va, FloatVector.fromArray(F, c, r4 + L).mul(vb)).intoArray(c, r4 + L);
                c42.fma(va, FloatVector.fromArray(F, c, r4 + 2 * L).mul(vb)).intoArray(c, r4 + 2 * L);
                int r5 = co + 5 * ldc;
                c50.fma(va, FloatVector.fromArray(F, c, r5).mul(vb)).intoArray(c, r5);
                c51.fma(va, FloatVector.fromArray(F, c, r5 + L).mul(vb)).intoArray(c, r5 + L);
                c52.fma(va, FloatVector.fromArray(F, c, r5 + 2 * L).mul(vb)).intoArray(c, r5 + 2 * L);
                int r6 = co + 6 * ldc;
                c60.fma(va, FloatVector.fromArray(F, c, r6).mul(vb)).intoArray(c, r6);
                c61.fma(va, FloatVector.fromArray(F, c, r6 + L).mul(vb)).intoArray(c, r6 + L);
                c62.fma(va, FloatVector.fromArray(F, c, r6 + 2 * L).mul(vb)).intoArray(c, r6 + 2 * L);
                int r7 = co + 7 * ldc;
                c70.fma(va, FloatVector.fromArray(F, c, r7).mul(vb)).intoArray(c, r7);
                c71.fma(va, FloatVector.fromArray(F, c, r7 + L).mul(vb)).intoArray(c, r7 + L);
                c72.fma(va, FloatVector.fromArray(F, c, r7 + 2 * L).mul(vb)).intoArray(c, r7 + 2 * L);
            }
            return;
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
        mergeTile(tile, w, alpha, beta, c, co, ldc, rows, cols);
    }

    /**
     * C tile (rows, cols) at c[co], row stride ldc, = alpha * Apanel * Bpanel + beta * C, where
     * Apanel is packed (kc, 8) at a[ao] and Bpanel is packed (kc, 2 vectors) at b[bo]. A full
     * tile (8, 2L) is written with vector stores; a partial one goes through {@code tile}.
     */
    static void kernel8x2(int kc, float[] a, int ao, float[] b, int bo, float alpha, float beta,
                          float[] c, int co, int ldc, int rows, int cols, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * 2 * L;
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
        if (rows == 8 && cols == 2 * L) {
            FloatVector va = FloatVector.broadcast(F, alpha);
            if (beta == 0f) {
                int r0 = co;
                c00.mul(va).intoArray(c, r0);
                c01.mul(va).intoArray(c, r0 + L);
                int r1 = co + ldc;
                c10.mul(va).intoArray(c, r1);
                c11.mul(va).intoArray(c, r1 + L);
                int r2 = co + 2 * ldc;
                c20.mul(va).intoArray(c, r2);
                c21.mul(va).intoArray(c, r2 + L);
                int r3 = co + 3 * ldc;
                c30.mul(va).intoArray(c, r3);
                c31.mul(va).intoArray(c, r3 + L);
                int r4 = co + 4 * ldc;
                c40.mul(va).intoArray(c, r4);
                c41.mul(va).intoArray(c, r4 + L);
                int r5 = co + 5 * ldc;
                c50.mul(va).intoArray(c, r5);
                c51.mul(va).intoArray(c, r5 + L);
                int r6 = co + 6 * ldc;
                c60.mul(va).intoArray(c, r6);
                c61.mul(va).intoArray(c, r6 + L);
                int r7 = co + 7 * ldc;
                c70.mul(va).intoArray(c, r7);
                c71.mul(va).intoArray(c, r7 + L);
            } else {
                FloatVector vb = FloatVector.broadcast(F, beta);
                int r0 = co;
                c00.fma(va, FloatVector.fromArray(F, c, r0).mul(vb)).intoArray(c, r0);
                c01.fma(va, FloatVector.fromArray(F, c, r0 + L).mul(vb)).intoArray(c, r0 + L);
                int r1 = co + ldc;
                c10.fma(va, FloatVector.fromArray(F, c, r1).mul(vb)).intoArray(c, r1);
                c11.fma(va, FloatVector.fromArray(F, c, r1 + L).mul(vb)).intoArray(c, r1 + L);
                int r2 = co + 2 * ldc;
                c20.fma(va, FloatVector.fromArray(F, c, r2).mul(vb)).intoArray(c, r2);
                c21.fma(va, FloatVector.fromArray(F, c, r2 + L).mul(vb)).intoArray(c, r2 + L);
                int r3 = co + 3 * ldc;
                c30.fma(va, FloatVector.fromArray(F, c, r3).mul(vb)).intoArray(c, r3);
                c31.fma(va, FloatVector.fromArray(F, c, r3 + L).mul(vb)).intoArray(c, r3 + L);
                int r4 = co + 4 * ldc;
                c40.fma(va, FloatVector.fromArray(F, c, r4).mul(vb)).intoArray(c, r4);
                c41.fma(va, FloatVector.fromArray(F, c, r4 + L).mul(vb)).intoArray(c, r4 + L);
                int r5 = co + 5 * ldc;
                c50.fma(va, FloatVector.fromArray(F, c, r5).mul(vb)).intoArray(c, r5);
                c51.fma(va, FloatVector.fromArray(F, c, r5 + L).mul(vb)).intoArray(c, r5 + L);
                int r6 = co + 6 * ldc;
                c60.fma(va, FloatVector.fromArray(F, c, r6).mul(vb)).intoArray(c, r6);
                c61.fma(va, FloatVector.fromArray(F, c, r6 + L).mul(vb)).intoArray(c, r6 + L);
                int r7 = co + 7 * ldc;
                c70.fma(va, FloatVector.fromArray(F, c, r7).mul(vb)).intoArray(c, r7);
                c71.fma(va, FloatVector.fromArray(F, c, r7 + L).mul(vb)).intoArray(c, r7 + L);
            }
            return;
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
        mergeTile(tile, w, alpha, beta, c, co, ldc, rows, cols);
    }

    /**
     * C tile (rows, cols) at c[co], row stride ldc, = alpha * Apanel * Bpanel + beta * C, where
     * Apanel is packed (kc, 8) at a[ao] and Bpanel is packed (kc, 1 vectors) at b[bo]. A full
     * tile (8, 1L) is written with vector stores; a partial one goes through {@code tile}.
     */
    static void kernel8x1(int kc, float[] a, int ao, float[] b, int bo, float alpha, float beta,
                          float[] c, int co, int ldc, int rows, int cols, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c10 = c00, c20 = c00, c30 = c00, c40 = c00, c50 = c00, c60 = c00, c70 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * L;
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
        if (rows == 8 && cols == 1 * L) {
            FloatVector va = FloatVector.broadcast(F, alpha);
            if (beta == 0f) {
                int r0 = co;
                c00.mul(va).intoArray(c, r0);
                int r1 = co + ldc;
                c10.mul(va).intoArray(c, r1);
                int r2 = co + 2 * ldc;
                c20.mul(va).intoArray(c, r2);
                int r3 = co + 3 * ldc;
                c30.mul(va).intoArray(c, r3);
                int r4 = co + 4 * ldc;
                c40.mul(va).intoArray(c, r4);
                int r5 = co + 5 * ldc;
                c50.mul(va).intoArray(c, r5);
                int r6 = co + 6 * ldc;
                c60.mul(va).intoArray(c, r6);
                int r7 = co + 7 * ldc;
                c70.mul(va).intoArray(c, r7);
            } else {
                FloatVector vb = FloatVector.broadcast(F, beta);
                int r0 = co;
                c00.fma(va, FloatVector.fromArray(F, c, r0).mul(vb)).intoArray(c, r0);
                int r1 = co + ldc;
                c10.fma(va, FloatVector.fromArray(F, c, r1).mul(vb)).intoArray(c, r1);
                int r2 = co + 2 * ldc;
                c20.fma(va, FloatVector.fromArray(F, c, r2).mul(vb)).intoArray(c, r2);
                int r3 = co + 3 * ldc;
                c30.fma(va, FloatVector.fromArray(F, c, r3).mul(vb)).intoArray(c, r3);
                int r4 = co + 4 * ldc;
                c40.fma(va, FloatVector.fromArray(F, c, r4).mul(vb)).intoArray(c, r4);
                int r5 = co + 5 * ldc;
                c50.fma(va, FloatVector.fromArray(F, c, r5).mul(vb)).intoArray(c, r5);
                int r6 = co + 6 * ldc;
                c60.fma(va, FloatVector.fromArray(F, c, r6).mul(vb)).intoArray(c, r6);
                int r7 = co + 7 * ldc;
                c70.fma(va, FloatVector.fromArray(F, c, r7).mul(vb)).intoArray(c, r7);
            }
            return;
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
        mergeTile(tile, w, alpha, beta, c, co, ldc, rows, cols);
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
