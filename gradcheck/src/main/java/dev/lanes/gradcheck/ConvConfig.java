package dev.lanes.gradcheck;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.tensor.Shape;

/**
 * A valid 2-D convolution configuration with its input: NCHW input (batch, inChannels, height,
 * width), outChannels filters of kernelHeight x kernelWidth over inChannels/groups channels each,
 * stride, zero padding per side, dilation: the parameters of a {@link ConvGeometry} (which
 * computes the output size) and a batch. Built valid by {@code Gens.conv}
 * (QuickTheories generators in gradcheck's tests).
 */
public record ConvConfig(int batch, int inChannels, int height, int width, int outChannels, int kernelHeight,
                         int kernelWidth, int strideHeight, int strideWidth, int padTop, int padBottom, int padLeft,
                         int padRight, int dilationHeight, int dilationWidth, int groups) {

    /** @throws IllegalArgumentException if the configuration is impossible (as {@link ConvGeometry} checks it) */
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

    /** The kernels' geometry of this convolution and its input (what layers and references take). */
    public ConvGeometry geometry() {
        return geometry(inChannels, height, width, outChannels, kernelHeight, kernelWidth, strideHeight, strideWidth,
                padTop, padBottom, padLeft, padRight, dilationHeight, dilationWidth, groups);
    }

    /** P, the output height. */
    public int outHeight() {
        return geometry().outHeight();
    }

    /** Q, the output width. */
    public int outWidth() {
        return geometry().outWidth();
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
