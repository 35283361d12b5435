package dev.lanes.gradcheck;

import dev.lanes.tensor.Shape;

/**
 * A valid 2-D convolution configuration with its input: NCHW input (batch, inChannels, height,
 * width), outChannels filters of kernelHeight x kernelWidth over inChannels/groups channels each,
 * stride, zero padding per side, dilation. Output size per axis:
 * {@code (in + padBefore + padAfter - dilation*(kernel-1) - 1) / stride + 1}.
 * Built valid by {@link Gens#conv}.
 */
public record ConvConfig(int batch, int inChannels, int height, int width, int outChannels, int kernelHeight,
                         int kernelWidth, int strideHeight, int strideWidth, int padTop, int padBottom, int padLeft,
                         int padRight, int dilationHeight, int dilationWidth, int groups) {

    /** @throws IllegalArgumentException if the configuration is impossible */
    public ConvConfig {
        if (batch < 1 || inChannels < 1 || outChannels < 1 || groups < 1 || inChannels % groups != 0
                || outChannels % groups != 0) {
            throw new IllegalArgumentException("channels " + inChannels + " -> " + outChannels + " do not split into "
                    + groups + " groups (or a size is below 1)");
        }
        if (outputSize(height, padTop, padBottom, kernelHeight, dilationHeight, strideHeight) < 1
                || outputSize(width, padLeft, padRight, kernelWidth, dilationWidth, strideWidth) < 1
                || height < 1 || width < 1 || strideHeight < 1 || strideWidth < 1 || padTop < 0 || padBottom < 0
                || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("empty or invalid convolution geometry");
        }
    }

    static int outputSize(int in, int before, int after, int kernel, int dilation, int stride) {
        int span = in + before + after - dilation * (kernel - 1) - 1;
        return span < 0 || kernel < 1 || dilation < 1 ? 0 : span / stride + 1;
    }

    /** P, the output height. */
    public int outHeight() {
        return outputSize(height, padTop, padBottom, kernelHeight, dilationHeight, strideHeight);
    }

    /** Q, the output width. */
    public int outWidth() {
        return outputSize(width, padLeft, padRight, kernelWidth, dilationWidth, strideWidth);
    }

    /** Whether padding is the same on all four sides (layers that take one padding need this). */
    public boolean symmetricPadding() {
        return padTop == padBottom && padLeft == padRight;
    }

    /** (batch, inChannels, height, width). */
    public Shape inputShape() {
        return Shape.of(batch, inChannels, height, width);
    }

    /** (batch, outChannels, P, Q). */
    public Shape outputShape() {
        return Shape.of(batch, outChannels, outHeight(), outWidth());
    }

    /** (outChannels, inChannels / groups, kernelHeight, kernelWidth). */
    public Shape weightShape() {
        return Shape.of(outChannels, inChannels / groups, kernelHeight, kernelWidth);
    }

    @Override
    public String toString() {
        return "Conv(n=" + batch + ", " + inChannels + "x" + height + "x" + width + " -> " + outChannels + "x"
                + outHeight() + "x" + outWidth() + ", kernel " + kernelHeight + "x" + kernelWidth + ", stride "
                + strideHeight + "x" + strideWidth + ", pad " + padTop + "," + padBottom + "," + padLeft + ","
                + padRight + ", dilation " + dilationHeight + "x" + dilationWidth + ", groups " + groups + ")";
    }
}
