package dev.lanes.kernels.panama.conv;

/**
 * The scalar tails of the direct convolution's tiles ({@link DirectConvTiles} and
 * PanamaDirectConvPlan.weightTile), for the last vectors that would reach past the end of an
 * array: a masked access there takes the Vector API's checked path, which allocated (see
 * PanamaTail). Each computes what the vector lanes compute, the same fma chain in the same order,
 * so the bits are the same. Scalar, so no vector crosses a call.
 */
final class DirectConvTails {
    private DirectConvTails() {
    }

    /**
     * Whether the last pair of vectors of DirectConvTiles.tile at column j (lanes wide
     * each), loaded from b's last row at {@code lastB} and stored at d_i + j for the rows i used,
     * lies inside b and dst.
     */
    static boolean tileFits(float[] b, int lastB, float[] dst, int d0, int d1, int d2, int d3, int rows, int j,
                            int lanes) {
        int end = j + 2 * lanes;
        return lastB + 2 * lanes <= b.length && d0 + end <= dst.length && (rows < 2 || d1 + end <= dst.length)
                && (rows < 3 || d2 + end <= dst.length) && (rows < 4 || d3 + end <= dst.length);
    }

    /**
     * Columns [j, columns) of DirectConvTiles.tile: dst row i [x] = the fma chain over u of
     * b[bFirst + u*bStride + x] * a[a_i + u*aStride], from 0.
     */
    static void tile(float[] a, int a0, int a1, int a2, int a3, int aStride, int length,
                     float[] b, int bFirst, int bStride, int columns,
                     float[] dst, int d0, int d1, int d2, int d3, int rows, int j) {
        for (int i = 0; i < rows; i++) {
            int ai = i == 0 ? a0 : i == 1 ? a1 : i == 2 ? a2 : a3;
            int di = i == 0 ? d0 : i == 1 ? d1 : i == 2 ? d2 : d3;
            for (int x = j; x < columns; x++) {
                float c = 0f;
                for (int u = 0; u < length; u++) {
                    c = Math.fma(b[bFirst + u * bStride + x], a[ai + u * aStride], c);
                }
                dst[di + x] = c;
            }
        }
    }

    /**
     * The accumulators of PanamaDirectConvPlan's weight tile over pixels [first, columns), fewer
     * than its {@code lanes} (the logical 16): lane l of accumulator (i, j), stored at
     * sums[(2i + j) * lanes + l], is fma(dy, c, 0) as in the vector loop's single step, and 0 past columns.
     */
    static void weightSums(float[] col, float[] sums, int columns, float[] grad, int gradFirst, int gradStride,
                           int k, int kLast, int t, int tLast, int first, int lanes) {
        for (int i = 0; i < 4; i++) {
            int d = gradFirst + Math.min(k + i, kLast) * gradStride + first;
            for (int j = 0; j < 2; j++) {
                int x = Math.min(t + j, tLast) * columns + first;
                for (int l = 0; l < lanes; l++) {
                    sums[(2 * i + j) * lanes + l] = first + l < columns ? Math.fma(grad[d + l], col[x + l], 0f) : 0f;
                }
            }
        }
    }
}
