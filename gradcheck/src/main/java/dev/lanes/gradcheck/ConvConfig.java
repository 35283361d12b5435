package dev.lanes.gradcheck;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.tensor.Shape;

/**
 * A valid 2-D convolution configuration with its input: NCHW input (batch, inChannels, height,
 * width), outChannels filters of kernelHeight x kernelWidth over inChannels/groups channels each,
 * stride, zero padding per side, dilation: the parameters of a {@link ConvGeometry} (which
 * computes the output size) and a batch. Built valid by {@code Gens.conv}
 * (QuickTheories generators in gradcheck's tests).
 *
 * @param batch the number of images (or rows) in the batch, {@code >= 1}
 * @param inChannels the input channels, {@code >= 1}
 * @param height the input height, {@code >= 1}
 * @param width the input width, {@code >= 1}
 * @param outChannels the output channels, {@code >= 1}
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
 * @param groups the channel groups; it divides both channel counts
 */
public record ConvConfig(int batch, int inChannels, int height, int width, int outChannels, int kernelHeight,
                         int kernelWidth, int strideHeight, int strideWidth, int padTop, int padBottom, int padLeft,
                         int padRight, int dilationHeight, int dilationWidth, int groups) {

    /**
     * Checks the configuration.
     *
     * @throws IllegalArgumentException if the configuration is impossible (as {@link ConvGeometry} checks it)
     */
    public ConvConfig {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        geometry(inChannels, height, width, outChannels, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop,
                padBottom, padLeft, padRight, dilationHeight, dilationWidth, groups);
    }

    private static ConvGeometry geometry(int inChannels, int height, int width, int outChannels, int kernelHeight,
                                         int kernelWidth, int strideHeight, int strideWidth, int padTop,
                                         int padBottom, int padLeft, int padRight, int dilationHeight,
                                         int dilationWidth, int groups) {
        return ConvGeometry.builder().input(inChannels, height, width).outChannels(outChannels)
                .kernel(kernelHeight, kernelWidth).stride(strideHeight, strideWidth)
                .padding(padTop, padBottom, padLeft, padRight).dilation(dilationHeight, dilationWidth).groups(groups)
                .build();
    }

    /**
     * {@return the kernels' geometry of this convolution and its input (what layers and references
     * take)}
     */
    public ConvGeometry geometry() {
        return geometry(inChannels, height, width, outChannels, kernelHeight, kernelWidth, strideHeight, strideWidth,
                padTop, padBottom, padLeft, padRight, dilationHeight, dilationWidth, groups);
    }

    /**
     * P, the output height.
     *
     * @return P, the output height
     */
    public int outHeight() {
        return geometry().outHeight();
    }

    /**
     * Q, the output width.
     *
     * @return Q, the output width
     */
    public int outWidth() {
        return geometry().outWidth();
    }

    /**
     * {@return whether padding is the same on all four sides (layers that take one padding need
     * this)}
     */
    public boolean symmetricPadding() {
        return padTop == padBottom && padLeft == padRight;
    }

    /**
     * (batch, inChannels, height, width).
     *
     * @return the input shape (batch, inChannels, height, width)
     */
    public Shape inputShape() {
        return Shape.of(batch, inChannels, height, width);
    }

    /**
     * (batch, outChannels, P, Q).
     *
     * @return the output shape (batch, outChannels, P, Q)
     */
    public Shape outputShape() {
        return Shape.of(batch, outChannels, outHeight(), outWidth());
    }

    /**
     * (outChannels, inChannels / groups, kernelHeight, kernelWidth).
     *
     * @return the weight shape (outChannels, inChannels / groups, kernelHeight, kernelWidth)
     */
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
