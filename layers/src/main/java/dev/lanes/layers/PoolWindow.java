package dev.lanes.layers;

import dev.lanes.kernels.PoolGeometry;

/**
 * The window of a 2-D pooling layer: size r x s, stride (the window size unless set), zero
 * padding on each side, dilation and ceil mode, as in PyTorch's {@code MaxPool2d}. Immutable;
 * each method returns a changed copy: {@code PoolWindow.of(3).stride(2).padding(1)}.
 *
 * <p>The output height is {@code (h + padTop + padBottom − dilationH·(r−1) − 1) / strideH + 1},
 * rounded down, or up in ceil mode (where a last window that would start in the bottom padding is
 * dropped); width likewise. Padding never wins a max and is counted by an average only with
 * count-include-pad.
 */
public final class PoolWindow {
    private final int kernelHeight;
    private final int kernelWidth;
    private final int strideHeight;
    private final int strideWidth;
    private final int[] padding;
    private final int dilationHeight;
    private final int dilationWidth;
    private final boolean ceilMode;

    private PoolWindow(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int[] padding,
                       int dilationHeight, int dilationWidth, boolean ceilMode) {
        positive("kernel height", kernelHeight);
        positive("kernel width", kernelWidth);
        positive("stride height", strideHeight);
        positive("stride width", strideWidth);
        positive("dilation height", dilationHeight);
        positive("dilation width", dilationWidth);
        for (int pad : padding) {
            if (pad < 0) {
                throw new IllegalArgumentException("PoolWindow: padding must be non-negative, got "
                        + java.util.Arrays.toString(padding));
            }
        }
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.strideHeight = strideHeight;
        this.strideWidth = strideWidth;
        this.padding = padding;
        this.dilationHeight = dilationHeight;
        this.dilationWidth = dilationWidth;
        this.ceilMode = ceilMode;
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("PoolWindow: " + what + " must be positive, got " + value);
        }
    }

    /**
     * {@return a square window with stride equal to its size, no padding, dilation 1, floor mode}
     *
     * @param size the side of the square window, {@code >= 1}; also its stride
     */
    public static PoolWindow of(int size) {
        return of(size, size);
    }

    /**
     * {@return an r x s window with stride equal to its size, no padding, dilation 1, floor mode}
     *
     * @param height r, the window height, {@code >= 1}
     * @param width s, the window width, {@code >= 1}
     */
    public static PoolWindow of(int height, int width) {
        return new PoolWindow(height, width, height, width, new int[4], 1, 1, false);
    }

    /**
     * The same stride along both axes.
     *
     * @param stride the stride along both axes, {@code >= 1}
     * @return a window like this one with that stride
     */
    public PoolWindow stride(int stride) {
        return stride(stride, stride);
    }

    /**
     * The stride along height and width.
     *
     * @param height the vertical stride, {@code >= 1}
     * @param width the horizontal stride, {@code >= 1}
     * @return a window like this one with that stride
     */
    public PoolWindow stride(int height, int width) {
        return new PoolWindow(kernelHeight, kernelWidth, height, width, padding, dilationHeight, dilationWidth,
                ceilMode);
    }

    /**
     * The same padding on all four sides.
     *
     * @param all the padding on each of the four sides, {@code >= 0}
     * @return a window like this one with that padding
     */
    public PoolWindow padding(int all) {
        return padding(all, all, all, all);
    }

    /**
     * Padding on each side.
     *
     * @param top the rows above the input, {@code >= 0}
     * @param bottom the rows below the input, {@code >= 0}
     * @param left the columns left of the input, {@code >= 0}
     * @param right the columns right of the input, {@code >= 0}
     * @return a window like this one with that padding
     */
    public PoolWindow padding(int top, int bottom, int left, int right) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth,
                new int[] {top, bottom, left, right}, dilationHeight, dilationWidth, ceilMode);
    }

    /**
     * The same dilation along both axes.
     *
     * @param dilation the dilation along both axes (1: adjacent elements), {@code >= 1}
     * @return a window like this one with that dilation
     */
    public PoolWindow dilation(int dilation) {
        return dilation(dilation, dilation);
    }

    /**
     * The dilation along height and width.
     *
     * @param height the vertical dilation (1: adjacent rows), {@code >= 1}
     * @param width the horizontal dilation (1: adjacent columns), {@code >= 1}
     * @return a window like this one with that dilation
     */
    public PoolWindow dilation(int height, int width) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padding, height, width, ceilMode);
    }

    /**
     * Whether the output size rounds up.
     *
     * @param ceil true to round the output size up (a last partial window), false to round down
     * @return a window like this one with that rounding
     */
    public PoolWindow ceilMode(boolean ceil) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padding, dilationHeight,
                dilationWidth, ceil);
    }

    /**
     * {@return the kernel geometry for c channels of h x w}
     *
     * @param channels c, the input channels
     * @param height h, the input height
     * @param width w, the input width
     * @throws IllegalArgumentException if the window does not fit the input
     */
    public PoolGeometry geometry(int channels, int height, int width) {
        return PoolGeometry.builder().input(channels, height, width).kernel(kernelHeight, kernelWidth)
                .stride(strideHeight, strideWidth).padding(padding[0], padding[1], padding[2], padding[3])
                .dilation(dilationHeight, dilationWidth).ceilMode(ceilMode).build();
    }

    /** Like {@code 2x2, stride 2} with padding, dilation and ceil mode when set. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(kernelHeight).append('x').append(kernelWidth)
                .append(", stride ").append(strideHeight == strideWidth ? "" + strideHeight
                        : strideHeight + "x" + strideWidth);
        if (padding[0] != 0 || padding[1] != 0 || padding[2] != 0 || padding[3] != 0) {
            boolean same = padding[0] == padding[1] && padding[0] == padding[2] && padding[0] == padding[3];
            text.append(", pad ").append(same ? "" + padding[0]
                    : padding[0] + "," + padding[1] + "," + padding[2] + "," + padding[3]);
        }
        if (dilationHeight != 1 || dilationWidth != 1) {
            text.append(", dilation ").append(dilationHeight == dilationWidth ? "" + dilationHeight
                    : dilationHeight + "x" + dilationWidth);
        }
        if (ceilMode) {
            text.append(", ceil");
        }
        return text.toString();
    }
}
