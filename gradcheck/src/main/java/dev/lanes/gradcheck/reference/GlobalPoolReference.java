package dev.lanes.gradcheck.reference;

/**
 * Global max or average pooling, NCHW: one value per (image, channel) plane, output (N, C) or,
 * with {@code keepDims}, (N, C, 1, 1). Max: the plane's largest element (first on ties, NaN wins),
 * backward to it. Average: the plane's mean, backward g / (H*W) to every element.
 */
public final class GlobalPoolReference implements ReferenceLayer {
    private final boolean max;
    private final boolean keepDims;
    private int[] shape;
    private int[] argmax;

    private GlobalPoolReference(boolean max, boolean keepDims) {
        this.max = max;
        this.keepDims = keepDims;
    }

    /**
     * Global max pooling.
     *
     * @param keepDims true to keep the spatial axes with size 1, false to remove them
     * @return the reference layer
     */
    public static GlobalPoolReference max(boolean keepDims) {
        return new GlobalPoolReference(true, keepDims);
    }

    /**
     * Global average pooling.
     *
     * @param keepDims true to keep the spatial axes with size 1, false to remove them
     * @return the reference layer
     */
    public static GlobalPoolReference average(boolean keepDims) {
        return new GlobalPoolReference(false, keepDims);
    }

    @Override
    public String name() {
        return (max ? "GlobalMaxPoolReference" : "GlobalAvgPoolReference") + (keepDims ? "(keep dims)" : "");
    }

    @Override
    public int[] outputShape(int[] s) {
        Reference.requireRank(name(), s, 4);
        return keepDims ? new int[] {s[0], s[1], 1, 1} : new int[] {s[0], s[1]};
    }

    @Override
    public double[] forward(double[] x, int[] inputShape, boolean training) {
        outputShape(inputShape);
        Reference.requireLength("input", x, Reference.size(inputShape));
        shape = inputShape.clone();
        int planes = shape[0] * shape[1];
        int area = shape[2] * shape[3];
        double[] y = new double[planes];
        argmax = new int[planes];
        for (int plane = 0; plane < planes; plane++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int where = plane * area;
            for (int i = plane * area; i < (plane + 1) * area; i++) {
                if (!max) {
                    acc += x[i];
                } else if (i == plane * area || x[i] > acc || (Double.isNaN(x[i]) && !Double.isNaN(acc))) {
                    acc = x[i];
                    where = i;
                }
            }
            y[plane] = max ? acc : acc / area;
            argmax[plane] = where;
        }
        return y;
    }

    @Override
    public double[] backward(double[] g) {
        Reference.requireForward(shape, name());
        int planes = shape[0] * shape[1];
        int area = shape[2] * shape[3];
        Reference.requireLength("gradOutput", g, planes);
        double[] dx = new double[planes * area];
        for (int plane = 0; plane < planes; plane++) {
            if (max) {
                dx[argmax[plane]] += g[plane];
            } else {
                for (int i = plane * area; i < (plane + 1) * area; i++) {
                    dx[i] += g[plane] / area;
                }
            }
        }
        return dx;
    }
}
