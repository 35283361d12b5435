package dev.lanes.gradcheck.reference;

/**
 * Max pooling, NCHW: each output is the largest input element of its window (window positions
 * outside the image are skipped; the first of equal maxima wins; a NaN wins). Backward: the
 * output gradient goes to that element: {@code dx[argmax] += g}.
 */
public final class MaxPool2dReference implements ReferenceLayer {
    private final PoolWindow window;
    private int[] shape;
    private int[] argmax;

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
     */
    public MaxPool2dReference(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padTop,
                              int padBottom, int padLeft, int padRight, int dilationHeight, int dilationWidth,
                              boolean ceilMode) {
        this.window = new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padBottom, padLeft,
                padRight, dilationHeight, dilationWidth, ceilMode);
    }

    @Override
    public String name() {
        return "MaxPool2dReference(" + window.describe() + ")";
    }

    @Override
    public int[] outputShape(int[] s) {
        Reference.requireRank(name(), s, 4);
        return new int[] {s[0], s[1], window.outHeight(s[2]), window.outWidth(s[3])};
    }

    @Override
    public double[] forward(double[] x, int[] inputShape, boolean training) {
        int[] out = outputShape(inputShape);
        Reference.requireLength("input", x, Reference.size(inputShape));
        shape = inputShape.clone();
        int h = shape[2];
        int w = shape[3];
        double[] y = new double[Reference.size(out)];
        argmax = new int[y.length];
        for (int plane = 0; plane < shape[0] * shape[1]; plane++) {
            for (int p = 0; p < out[2]; p++) {
                for (int q = 0; q < out[3]; q++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int where = -1;
                    for (int r = 0; r < window.kernelHeight(); r++) {
                        for (int s = 0; s < window.kernelWidth(); s++) {
                            int ih = window.row(p, r);
                            int iw = window.column(q, s);
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                                continue;
                            }
                            int index = (plane * h + ih) * w + iw;
                            boolean nanWins = Double.isNaN(x[index]) && !Double.isNaN(best);
                            if (where < 0 || x[index] > best || nanWins) {
                                best = x[index];
                                where = index;
                            }
                        }
                    }
                    if (where < 0) {
                        throw new IllegalArgumentException(name() + ": window (" + p + ", " + q
                                + ") holds no input element");
                    }
                    int o = (plane * out[2] + p) * out[3] + q;
                    y[o] = best;
                    argmax[o] = where;
                }
            }
        }
        return y;
    }

    @Override
    public double[] backward(double[] g) {
        Reference.requireForward(argmax, name());
        Reference.requireLength("gradOutput", g, argmax.length);
        double[] dx = new double[Reference.size(shape)];
        for (int o = 0; o < g.length; o++) {
            dx[argmax[o]] += g[o];
        }
        return dx;
    }
}
