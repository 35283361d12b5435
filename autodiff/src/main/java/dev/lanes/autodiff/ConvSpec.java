package dev.lanes.autodiff;

/**
 * The hyperparameters of a 2-D convolution besides its weight: stride, zero padding, dilation and
 * channel groups (the kernel size and channel counts come from the weight). Immutable: each
 * setter returns a new spec.
 *
 * <pre>{@code
 * ConvSpec same = ConvSpec.DEFAULT.padding(1);          // 3x3 "same" convolution
 * Var y = Nn.conv2d(x, w, b, same);
 * }</pre>
 */
public final class ConvSpec {
    /** Stride 1, no padding, dilation 1, one group. */
    public static final ConvSpec DEFAULT = new ConvSpec(1, 1, 0, 0, 0, 0, 1, 1, 1);

    private final int strideHeight;
    private final int strideWidth;
    private final int padTop;
    private final int padBottom;
    private final int padLeft;
    private final int padRight;
    private final int dilationHeight;
    private final int dilationWidth;
    private final int groups;

    private ConvSpec(int strideHeight, int strideWidth, int padTop, int padBottom, int padLeft, int padRight,
                     int dilationHeight, int dilationWidth, int groups) {
        positive("stride", strideHeight);
        positive("stride", strideWidth);
        positive("dilation", dilationHeight);
        positive("dilation", dilationWidth);
        positive("groups", groups);
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("ConvSpec: padding must be non-negative, got " + padTop + ", "
                    + padBottom + ", " + padLeft + ", " + padRight);
        }
        this.strideHeight = strideHeight;
        this.strideWidth = strideWidth;
        this.padTop = padTop;
        this.padBottom = padBottom;
        this.padLeft = padLeft;
        this.padRight = padRight;
        this.dilationHeight = dilationHeight;
        this.dilationWidth = dilationWidth;
        this.groups = groups;
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("ConvSpec: " + what + " must be positive, got " + value);
        }
    }

    /**
     * The same stride along both axes.
     *
     * @param stride the stride along both axes, {@code >= 1}
     * @return a spec like this one with that setting
     */
    public ConvSpec stride(int stride) {
        return stride(stride, stride);
    }

    /**
     * The stride along height and width.
     *
     * @param height the value along the height (rows), {@code >= 1}
     * @param width the value along the width (columns), {@code >= 1}
     * @return a spec like this one with that setting
     */
    public ConvSpec stride(int height, int width) {
        return new ConvSpec(height, width, padTop, padBottom, padLeft, padRight, dilationHeight, dilationWidth,
                groups);
    }

    /**
     * The same zero padding on all four sides.
     *
     * @param all the zero padding on each of the four sides, {@code >= 0}
     * @return a spec like this one with that setting
     */
    public ConvSpec padding(int all) {
        return padding(all, all, all, all);
    }

    /**
     * Zero padding on each side.
     *
     * @param top the rows of zeros above the input, {@code >= 0}
     * @param bottom the rows of zeros below the input, {@code >= 0}
     * @param left the columns of zeros left of the input, {@code >= 0}
     * @param right the columns of zeros right of the input, {@code >= 0}
     * @return a spec like this one with that setting
     */
    public ConvSpec padding(int top, int bottom, int left, int right) {
        return new ConvSpec(strideHeight, strideWidth, top, bottom, left, right, dilationHeight, dilationWidth,
                groups);
    }

    /**
     * The same dilation along both axes.
     *
     * @param dilation the dilation along both axes (1: adjacent elements), {@code >= 1}
     * @return a spec like this one with that setting
     */
    public ConvSpec dilation(int dilation) {
        return dilation(dilation, dilation);
    }

    /**
     * The dilation along height and width.
     *
     * @param height the value along the height (rows), {@code >= 1}
     * @param width the value along the width (columns), {@code >= 1}
     * @return a spec like this one with that setting
     */
    public ConvSpec dilation(int height, int width) {
        return new ConvSpec(strideHeight, strideWidth, padTop, padBottom, padLeft, padRight, height, width, groups);
    }

    /**
     * The number of channel groups.
     *
     * @param count the number of channel groups; it divides the input and output channels
     * @return a spec like this one with that setting
     */
    public ConvSpec groups(int count) {
        return new ConvSpec(strideHeight, strideWidth, padTop, padBottom, padLeft, padRight, dilationHeight,
                dilationWidth, count);
    }

    /** The kernel geometry of this spec for an input (c, h, w) and a weight (k, c/groups, r, s). */
    dev.lanes.kernels.ConvGeometry geometry(int channels, int height, int width, int outChannels, int kernelHeight,
                                            int kernelWidth) {
        return dev.lanes.kernels.ConvGeometry.builder().input(channels, height, width).outChannels(outChannels)
                .kernel(kernelHeight, kernelWidth).stride(strideHeight, strideWidth)
                .padding(padTop, padBottom, padLeft, padRight).dilation(dilationHeight, dilationWidth).groups(groups)
                .build();
    }

    @Override
    public String toString() {
        return "ConvSpec(stride " + strideHeight + "x" + strideWidth + ", pad " + padTop + "," + padBottom + ","
                + padLeft + "," + padRight + ", dilation " + dilationHeight + "x" + dilationWidth + ", groups "
                + groups + ")";
    }
}
