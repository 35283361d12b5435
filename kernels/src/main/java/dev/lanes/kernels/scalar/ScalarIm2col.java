package dev.lanes.kernels.scalar;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.spi.Im2colKernel;

/** The reference im2col and col2im: one element at a time, in row order. */
public final class ScalarIm2col implements Im2colKernel {
    @Override
    public void im2col(float[] col, int offCol, int ldCol, float[] in, int offIn, ConvGeometry g,
                       int pFirst, int pEnd) {
        int q0 = g.outWidth();
        for (int c = 0; c < g.inChannels(); c++) {
            for (int r = 0; r < g.kernelHeight(); r++) {
                for (int s = 0; s < g.kernelWidth(); s++) {
                    int row = offCol + ((c * g.kernelHeight() + r) * g.kernelWidth() + s) * ldCol;
                    for (int p = pFirst; p < pEnd; p++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        for (int q = 0; q < q0; q++) {
                            int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                            boolean inside = h >= 0 && h < g.inHeight() && w >= 0 && w < g.inWidth();
                            col[row + (p - pFirst) * q0 + q] =
                                    inside ? in[offIn + (c * g.inHeight() + h) * g.inWidth() + w] : 0f;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void col2imAdd(float[] in, int offIn, float[] col, int offCol, int ldCol, ConvGeometry g,
                          int pFirst, int pEnd) {
        int q0 = g.outWidth();
        for (int c = 0; c < g.inChannels(); c++) {
            for (int r = 0; r < g.kernelHeight(); r++) {
                for (int s = 0; s < g.kernelWidth(); s++) {
                    int row = offCol + ((c * g.kernelHeight() + r) * g.kernelWidth() + s) * ldCol;
                    for (int p = pFirst; p < pEnd; p++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        if (h < 0 || h >= g.inHeight()) {
                            continue;
                        }
                        for (int q = 0; q < q0; q++) {
                            int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                            if (w >= 0 && w < g.inWidth()) {
                                in[offIn + (c * g.inHeight() + h) * g.inWidth() + w] += col[row + (p - pFirst) * q0 + q];
                            }
                        }
                    }
                }
            }
        }
    }
}
