package dev.lanes.kernels.scalar;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.spi.Im2colKernel;

/** The reference im2col and col2im: one element at a time, in row order. */
public final class ScalarIm2col implements Im2colKernel {
    @Override
    public void im2col(float[] col, int offCol, int ldCol, float[] in, int offIn, ConvGeometry g,
                       int pFirst, int pEnd) {
        everyTap(true, col, offCol, ldCol, in, offIn, g, pFirst, pEnd);
    }

    @Override
    public void col2imAdd(float[] in, int offIn, float[] col, int offCol, int ldCol, ConvGeometry g,
                          int pFirst, int pEnd) {
        everyTap(false, col, offCol, ldCol, in, offIn, g, pFirst, pEnd);
    }

    /**
     * For every tap (c, r, s) and output (p, q) with pFirst &lt;= p &lt; pEnd: im2col copies the input
     * element into col (0 in the padding); col2im adds col's element into in (nothing in the padding).
     */
    private static void everyTap(boolean im2col, float[] col, int offCol, int ldCol, float[] in, int offIn,
                                 ConvGeometry g, int pFirst, int pEnd) {
        int q0 = g.outWidth();
        for (int c = 0; c < g.inChannels(); c++) {
            for (int r = 0; r < g.kernelHeight(); r++) {
                for (int s = 0; s < g.kernelWidth(); s++) {
                    int row = offCol + ((c * g.kernelHeight() + r) * g.kernelWidth() + s) * ldCol;
                    for (int p = pFirst; p < pEnd; p++) {
                        for (int q = 0; q < q0; q++) {
                            int at = source(g, offIn, c, r, s, p, q);
                            int k = row + (p - pFirst) * q0 + q;
                            if (im2col) {
                                col[k] = at < 0 ? 0f : in[at];
                            } else if (at >= 0) {
                                in[at] += col[k];
                            }
                        }
                    }
                }
            }
        }
    }

    /** The index in in that tap (c, r, s) reads for output (p, q), or -1 where it falls in the padding. */
    private static int source(ConvGeometry g, int offIn, int c, int r, int s, int p, int q) {
        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
        int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
        boolean inside = h >= 0 && h < g.inHeight() && w >= 0 && w < g.inWidth();
        return inside ? offIn + (c * g.inHeight() + h) * g.inWidth() + w : -1;
    }
}
