package dev.lanes.layers;

/**
 * Log-softmax over the last axis: {@code y_j = x_j − m − ln Σ_k e^(x_k − m)}, m the maximum of
 * the row, for inputs of rank >= 1, typically (n, classes). Runs in
 * {@link dev.lanes.kernels.Softmax}, which documents the special rows. Followed by a negative
 * log-likelihood it is the cross-entropy; {@link dev.lanes.layers.loss.SoftmaxCrossEntropy} does
 * both at once from the logits.
 */
public final class LogSoftmax extends LastAxisSoftmax {
    /** A log-softmax over the last axis. */
    public LogSoftmax() {
        super("LogSoftmax");
    }

    // y_ij = x_ij − m_i − ln Σ_k e^(x_ik − m_i)
    @Override
    void forwardRows(float[] y, float[] x, int offsetX, int rows, int cols) {
        dev.lanes.kernels.Softmax.logSoftmax(y, 0, cols, x, offsetX, cols, rows, cols);
    }

    // dL/dx_ij = dL/dy_ij − e^(y_ij) · Σ_k dL/dy_ik   (e^y is the softmax)
    @Override
    void backwardRows(float[] dx, float[] dy, int offsetDy, float[] y, int rows, int cols) {
        dev.lanes.kernels.Softmax.logSoftmaxBackward(dx, 0, cols, dy, offsetDy, cols, y, 0, cols, rows, cols);
    }
}
