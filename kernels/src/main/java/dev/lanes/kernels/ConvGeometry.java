package dev.lanes.kernels;

/**
 * The shape of a 2-D convolution, validated once: NCHW input (C, H, W) per image, K output
 * channels, an R x S kernel, stride, zero padding on each side, dilation and groups.
 *
 * <p>The output is (K, P, Q) per image with {@code P = (H + padTop + padBottom - dilationH*(R-1) - 1)
 * / strideH + 1} (floor) and Q likewise. The weight is (K, C/groups, R, S) row-major: output
 * channel k of group {@code k / (K/groups)} sees input channels
 * {@code [group*C/groups, (group+1)*C/groups)}. Depthwise convolution is {@code groups == C}.
 *
 * <p>Built with {@link #builder()}; {@link Builder#build()} throws {@link IllegalArgumentException}
 * naming the argument and the sizes when the geometry is impossible. Instances are immutable
 * values ({@link #equals} compares every field).
 */
public final class ConvGeometry {
    private final int inChannels;
    private final int inHeight;
    private final int inWidth;
    private final int outChannels;
    private final int kernelHeight;
    private final int kernelWidth;
    private final int strideHeight;
    private final int strideWidth;
    private final int padTop;
    private final int padBottom;
    private final int padLeft;
    private final int padRight;
    private final int dilationHeight;
    private final int dilationWidth;
    private final int groups;
    private final int outHeight;
    private final int outWidth;

    private ConvGeometry(Builder b) {
        inChannels = b.inChannels;
        inHeight = b.inHeight;
        inWidth = b.inWidth;
        outChannels = b.outChannels;
        kernelHeight = b.kernelHeight;
        kernelWidth = b.kernelWidth;
        strideHeight = b.strideHeight;
        strideWidth = b.strideWidth;
        padTop = b.padTop;
        padBottom = b.padBottom;
        padLeft = b.padLeft;
        padRight = b.padRight;
        dilationHeight = b.dilationHeight;
        dilationWidth = b.dilationWidth;
        groups = b.groups;
        outHeight = SlidingWindow.outputSize("kernel", "height", inHeight, padTop, padBottom, kernelHeight,
                dilationHeight, strideHeight, false);
        outWidth = SlidingWindow.outputSize("kernel", "width", inWidth, padLeft, padRight, kernelWidth, dilationWidth,
                strideWidth, false);
        checkSizes();
    }

    /**
     * {@return a builder with stride 1, no padding, dilation 1 and one group; input, output and
     * kernel must be set}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The same convolution (channels, kernel, stride, padding, dilation, groups) over an input of
     * {@code height x width}.
     *
     * @param height H, the input height, {@code >= 1}
     * @param width W, the input width, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException when the kernel does not fit that input
     */
    public ConvGeometry withInput(int height, int width) {
        if (height == inHeight && width == inWidth) {
            return this;
        }
        return builder().input(inChannels, height, width).outChannels(outChannels).kernel(kernelHeight, kernelWidth)
                .stride(strideHeight, strideWidth).padding(padTop, padBottom, padLeft, padRight)
                .dilation(dilationHeight, dilationWidth).groups(groups).build();
    }

