package dev.lanes.kernels;

/**
 * The shape of a 2-D pooling, validated once: C channels of H x W per image, an R x S window,
 * stride, padding on each side, dilation and ceil mode.
 *
 * <p>Window (p, q) covers input rows {@code p*strideH - padTop + r*dilationH} and columns
 * {@code q*strideW - padLeft + s*dilationW}, r in [0, R), s in [0, S). The output height is
 * {@code (H + padTop + padBottom - dilationH*(R-1) - 1) / strideH + 1}, rounded down, or up in ceil
 * mode, where, as in PyTorch, a last window that would start in the bottom padding is dropped.
 * Window positions outside the input (padding, or past the padded input in ceil mode) never win
 * a max and are not averaged. The builder rejects a geometry in which some window holds no
 * input element at all.
 *
 * <p>Built with {@link #builder()}; the stride defaults to the window size.
 */
public final class PoolGeometry {
    private final int channels;
    private final int inHeight;
    private final int inWidth;
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
    private final boolean ceilMode;
    private final int outHeight;
    private final int outWidth;

    private PoolGeometry(Builder b) {
        channels = b.channels;
        inHeight = b.inHeight;
        inWidth = b.inWidth;
        kernelHeight = b.kernelHeight;
        kernelWidth = b.kernelWidth;
        strideHeight = b.strideHeight == 0 ? b.kernelHeight : b.strideHeight;
        strideWidth = b.strideWidth == 0 ? b.kernelWidth : b.strideWidth;
        padTop = b.padTop;
        padBottom = b.padBottom;
        padLeft = b.padLeft;
        padRight = b.padRight;
        dilationHeight = b.dilationHeight;
        dilationWidth = b.dilationWidth;
        ceilMode = b.ceilMode;
        outHeight = SlidingWindow.outputSize("window", "height", inHeight, padTop, padBottom, kernelHeight,
                dilationHeight, strideHeight, ceilMode);
        outWidth = SlidingWindow.outputSize("window", "width", inWidth, padLeft, padRight, kernelWidth, dilationWidth,
                strideWidth, ceilMode);
        everyWindowSeesInput("height", outHeight, inHeight, padTop, kernelHeight, dilationHeight, strideHeight);
        everyWindowSeesInput("width", outWidth, inWidth, padLeft, kernelWidth, dilationWidth, strideWidth);
        Check.fitsInArray("input size C*H*W", (long) channels * inHeight * inWidth);
    }

    /** {@return a builder of a pooling geometry} */
    public static Builder builder() {
        return new Builder();
    }

    private static void everyWindowSeesInput(String axis, int out, int in, int before, int kernel, int dilation,
                                             int stride) {
        for (int p = 0; p < out; p++) {
            boolean sees = false;
            for (int r = 0; r < kernel && !sees; r++) {
                int x = p * stride - before + r * dilation;
                sees = x >= 0 && x < in;
            }
            if (!sees) {
                throw new IllegalArgumentException("window " + p + " along the " + axis + " lies entirely in the "
                        + "padding (input " + axis + " " + in + ", padding " + before + ", window " + kernel
                        + ", dilation " + dilation + ", stride " + stride + "): reduce the padding");
            }
        }
    }

    /** {@return C, the channels (pooled independently)} */
    public int channels() {
        return channels;
    }

    /** {@return H, the input height} */
    public int inHeight() {
        return inHeight;
    }

    /** {@return W, the input width} */
    public int inWidth() {
        return inWidth;
    }

    /** {@return the window height} */
    public int kernelHeight() {
        return kernelHeight;
    }

    /** {@return the window width} */
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

    /** {@return the padding rows above the input} */
    public int padTop() {
        return padTop;
    }

    /** {@return the padding rows below the input} */
    public int padBottom() {
        return padBottom;
    }

    /** {@return the padding columns left of the input} */
    public int padLeft() {
        return padLeft;
    }

    /** {@return the padding columns right of the input} */
    public int padRight() {
        return padRight;
    }

    /** {@return the spacing of the window taps along the height (1: adjacent)} */
    public int dilationHeight() {
        return dilationHeight;
    }

    /** {@return the spacing of the window taps along the width (1: adjacent)} */
    public int dilationWidth() {
        return dilationWidth;
    }

    /** {@return whether output sizes round up (a last partial window) rather than down} */
    public boolean ceilMode() {
        return ceilMode;
    }

    /** {@return P, the output height} */
    public int outHeight() {
        return outHeight;
    }

