package dev.lanes.gradcheck.reference;

/**
 * Softmax or log-softmax over the last axis, any rank &gt;= 1. Softmax: y_i = e^(x_i - m) /
 * sum_j e^(x_j - m) with m the row maximum (the same function, without overflow). Log-softmax:
 * y_i = x_i - m - ln sum_j e^(x_j - m).
 *
 * <p>Backward through the explicit Jacobian of each row, dx_j = sum_i g_i J_ij, with
 * J_ij = s_i (delta_ij - s_j) for softmax and delta_ij - s_j for log-softmax (s = softmax).
 */
public final class SoftmaxReference implements ReferenceLayer {
    private final boolean log;
    private double[] softmax;
    private int rows;
    private int width;

    private SoftmaxReference(boolean log) {
        this.log = log;
    }

    /**
     * Softmax over the last axis.
     *
     * @return the reference layer
     */
    public static SoftmaxReference softmax() {
        return new SoftmaxReference(false);
    }

    /**
     * Log-softmax over the last axis.
     *
     * @return the reference layer
     */
    public static SoftmaxReference logSoftmax() {
        return new SoftmaxReference(true);
    }

    @Override
    public String name() {
        return log ? "LogSoftmaxReference" : "SoftmaxReference";
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length < 1) {
            throw new IllegalArgumentException(name() + " needs rank 1 or more");
        }
        return inputShape.clone();
    }

    @Override
    public double[] forward(double[] x, int[] inputShape, boolean training) {
        outputShape(inputShape);
        Reference.requireLength("input", x, Reference.size(inputShape));
        width = inputShape[inputShape.length - 1];
        rows = width == 0 ? 0 : x.length / width;
        softmax = new double[x.length];
        double[] y = new double[x.length];
        for (int row = 0; row < rows; row++) {
            int start = row * width;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                max = Math.max(max, x[start + j]);
            }
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += Math.exp(x[start + j] - max);
            }
            for (int j = 0; j < width; j++) {
                softmax[start + j] = Math.exp(x[start + j] - max) / sum;
                y[start + j] = log ? x[start + j] - max - Math.log(sum) : softmax[start + j];
            }
        }
        return y;
    }

    @Override
    public double[] backward(double[] g) {
        Reference.requireForward(softmax, name());
        Reference.requireLength("gradOutput", g, softmax.length);
        double[] dx = new double[g.length];
        for (int row = 0; row < rows; row++) {
            int start = row * width;
            for (int j = 0; j < width; j++) {
                double sum = 0;
                for (int i = 0; i < width; i++) {
                    double delta = i == j ? 1 : 0;
                    double jacobian = log ? delta - softmax[start + j]
                            : softmax[start + i] * (delta - softmax[start + j]);
                    sum += g[start + i] * jacobian;
                }
                dx[start + j] = sum;
            }
        }
        return dx;
    }
}
