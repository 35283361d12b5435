package dev.lanes.gradcheck.reference;

/**
 * Average pooling, NCHW: each output is the sum of the input elements in its window divided by
 * a count. With {@code countIncludePad} the count is the number of window positions inside the
 * padded input (padding counts as zeros; positions past the padded input, which ceil mode can
 * create, do not); without, only positions inside the image count, as in PyTorch. Backward:
 * {@code dx[i] += g / count} for every element i of the window.
 */
public final class AvgPool2dReference implements ReferenceLayer {
    private final PoolWindow window;
    private final boolean countIncludePad;
    private int[] shape;

    /**
     * Pooling with the given window geometry (see {@link PoolWindow}).
     *
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
     * @param countIncludePad true to divide by the whole window, padding included; false by the
     *     input elements in it
     */
    public AvgPool2dReference(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padTop,
                              int padBottom, int padLeft, int padRight, int dilationHeight, int dilationWidth,
                              boolean ceilMode, boolean countIncludePad) {
        this.window = new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padBottom, padLeft,
                padRight, dilationHeight, dilationWidth, ceilMode);
        this.countIncludePad = countIncludePad;
    }

    @Override
    public String name() {
        return "AvgPool2dReference(" + window.describe() + (countIncludePad ? ", count padding" : "") + ")";
    }

    @Override
    public int[] outputShape(int[] s) {
        Reference.requireRank(name(), s, 4);
        return new int[] {s[0], s[1], window.outHeight(s[2]), window.outWidth(s[3])};
    }

    /** The divisor of window (p, q) for an h x w image. */
    private int count(int p, int q, int h, int w) {
        int count = 0;
        for (int r = 0; r < window.kernelHeight(); r++) {
            for (int s = 0; s < window.kernelWidth(); s++) {
                int ih = window.row(p, r);
                int iw = window.column(q, s);
                boolean inImage = ih >= 0 && ih < h && iw >= 0 && iw < w;
                boolean inPadded = ih >= -window.padTop() && ih < h + window.padBottom() && iw >= -window.padLeft()
                        && iw < w + window.padRight();
                if (countIncludePad ? inPadded : inImage) {
                    count++;
                }
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException(name() + ": window (" + p + ", " + q + ") holds no input element");
        }
        return count;
    }

    @Override
    public double[] forward(double[] x, int[] inputShape, boolean training) {
        int[] out = outputShape(inputShape);
        Reference.requireLength("input", x, Reference.size(inputShape));
        shape = inputShape.clone();
        int h = shape[2];
        int w = shape[3];
        double[] y = new double[Reference.size(out)];
        for (int plane = 0; plane < shape[0] * shape[1]; plane++) {
            for (int p = 0; p < out[2]; p++) {
                for (int q = 0; q < out[3]; q++) {
                    double sum = 0;
                    for (int r = 0; r < window.kernelHeight(); r++) {
                        for (int s = 0; s < window.kernelWidth(); s++) {
                            int ih = window.row(p, r);
                            int iw = window.column(q, s);
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                sum += x[(plane * h + ih) * w + iw];
                            }
                        }
                    }
                    y[(plane * out[2] + p) * out[3] + q] = sum / count(p, q, h, w);
                }
            }
        }
        return y;
    }

    @Override
    public double[] backward(double[] g) {
        Reference.requireForward(shape, name());
        int[] out = outputShape(shape);
        Reference.requireLength("gradOutput", g, Reference.size(out));
        int h = shape[2];
        int w = shape[3];
        double[] dx = new double[Reference.size(shape)];
        for (int plane = 0; plane < shape[0] * shape[1]; plane++) {
            for (int p = 0; p < out[2]; p++) {
                for (int q = 0; q < out[3]; q++) {
                    double share = g[(plane * out[2] + p) * out[3] + q] / count(p, q, h, w);
                    for (int r = 0; r < window.kernelHeight(); r++) {
                        for (int s = 0; s < window.kernelWidth(); s++) {
                            int ih = window.row(p, r);
                            int iw = window.column(q, s);
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                dx[(plane * h + ih) * w + iw] += share;
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }
}
