package dev.lanes.kernels.spi;

/**
 * Elementwise arithmetic over strided float arrays: element i of an operand sits at
 * {@code offset + i * stride}; a stride of 1 everywhere is the contiguous fast path. Arguments
 * arrive validated by {@link dev.lanes.kernels.Elementwise}.
 */
public interface ElementwiseKernel {
    /** The binary operations; MAX and MIN are Math.max and Math.min (NaN propagates, +0 above -0). */
    enum Binary {
        ADD, SUB, MUL, DIV, MAX, MIN
    }

    /** The unary operations: Math.abs and the correctly rounded IEEE square root. */
    enum Unary {
        ABS, SQRT
    }

    /** out_i = in_i. */
    void copy(float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn, int length);

    /** out_i = a_i op b_i. */
    void binary(Binary op, float[] out, int offOut, int strideOut, float[] a, int offA, int strideA,
                float[] b, int offB, int strideB, int length);

    /** out_i = op(in_i). */
    void unary(Unary op, float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn, int length);

    /** out_i = alpha * in_i. */
    void scale(float[] out, int offOut, int strideOut, float alpha, float[] in, int offIn, int strideIn, int length);

    /** y_i = fma(alpha, x_i, y_i): alpha * x_i + y_i rounded once. */
    void axpy(float[] y, int offY, int strideY, float alpha, float[] x, int offX, int strideX, int length);

    /** out_i = Math.min(Math.max(in_i, min), max). */
    void clip(float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn, float min, float max,
              int length);

    /** data (batch, channels, spatial) row-major: data[n, c, s] += bias[c]. */
    void addBiasChannels(float[] data, int offData, float[] bias, int offBias, int batch, int channels, int spatial);

    /** data (rows, cols) with row stride ld: data[r, j] += bias[j]. */
    void addBiasRows(float[] data, int offData, int ld, float[] bias, int offBias, int rows, int cols);
}
