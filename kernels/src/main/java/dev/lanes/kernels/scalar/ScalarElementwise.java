package dev.lanes.kernels.scalar;

import dev.lanes.kernels.spi.ElementwiseKernel;
/**
 * The reference elementwise kernels: one loop each, in index order. Every operation is a single
 * IEEE float operation per element (axpy a single fused multiply-add; max, min and abs exact
 * selections, sqrt correctly rounded), so the vector kernels must match these bit for bit.
 */
public final class ScalarElementwise implements ElementwiseKernel {
    @Override
    public void copy(float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn, int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i * strideOut] = in[offIn + i * strideIn];
        }
    }

    @Override
    public void binary(Binary op, float[] out, int offOut, int strideOut, float[] a, int offA, int strideA,
                       float[] b, int offB, int strideB, int length) {
        for (int i = 0; i < length; i++) {
            float x = a[offA + i * strideA];
            float y = b[offB + i * strideB];
            out[offOut + i * strideOut] = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case MAX -> Math.max(x, y);
                case MIN -> Math.min(x, y);
            };
        }
    }

    @Override
    public void unary(Unary op, float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn,
                      int length) {
        for (int i = 0; i < length; i++) {
            float x = in[offIn + i * strideIn];
            out[offOut + i * strideOut] = switch (op) {
                case ABS -> Math.abs(x);
                // The double square root of a float, rounded to float, is the correctly rounded
                // float square root (double carries more than 2 * 24 + 2 bits).
                case SQRT -> (float) Math.sqrt(x);
            };
        }
    }

    @Override
    public void scale(float[] out, int offOut, int strideOut, float alpha, float[] in, int offIn, int strideIn,
                      int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i * strideOut] = alpha * in[offIn + i * strideIn];
        }
    }

    @Override
    public void axpy(float[] y, int offY, int strideY, float alpha, float[] x, int offX, int strideX, int length) {
        for (int i = 0; i < length; i++) {
            int at = offY + i * strideY;
            y[at] = Math.fma(alpha, x[offX + i * strideX], y[at]);
        }
    }

    @Override
    public void clip(float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn, float min, float max,
                     int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i * strideOut] = Math.min(Math.max(in[offIn + i * strideIn], min), max);
        }
    }

    @Override
    public void addBiasChannels(float[] data, int offData, float[] bias, int offBias, int batch, int channels,
                                int spatial) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int plane = offData + (n * channels + c) * spatial;
                float b = bias[offBias + c];
                for (int s = 0; s < spatial; s++) {
                    data[plane + s] += b;
                }
            }
        }
    }

    @Override
    public void addBiasRows(float[] data, int offData, int ld, float[] bias, int offBias, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                data[offData + r * ld + j] += bias[offBias + j];
            }
        }
    }
}
