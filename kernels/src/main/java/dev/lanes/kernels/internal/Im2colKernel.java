package dev.lanes.kernels.internal;

import dev.lanes.kernels.ConvGeometry;

/**
 * im2col and col2im for one image and a range of output rows. Column matrices are row-major
 * (C*R*S, columns) with row stride ldCol: row {@code (c*R + r)*S + s}, column
 * {@code (p - pFirst)*pitch + q} holds {@code in[c][p*sh - pt + r*dh][q*sw - pl + s*dw]} (zero in
 * the padding), for q below Q; columns q in [Q, pitch) of each output row hold zeros. A pitch
 * of Q is the plain layout; a pitch of W lets a unit-stride convolution copy whole runs of the
 * input ({@link PanamaIm2col}). Arguments are validated by the caller.
 */
public interface Im2colKernel {
    /** col (C*R*S, (pEnd-pFirst)*pitch) at offCol, row stride ldCol, = the windows of in (C, H, W), output rows [pFirst, pEnd). */
    void im2col(float[] col, int offCol, int ldCol, int pitch, float[] in, int offIn, ConvGeometry g, int pFirst,
                int pEnd);

    /**
     * in (C, H, W) += every element of col (C*R*S, (pEnd-pFirst)*pitch) added at the input
     * position it was taken from (columns q >= Q are ignored). With {@code scratch} the elements
     * of col at window positions in the padding, and past Q, may be overwritten (with -0, which
     * adds nothing).
     */
    void col2imAdd(float[] in, int offIn, float[] col, int offCol, int ldCol, int pitch, ConvGeometry g, int pFirst,
                   int pEnd, boolean scratch);
}