    /** {@return Q, the output width} */
    public int outWidth() {
        return outWidth;
    }

    /** {@return C*H*W: floats of one input image} */
    public int inputSize() {
        return channels * inHeight * inWidth;
    }

    /** {@return C*P*Q: floats of one output image} */
    public int outputSize() {
        return channels * outHeight * outWidth;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PoolGeometry g && channels == g.channels && inHeight == g.inHeight
                && inWidth == g.inWidth && kernelHeight == g.kernelHeight && kernelWidth == g.kernelWidth
                && strideHeight == g.strideHeight && strideWidth == g.strideWidth && padTop == g.padTop
                && padBottom == g.padBottom && padLeft == g.padLeft && padRight == g.padRight
                && dilationHeight == g.dilationHeight && dilationWidth == g.dilationWidth && ceilMode == g.ceilMode;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(new int[] {channels, inHeight, inWidth, kernelHeight, kernelWidth,
                strideHeight, strideWidth, padTop, padBottom, padLeft, padRight, dilationHeight, dilationWidth,
                ceilMode ? 1 : 0});
    }

    @Override
    public String toString() {
        return "Pool(" + channels + "x" + inHeight + "x" + inWidth + " -> " + outHeight + "x" + outWidth
                + ", window " + kernelHeight + "x" + kernelWidth + ", stride " + strideHeight + "x" + strideWidth
                + ", pad " + padTop + "," + padBottom + "," + padLeft + "," + padRight + ", dilation "
                + dilationHeight + "x" + dilationWidth + (ceilMode ? ", ceil" : "") + ")";
    }

    /** Collects the parameters of a {@link PoolGeometry}; {@link #build()} validates them all. */
    public static final class Builder {
        private int channels;
        private int inHeight;
        private int inWidth;
        private int kernelHeight;
        private int kernelWidth;
        private int strideHeight;
        private int strideWidth;
        private int padTop;
        private int padBottom;
        private int padLeft;
        private int padRight;
        private int dilationHeight = 1;
        private int dilationWidth = 1;
        private boolean ceilMode;
        private boolean strideSet;

        private Builder() {
        }

        /**
         * C channels of H x W.
         *
         * @param channels C, the channels, {@code >= 1}
         * @param height H, the input height, {@code >= 1}
         * @param width W, the input width, {@code >= 1}
         * @return this builder
         */
        public Builder input(int channels, int height, int width) {
            this.channels = channels;
            inHeight = height;
            inWidth = width;
            return this;
        }

        /**
         * An R x S window.
         *
         * @param height R, the window height, {@code >= 1}
         * @param width S, the window width, {@code >= 1}
         * @return this builder
         */
        public Builder kernel(int height, int width) {
            kernelHeight = height;
            kernelWidth = width;
            return this;
        }

        /**
         * The stride; the window size when not set.
         *
         * @param height the vertical stride, {@code >= 1}
         * @param width the horizontal stride, {@code >= 1}
         * @return this builder
         */
        public Builder stride(int height, int width) {
            strideHeight = height;
            strideWidth = width;
            strideSet = true;
            return this;
        }

        /**
         * The same padding on all four sides.
         *
         * @param all the padding on each of the four sides, {@code >= 0}
         * @return this builder
         */
        public Builder padding(int all) {
            return padding(all, all, all, all);
        }

        /**
         * Padding on each side.
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
         * Whether output sizes round up (default false: down).
         *
         * @param ceil true to round up, false to round down
         * @return this builder
         */
        public Builder ceilMode(boolean ceil) {
            ceilMode = ceil;
            return this;
        }

        /**
         * The geometry.
         *
         * @return the geometry
         * @throws IllegalArgumentException naming the first bad argument and the sizes
         */
        public PoolGeometry build() {
            Check.positive("channels", channels);
            Check.positive("inHeight", inHeight);
            Check.positive("inWidth", inWidth);
            Check.positive("kernelHeight", kernelHeight);
            Check.positive("kernelWidth", kernelWidth);
            if (strideSet) {
                Check.positive("strideHeight", strideHeight);
                Check.positive("strideWidth", strideWidth);
            }
            Check.nonNegative("padTop", padTop);
            Check.nonNegative("padBottom", padBottom);
            Check.nonNegative("padLeft", padLeft);
            Check.nonNegative("padRight", padRight);
            Check.positive("dilationHeight", dilationHeight);
            Check.positive("dilationWidth", dilationWidth);
            return new PoolGeometry(this);
        }
    }
}
