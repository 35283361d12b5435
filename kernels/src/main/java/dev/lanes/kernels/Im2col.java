package dev.lanes.kernels;

import dev.lanes.kernels.spi.Im2colKernel;

/**
 * im2col and col2im for one NCHW image: the column matrix of a convolution, which turns it into a
 * GEMM ({@link Conv2d} uses them internally, a block of output rows at a time).
 *
 * <p>The column matrix is row-major (C*R*S, P*Q): row {@code (c*R + r)*S + s}, column
 * {@code p*Q + q} holds {@code in[c][p*strideH - padTop + r*dilationH][q*strideW - padLeft + s*dilationW]},
 * zero where that lies in the padding. All C channels are included whatever the groups: group
 * {@code g}'s rows are the contiguous block starting at row {@code g * (C/groups)*R*S}.
 */
public final class Im2col {
    private static final Im2colKernel IMPL = KernelProvider.KERNELS.im2col();

    private Im2col() {
    }

    /**
     * {@return floats of the column matrix of one image: C*R*S*P*Q}
     *
     * @param g the convolution geometry
     */
    public static long columnSize(ConvGeometry g) {
        return (long) g.inChannels() * g.kernelHeight() * g.kernelWidth() * g.outHeight() * g.outWidth();
    }

    /**
     * col (C*R*S, P*Q) = the windows of in (C, H, W). Copies, so the result is exact.
     *
     * @param col the column matrix (C*R*S, P*Q), row-major
     * @param offCol the index in {@code col} of its first element
     * @param in the image (C, H, W), row-major
     * @param offIn the index in {@code in} of its first element
     * @param g the convolution geometry
     */
    public static void im2col(float[] col, int offCol, float[] in, int offIn, ConvGeometry g) {
        check(col, offCol, in, offIn, g);
        IMPL.im2col(col, offCol, g.outHeight() * g.outWidth(), in, offIn, g, 0, g.outHeight());
    }

    /**
     * in (C, H, W) = the sum, for every input element, of the col (C*R*S, P*Q) elements taken from
     * it (the adjoint of {@link #im2col}); overwrites in. Elements no window covers become 0.
     *
     * @param in the image (C, H, W), row-major, overwritten
     * @param offIn the index in {@code in} of its first element
     * @param col the column matrix (C*R*S, P*Q), row-major
     * @param offCol the index in {@code col} of its first element
     * @param g the convolution geometry
     */
    public static void col2im(float[] in, int offIn, float[] col, int offCol, ConvGeometry g) {
        check(col, offCol, in, offIn, g);
        java.util.Arrays.fill(in, offIn, offIn + g.inputSize(), 0f);
        IMPL.col2imAdd(in, offIn, col, offCol, g.outHeight() * g.outWidth(), g, 0, g.outHeight());
    }

    private static void check(float[] col, int offCol, float[] in, int offIn, ConvGeometry g) {
        Check.notNull("geometry", g);
        long size = columnSize(g);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the column matrix would hold " + size + " floats for " + g
                    + ", more than an array can hold");
        }
        Check.range("col", col, offCol, (int) size);
        Check.range("in", in, offIn, g.inputSize());
        Check.disjoint("col", col, offCol, size, "in", in, offIn, g.inputSize());
    }
}
