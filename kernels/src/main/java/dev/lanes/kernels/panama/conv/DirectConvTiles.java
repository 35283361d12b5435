package dev.lanes.kernels.panama.conv;

import dev.lanes.kernels.panama.support.PanamaSpecies;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 4 x 2-vector register tile of {@link PanamaDirectConvPlan}'s forward and data passes: up to
 * four rows of a (rows, length) matrix times a (length, columns) matrix, without packing.
 */
final class DirectConvTiles {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    private DirectConvTiles() {
    }

    /**
     * {@link #tile}, with its last pair of column vectors in scalar ({@link DirectConvTails#tile},
     * the same fma chain) when that pair would reach past the end of b or of dst, where a masked
     * access takes the Vector API's checked path (see PanamaTail). The check lives here, not in
     * tile: inside tile it made C1 give up on the method again ("out of virtual registers"), and
     * the direct convolution ran boxed at about 1 GFLOP/s (LeNet C1 and the 1->32 3x3 layer, 0.9
     * and 1.1 GFLOP/s forward in the report) for as long as C2 kept deoptimizing it. The column
     * scratch has a pair of vectors of slack, so only the ends of the caller's arrays come here.
     */
    static void tileInside(float[] a, int a0, int a1, int a2, int a3, int aStride, int length,
                                   float[] b, int bFirst, int bStride, int columns,
                                   float[] dst, int d0, int d1, int d2, int d3, int rows) {
        int pair = 2 * F.length();
        int last = Math.max(columns - 1, 0) / pair * pair;
        if (DirectConvTails.tileFits(b, bFirst + Math.max(length - 1, 0) * bStride + last, dst, d0, d1, d2, d3, rows,
                last, F.length())) {
            tile(a, a0, a1, a2, a3, aStride, length, b, bFirst, bStride, columns, dst, d0, d1, d2, d3, rows);
        } else {
            tile(a, a0, a1, a2, a3, aStride, length, b, bFirst, bStride, last, dst, d0, d1, d2, d3, rows);
            DirectConvTails.tile(a, a0, a1, a2, a3, aStride, length, b, bFirst, bStride, columns, dst, d0, d1, d2, d3,
                    rows, last);
        }
    }

    /**
     * dst row i (i < rows <= 4, at d_i) [j] = sum over u < length of a[a_i + u*aStride] *
     * b[bFirst + u*bStride + j], for j in [0, columns): 4 rows x 2 vectors of accumulators, the
     * last pair of vectors masked to the columns. Rows past {@code rows} repeat the last one and
     * are not stored. Kept this small (no epilogue, no tail check: see {@link #tileInside}) so that
     * C1 can compile it: a method C1 gives up on ("out of virtual registers") runs interpreted
     * until C2 gets to it, boxing every vector.
     */
    private static void tile(float[] a, int a0, int a1, int a2, int a3, int aStride, int length,
                             float[] b, int bFirst, int bStride, int columns,
                             float[] dst, int d0, int d1, int d2, int d3, int rows) {
        int lanes = F.length();
        for (int j = 0; j < columns; j += 2 * lanes) {
            VectorMask<Float> m0 = F.indexInRange(j, columns);
            VectorMask<Float> m1 = F.indexInRange(j + lanes, columns);
            FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00;
            FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            for (int u = 0; u < length; u++) {
                int at = bFirst + u * bStride + j;
                FloatVector x0 = FloatVector.fromArray(F, b, at, m0);
                FloatVector x1 = FloatVector.fromArray(F, b, at + lanes, m1);
                FloatVector w = FloatVector.broadcast(F, a[a0 + u * aStride]);
                c00 = x0.fma(w, c00);
                c01 = x1.fma(w, c01);
                w = FloatVector.broadcast(F, a[a1 + u * aStride]);
                c10 = x0.fma(w, c10);
                c11 = x1.fma(w, c11);
                w = FloatVector.broadcast(F, a[a2 + u * aStride]);
                c20 = x0.fma(w, c20);
                c21 = x1.fma(w, c21);
                w = FloatVector.broadcast(F, a[a3 + u * aStride]);
                c30 = x0.fma(w, c30);
                c31 = x1.fma(w, c31);
            }
            c00.intoArray(dst, d0 + j, m0);
            c01.intoArray(dst, d0 + j + lanes, m1);
            if (rows > 1) {
                c10.intoArray(dst, d1 + j, m0);
                c11.intoArray(dst, d1 + j + lanes, m1);
            }
            if (rows > 2) {
                c20.intoArray(dst, d2 + j, m0);
                c21.intoArray(dst, d2 + j + lanes, m1);
            }
            if (rows > 3) {
                c30.intoArray(dst, d3 + j, m0);
                c31.intoArray(dst, d3 + j + lanes, m1);
            }
        }
    }
}
