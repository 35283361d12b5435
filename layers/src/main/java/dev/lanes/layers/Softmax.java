package dev.lanes.layers;

/**
 * Softmax over the last axis: {@code y_j = e^(x_j − m) / Σ_k e^(x_k − m)}, m the maximum of the
 * row (so no finite input overflows), for inputs of rank >= 1, typically (n, classes). Runs in
 * {@link dev.lanes.kernels.Softmax}, which documents the special rows (NaN or +Inf give NaN).
 *
 * <p>For training a classifier prefer logits with
 * {@link dev.lanes.layers.loss.SoftmaxCrossEntropy}, which fuses the two stably; this layer is for
 * models that output probabilities.
 */
public final class Softmax extends LastAxisSoftmax {
    /** A softmax over the last axis. */
    public Softmax() {
        super("Softmax");
    }

    // y_ij = e^(x_ij − m_i) / Σ_k e^(x_ik − m_i)
    @Override
    void forwardRows(float[] y, float[] x, int offsetX, int rows, int cols) {
        dev.lanes.kernels.Softmax.softmax(y, 0, cols, x, offsetX, cols, rows, cols);
    }

    // dL/dx_ij = y_ij · (dL/dy_ij − Σ_k dL/dy_ik · y_ik)
    @Override
    void backwardRows(float[] dx, float[] dy, int offsetDy, float[] y, int rows, int cols) {
        dev.lanes.kernels.Softmax.softmaxBackward(dx, 0, cols, dy, offsetDy, cols, y, 0, cols, rows, cols);
    }
}
