package dev.lanes.kernels.spi;

import dev.lanes.kernels.ConvGeometry;

/**
 * im2col and col2im for one image and a range of output rows. Column matrices are row-major
 * (C*R*S, columns) with row stride ldCol: row {@code (c*R + r)*S + s}, column
 * {@code (p - pFirst)*Q + q} holds {@code in[c][p*sh - pt + r*dh][q*sw - pl + s*dw]} (zero in the
 * padding). Arguments are validated by the caller.
 */
public interface Im2colKernel {
    /** col (C*R*S, (pEnd-pFirst)*Q) at offCol, row stride ldCol, = the windows of in (C, H, W), output rows [pFirst, pEnd). */
    void im2col(float[] col, int offCol, int ldCol, float[] in, int offIn, ConvGeometry g, int pFirst, int pEnd);

    /**
     * in (C, H, W) += every element of col (C*R*S, (pEnd-pFirst)*Q) added at the input position
     * it was taken from, taps in order (the sum order of the scalar loops).
     */
    void col2imAdd(float[] in, int offIn, float[] col, int offCol, int ldCol, ConvGeometry g, int pFirst, int pEnd);
}