    private void checkSizes() {
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException("inChannels " + inChannels + " is not divisible by groups " + groups);
        }
        if (outChannels % groups != 0) {
            throw new IllegalArgumentException("outChannels " + outChannels + " is not divisible by groups " + groups);
        }
        Check.fitsInArray("input size C*H*W", (long) inChannels * inHeight * inWidth);
        Check.fitsInArray("output size K*P*Q", (long) outChannels * outHeight * outWidth);
        Check.fitsInArray("weight size K*(C/groups)*R*S",
                (long) outChannels * (inChannels / groups) * kernelHeight * kernelWidth);
        Check.fitsInArray("im2col rows C*R*S", (long) inChannels * kernelHeight * kernelWidth);
    }

    /** {@return C, the input channels} */
    public int inChannels() {
        return inChannels;
    }

    /** {@return H, the input height} */
    public int inHeight() {
        return inHeight;
    }

    /** {@return W, the input width} */
    public int inWidth() {
        return inWidth;
    }

    /** {@return K, the output channels} */
    public int outChannels() {
        return outChannels;
    }

    /** {@return R, the kernel height} */
    public int kernelHeight() {
        return kernelHeight;
    }

    /** {@return S, the kernel width} */
    public int kernelWidth() {
        return kernelWidth;
    }

    /** {@return the stride along the height} */
    public int strideHeight() {
        return strideHeight;
    }

    /** {@return the stride along the width} */
    public int strideWidth() {
        return strideWidth;
    }

    /** {@return the zero rows added above the input} */
    public int padTop() {
        return padTop;
    }

    /** {@return the zero rows added below the input} */
    public int padBottom() {
        return padBottom;
    }

    /** {@return the zero columns added left of the input} */
    public int padLeft() {
        return padLeft;
    }

    /** {@return the zero columns added right of the input} */
    public int padRight() {
        return padRight;
    }

    /** {@return the spacing of the kernel taps along the height (1: adjacent)} */
    public int dilationHeight() {
        return dilationHeight;
    }

    /** {@return the spacing of the kernel taps along the width (1: adjacent)} */
    public int dilationWidth() {
        return dilationWidth;
    }

    /** {@return the number of groups the channels are split into (1: a full convolution)} */
    public int groups() {
        return groups;
    }

    /** {@return P, the output height} */
    public int outHeight() {
        return outHeight;
    }

    /** {@return Q, the output width} */
    public int outWidth() {
        return outWidth;
    }

    /** {@return C / groups: the input channels each output channel sees} */
    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    /** {@return K / groups} */
    public int outChannelsPerGroup() {
        return outChannels / groups;
    }

    /** {@return C*H*W: floats of one input image} */
    public int inputSize() {
        return inChannels * inHeight * inWidth;
    }

    /** {@return K*P*Q: floats of one output image} */
    public int outputSize() {
        return outChannels * outHeight * outWidth;
    }

    /** {@return K*(C/groups)*R*S: floats of the weight} */
    public int weightSize() {
        return outChannels * inChannelsPerGroup() * kernelHeight * kernelWidth;
    }

    /** {@return (C/groups)*R*S: the reduction length of one output element} */
    public int reductionLength() {
        return inChannelsPerGroup() * kernelHeight * kernelWidth;
    }

    /**
     * {@return floating-point operations of a forward pass over {@code batch} images:
     * 2*N*K*P*Q*(C/groups)*R*S}
     *
     * @param batch N, the number of images
     */
    public double flops(int batch) {
        return 2.0 * batch * outputSize() * reductionLength();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConvGeometry g && inChannels == g.inChannels && inHeight == g.inHeight
                && inWidth == g.inWidth && outChannels == g.outChannels && kernelHeight == g.kernelHeight
                && kernelWidth == g.kernelWidth && strideHeight == g.strideHeight && strideWidth == g.strideWidth
                && padTop == g.padTop && padBottom == g.padBottom && padLeft == g.padLeft && padRight == g.padRight
                && dilationHeight == g.dilationHeight && dilationWidth == g.dilationWidth && groups == g.groups;
    }

    @Override
    public int hashCode() {
        int[] fields = {inChannels, inHeight, inWidth, outChannels, kernelHeight, kernelWidth, strideHeight,
                strideWidth, padTop, padBottom, padLeft, padRight, dilationHeight, dilationWidth, groups};
        return java.util.Arrays.hashCode(fields);
    }

    @Override
    public String toString() {
        return "Conv(" + inChannels + "x" + inHeight + "x" + inWidth + " -> " + outChannels + "x" + outHeight
                + "x" + outWidth + ", kernel " + kernelHeight + "x" + kernelWidth + ", stride " + strideHeight + "x"
                + strideWidth + ", pad " + padTop + "," + padBottom + "," + padLeft + "," + padRight
                + ", dilation " + dilationHeight + "x" + dilationWidth + ", groups " + groups + ")";
    }

    /** Collects the parameters of a {@link ConvGeometry}; {@link #build()} validates them all. */
    public static final class Builder {
        private int inChannels;
        private int inHeight;
        private int inWidth;
        private int outChannels;
        private int kernelHeight;
        private int kernelWidth;
        private int strideHeight = 1;
        private int strideWidth = 1;
        private int padTop;
        private int padBottom;
        private int padLeft;
        private int padRight;
        private int dilationHeight = 1;
        private int dilationWidth = 1;
        private int groups = 1;

        private Builder() {
        }

        /**
         * The input image: C channels of H x W.
         *
         * @param channels C, the input channels, {@code >= 1}
         * @param height H, the input height, {@code >= 1}
         * @param width W, the input width, {@code >= 1}
         * @return this builder
         */
        public Builder input(int channels, int height, int width) {
            inChannels = channels;
            inHeight = height;
            inWidth = width;
            return this;
        }

        /**
         * K output channels.
         *
         * @param channels K, {@code >= 1}
         * @return this builder
         */
        public Builder outChannels(int channels) {
            outChannels = channels;
            return this;
        }

        /**
         * C input channels, the input size left to {@link #template()} or {@link
         * ConvGeometry#withInput}.
         *
         * @param channels C, {@code >= 1}
         * @return this builder
         */
        public Builder inChannels(int channels) {
            inChannels = channels;
            return this;
        }

        /**
         * An R x S kernel.
         *
         * @param height R, the kernel height, {@code >= 1}
         * @param width S, the kernel width, {@code >= 1}
         * @return this builder
         */
        public Builder kernel(int height, int width) {
            kernelHeight = height;
            kernelWidth = width;
            return this;
        }

        /**
         * The same stride along both axes.
         *
         * @param stride the stride along both axes, {@code >= 1}
         * @return this builder
         */
        public Builder stride(int stride) {
            return stride(stride, stride);
        }

        /**
         * The stride along the height and the width.
         *
         * @param height the vertical stride, {@code >= 1}
         * @param width the horizontal stride, {@code >= 1}
         * @return this builder
         */
        public Builder stride(int height, int width) {
            strideHeight = height;
            strideWidth = width;
            return this;
        }

        /**
         * The same zero padding on all four sides.
         *
         * @param all the padding on each of the four sides, {@code >= 0}
         * @return this builder
         */
        public Builder padding(int all) {
            return padding(all, all, all, all);
        }

        /**
         * Zero padding on each side.
         *
         * @param top the rows above the input, {@code >= 0}
         * @param bottom the rows below the input, {@code >= 0}
         * @param left the columns left of the input, {@code >= 0}
         * @param right the columns right of the input, {@code >= 0}
         * @return this builder
         */
        public Builder padding(int top, int bottom, int left, int right) {
            padTop = top;
            padBottom = bottom;
            padLeft = left;
            padRight = right;
            return this;
        }

        /**
         * The same dilation along both axes.
         *
         * @param dilation the spacing of the taps along both axes (1: adjacent), {@code >= 1}
         * @return this builder
         */
        public Builder dilation(int dilation) {
            return dilation(dilation, dilation);
        }

        /**
         * The dilation along the height and the width.
         *
         * @param height the vertical spacing of the taps (1: adjacent), {@code >= 1}
         * @param width the horizontal spacing of the taps (1: adjacent), {@code >= 1}
         * @return this builder
         */
        public Builder dilation(int height, int width) {
            dilationHeight = height;
            dilationWidth = width;
            return this;
        }

        /**
         * Splits the channels into {@code count} groups (default 1).
         *
         * @param count the number of groups; it divides C and K
         * @return this builder
         */
        public Builder groups(int count) {
            groups = count;
            return this;
        }

        /**
         * The hyperparameters alone, checked: the geometry of the smallest input this kernel fits
         * (whatever input size was set), for a layer that learns its input size at the first call
         * and then takes {@link ConvGeometry#withInput}.
         *
         * @return this builder
         * @throws IllegalArgumentException naming the first bad argument
         */
        public ConvGeometry template() {
            inHeight = smallestInput(kernelHeight, dilationHeight, padTop, padBottom);
            inWidth = smallestInput(kernelWidth, dilationWidth, padLeft, padRight);
            return build();
        }

        /** The smallest input the kernel spans once with this padding (1 when the padding alone suffices). */
        private static int smallestInput(int kernel, int dilation, int before, int after) {
            long extent = (long) dilation * (kernel - 1) + 1;
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, extent - before - after));
        }

        /**
         * The geometry.
         *
         * @return the geometry
         * @throws IllegalArgumentException naming the first bad argument and the sizes
         */
        public ConvGeometry build() {
            Check.positive("inChannels", inChannels);
            Check.positive("inHeight", inHeight);
            Check.positive("inWidth", inWidth);
            Check.positive("outChannels", outChannels);
            Check.positive("kernelHeight", kernelHeight);
            Check.positive("kernelWidth", kernelWidth);
            Check.positive("strideHeight", strideHeight);
            Check.positive("strideWidth", strideWidth);
            Check.nonNegative("padTop", padTop);
            Check.nonNegative("padBottom", padBottom);
            Check.nonNegative("padLeft", padLeft);
            Check.nonNegative("padRight", padRight);
            Check.positive("dilationHeight", dilationHeight);
            Check.positive("dilationWidth", dilationWidth);
            Check.positive("groups", groups);
            return new ConvGeometry(this);
        }
    }
}
