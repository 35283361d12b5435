package dev.lanes.gradcheck.reference;

/**
 * Upsampling of NCHW images by integer factors, pixel by pixel from the definition, as PyTorch's
 * {@code nn.Upsample(scale_factor=..., mode='nearest' | 'bilinear', align_corners=False)}.
 *
 * <p>Nearest: {@code y[i][j] = x[floor(i / sh)][floor(j / sw)]}. Bilinear: output row i sits at
 * input coordinate {@code t = max(0, (i + 1/2) / sh - 1/2)}; it mixes rows {@code floor(t)} and
 * {@code min(floor(t) + 1, H - 1)} with weights {@code 1 - frac(t)} and {@code frac(t)}, and the
 * same along the width. Backward: each output gradient goes back to the pixels it was made from,
 * with the same weights.
 */
public final class Upsample2dReference implements ReferenceLayer {
    private final boolean bilinear;
    private final int scaleHeight;
    private final int scaleWidth;
    private int[] shape;

    /**
     * Nearest ({@code bilinear == false}) or bilinear upsampling by the given factors.
     *
     * @param bilinear true for bilinear interpolation, false for nearest neighbour
     * @param scaleHeight the integer factor along the height, {@code >= 1}
     * @param scaleWidth the integer factor along the width, {@code >= 1}
     */
    public Upsample2dReference(boolean bilinear, int scaleHeight, int scaleWidth) {
        this.bilinear = bilinear;
        this.scaleHeight = scaleHeight;
        this.scaleWidth = scaleWidth;
    }

    @Override
    public String name() {
        return "Upsample2dReference(" + (bilinear ? "bilinear" : "nearest") + ", " + scaleHeight + "x" + scaleWidth
                + ")";
    }

    @Override
    public int[] outputShape(int[] s) {
        Reference.requireRank(name(), s, 4);
        return new int[] {s[0], s[1], s[2] * scaleHeight, s[3] * scaleWidth};
    }

    @Override
    public double[] forward(double[] x, int[] inputShape, boolean training) {
        int[] out = outputShape(inputShape);
        Reference.requireLength("input", x, Reference.size(inputShape));
        shape = inputShape.clone();
        double[] y = new double[Reference.size(out)];
        for (int plane = 0; plane < out[0] * out[1]; plane++) {
            for (int i = 0; i < out[2]; i++) {
                for (int j = 0; j < out[3]; j++) {
                    double sum = 0;
                    for (int u = 0; u < shape[2]; u++) {
                        for (int v = 0; v < shape[3]; v++) {
                            sum += weight(i, u, shape[2], scaleHeight) * weight(j, v, shape[3], scaleWidth)
                                    * x[(plane * shape[2] + u) * shape[3] + v];
                        }
                    }
                    y[(plane * out[2] + i) * out[3] + j] = sum;
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
        double[] dx = new double[Reference.size(shape)];
        for (int plane = 0; plane < out[0] * out[1]; plane++) {
            for (int i = 0; i < out[2]; i++) {
                for (int j = 0; j < out[3]; j++) {
                    for (int u = 0; u < shape[2]; u++) {
                        for (int v = 0; v < shape[3]; v++) {
                            dx[(plane * shape[2] + u) * shape[3] + v] += weight(i, u, shape[2], scaleHeight)
                                    * weight(j, v, shape[3], scaleWidth) * g[(plane * out[2] + i) * out[3] + j];
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** The weight of input index {@code u} in output index {@code i} along an axis of {@code size}. */
    private double weight(int i, int u, int size, int scale) {
        if (!bilinear) {
            return Math.floorDiv(i, scale) == u ? 1 : 0;
        }
        double t = Math.max(0, (i + 0.5) / scale - 0.5);
        int low = (int) Math.floor(t);
        int high = Math.min(low + 1, size - 1);
        double fraction = t - low;
        double w = 0;
        if (u == low) {
            w += 1 - fraction;
        }
        if (u == high) {
            w += fraction;
        }
        return w;
    }
}
