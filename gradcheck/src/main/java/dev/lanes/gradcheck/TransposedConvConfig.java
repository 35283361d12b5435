package dev.lanes.gradcheck;

import dev.lanes.tensor.Shape;

/**
 * A valid 2-D transposed convolution configuration with its input: NCHW input (batch, inChannels,
 * height, width), outChannels in groups (each output channel sees the inChannels/groups input channels of its group), kernelHeight x kernelWidth kernels,
 * stride, padding cropped per side, output padding (below the stride), dilation. Output size per
 * axis: {@code (in - 1) * stride - padBefore - padAfter + dilation * (kernel - 1) + outputPadding + 1},
 * at least 1. Built valid by {@code Gens.transposedConv}
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
 * @param padTop the rows cropped from the top of the full output, {@code >= 0}
 * @param padBottom the rows cropped from the bottom of the full output, {@code >= 0}
 * @param padLeft the columns cropped from the left of the full output, {@code >= 0}
 * @param padRight the columns cropped from the right of the full output, {@code >= 0}
 * @param outputPaddingHeight the rows added at the bottom of the output, below the vertical stride
 * @param outputPaddingWidth the columns added at the right of the output, below the horizontal
 *     stride
 * @param dilationHeight the vertical dilation (1: adjacent rows), {@code >= 1}
 * @param dilationWidth the horizontal dilation (1: adjacent columns), {@code >= 1}
 * @param groups the channel groups; it divides both channel counts
 */
public record TransposedConvConfig(int batch, int inChannels, int height, int width, int outChannels,
                                   int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                                   int padTop, int padBottom, int padLeft, int padRight, int outputPaddingHeight,
                                   int outputPaddingWidth, int dilationHeight, int dilationWidth, int groups) {

    /**
     * Checks the configuration.
     *
     * @throws IllegalArgumentException if the configuration is impossible
     */
    public TransposedConvConfig {
        if (batch < 1 || inChannels < 1 || outChannels < 1 || groups < 1 || inChannels % groups != 0
                || outChannels % groups != 0) {
            throw new IllegalArgumentException("channels " + inChannels + " -> " + outChannels + " do not split into "
                    + groups + " groups (or a size is below 1)");
        }
        if (height < 1 || width < 1 || kernelHeight < 1 || kernelWidth < 1 || dilationHeight < 1
                || dilationWidth < 1 || padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0
                || outputPaddingHeight < 0 || outputPaddingHeight >= strideHeight || outputPaddingWidth < 0
                || outputPaddingWidth >= strideWidth
                || outputSize(height, padTop, padBottom, kernelHeight, dilationHeight, strideHeight,
                        outputPaddingHeight) < 1
                || outputSize(width, padLeft, padRight, kernelWidth, dilationWidth, strideWidth,
                        outputPaddingWidth) < 1) {
            throw new IllegalArgumentException("empty or invalid transposed convolution geometry");
        }
    }

    static int outputSize(int in, int before, int after, int kernel, int dilation, int stride, int outputPadding) {
        return (in - 1) * stride - before - after + dilation * (kernel - 1) + outputPadding + 1;
    }

    /** {@return the output height} */
    public int outHeight() {
        return outputSize(height, padTop, padBottom, kernelHeight, dilationHeight, strideHeight, outputPaddingHeight);
    }

    /** {@return the output width} */
    public int outWidth() {
        return outputSize(width, padLeft, padRight, kernelWidth, dilationWidth, strideWidth, outputPaddingWidth);
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
     * (batch, outChannels, outHeight, outWidth).
     *
     * @return the output shape (batch, outChannels, outHeight, outWidth)
     */
    public Shape outputShape() {
        return Shape.of(batch, outChannels, outHeight(), outWidth());
    }

    /**
     * (inChannels, outChannels / groups, kernelHeight, kernelWidth).
     *
     * @return the weight shape (inChannels, outChannels / groups, kernelHeight, kernelWidth)
     */
    public Shape weightShape() {
        return Shape.of(inChannels, outChannels / groups, kernelHeight, kernelWidth);
    }

    @Override
    public String toString() {
        return "ConvTranspose(n=" + batch + ", " + inChannels + "x" + height + "x" + width + " -> " + outChannels
                + "x" + outHeight() + "x" + outWidth() + ", kernel " + kernelHeight + "x" + kernelWidth + ", stride "
                + strideHeight + "x" + strideWidth + ", pad " + padTop + "," + padBottom + "," + padLeft + ","
                + padRight + ", output pad " + outputPaddingHeight + "x" + outputPaddingWidth + ", dilation "
                + dilationHeight + "x" + dilationWidth + ", groups " + groups + ")";
    }
}
