package dev.lanes.gradcheck;

import dev.lanes.tensor.Shape;

/**
 * A valid 2-D pooling configuration with its input, with PyTorch's rules: output size per axis
 * {@code (in + padBefore + padAfter - dilation*(kernel-1) - 1) / stride + 1}, rounded down, or up
 * in ceil mode where a last window starting in the bottom/right padding (or past it) is dropped;
 * every window holds at least one input element. Built valid by {@code Gens.pool}
 * (QuickTheories generators in gradcheck's tests).
 *
 * @param batch the number of images (or rows) in the batch, {@code >= 1}
 * @param channels the channels, {@code >= 1}
 * @param height the input height, {@code >= 1}
 * @param width the input width, {@code >= 1}
 * @param kernelHeight the kernel (window) height, {@code >= 1}
 * @param kernelWidth the kernel (window) width, {@code >= 1}
 * @param strideHeight the vertical stride, {@code >= 1}
 * @param strideWidth the horizontal stride, {@code >= 1}
 * @param padTop the padding rows above the input, {@code >= 0}
 * @param padBottom the padding rows below the input, {@code >= 0}
 * @param padLeft the padding columns left of the input, {@code >= 0}
 * @param padRight the padding columns right of the input, {@code >= 0}
 * @param dilationHeight the vertical dilation (1: adjacent rows), {@code >= 1}
 * @param dilationWidth the horizontal dilation (1: adjacent columns), {@code >= 1}
 * @param ceilMode true to round the output size up, false to round down
 */
public record PoolConfig(int batch, int channels, int height, int width, int kernelHeight, int kernelWidth,
                         int strideHeight, int strideWidth, int padTop, int padBottom, int padLeft, int padRight,
                         int dilationHeight, int dilationWidth, boolean ceilMode) {

    /**
     * Checks the configuration.
     *
     * @throws IllegalArgumentException if the configuration is impossible
     */
    public PoolConfig {
        if (batch < 1 || channels < 1 || height < 1 || width < 1 || strideHeight < 1 || strideWidth < 1
                || kernelHeight < 1 || kernelWidth < 1 || dilationHeight < 1 || dilationWidth < 1 || padTop < 0
                || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("invalid pooling sizes");
        }
        int p = outputSize(height, padTop, padBottom, kernelHeight, dilationHeight, strideHeight, ceilMode);
        int q = outputSize(width, padLeft, padRight, kernelWidth, dilationWidth, strideWidth, ceilMode);
        if (p < 1 || q < 1 || !everyWindowSeesInput(p, height, padTop, kernelHeight, dilationHeight, strideHeight)
                || !everyWindowSeesInput(q, width, padLeft, kernelWidth, dilationWidth, strideWidth)) {
            throw new IllegalArgumentException("empty output or a window entirely in the padding");
        }
    }

    static int outputSize(int in, int before, int after, int kernel, int dilation, int stride, boolean ceil) {
        int span = in + before + after - dilation * (kernel - 1) - 1;
        if (span < 0) {
            return 0;
        }
        int size = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (size - 1) * stride >= in + before) {
            size--;
        }
        return size;
    }

    static boolean everyWindowSeesInput(int out, int in, int before, int kernel, int dilation, int stride) {
        for (int p = 0; p < out; p++) {
            boolean sees = false;
            for (int r = 0; r < kernel; r++) {
                int x = p * stride - before + r * dilation;
                sees |= x >= 0 && x < in;
            }
            if (!sees) {
                return false;
            }
        }
        return true;
    }

    /**
     * P, the output height.
     *
     * @return P, the output height
     */
    public int outHeight() {
        return outputSize(height, padTop, padBottom, kernelHeight, dilationHeight, strideHeight, ceilMode);
    }

    /**
     * Q, the output width.
     *
     * @return Q, the output width
     */
    public int outWidth() {
        return outputSize(width, padLeft, padRight, kernelWidth, dilationWidth, strideWidth, ceilMode);
    }

    /** {@return whether padding is the same on all four sides} */
    public boolean symmetricPadding() {
        return padTop == padBottom && padLeft == padRight;
    }

    /**
     * (batch, channels, height, width).
     *
     * @return the input shape (batch, channels, height, width)
     */
    public Shape inputShape() {
        return Shape.of(batch, channels, height, width);
    }

    /**
     * (batch, channels, P, Q).
     *
     * @return the output shape (batch, channels, P, Q)
     */
    public Shape outputShape() {
        return Shape.of(batch, channels, outHeight(), outWidth());
    }

    @Override
    public String toString() {
        return "Pool(n=" + batch + ", " + channels + "x" + height + "x" + width + " -> " + outHeight() + "x"
                + outWidth() + ", window " + kernelHeight + "x" + kernelWidth + ", stride " + strideHeight + "x"
                + strideWidth + ", pad " + padTop + "," + padBottom + "," + padLeft + "," + padRight + ", dilation "
                + dilationHeight + "x" + dilationWidth + (ceilMode ? ", ceil" : "") + ")";
    }
}
