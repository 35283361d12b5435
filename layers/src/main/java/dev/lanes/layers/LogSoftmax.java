package dev.lanes.layers;

import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Log-softmax over the last axis: {@code y_j = x_j − m − ln Σ_k e^(x_k − m)}, m the maximum of
 * the row, for inputs of rank >= 1, typically (n, classes). Runs in
 * {@link dev.lanes.kernels.Softmax}, which documents the special rows. Followed by a negative
 * log-likelihood it is the cross-entropy; {@link dev.lanes.layers.loss.SoftmaxCrossEntropy} does
 * both at once from the logits.
 */
public final class LogSoftmax implements Layer {
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Shape shape;

    /** A log-softmax over the last axis. */
    public LogSoftmax() {
    }

    @Override
    public String name() {
        return "LogSoftmax";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 1 || inputShape.dim(-1) < 1) {
            throw Shapes.mismatch(name(), "input", "(..., classes) with classes >= 1", inputShape);
        }
        return inputShape;
    }

    // y_ij = x_ij − m_i − ln Σ_k e^(x_ik − m_i)
    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(shape)) {
            shape = outputShape(input.shape());
        }
        int cols = shape.dim(-1);
        int rows = shape.size() / cols;
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(shape);
        dev.lanes.kernels.Softmax.logSoftmax(y.data(), 0, cols, x.data(), x.offset(), cols, rows, cols);
        return y;
    }

    // dL/dx_ij = dL/dy_ij − e^(y_ij) · Σ_k dL/dy_ik   (e^y is the softmax)
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (shape == null) {
            throw new IllegalStateException(name() + ": backward before forward");
        }
        Shapes.requireEqual(name(), "gradOutput", gradOutput.shape(), shape);
        int cols = shape.dim(-1);
        int rows = shape.size() / cols;
        Tensor dy = gradCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(shape);
        dev.lanes.kernels.Softmax.logSoftmaxBackward(dx.data(), 0, cols, dy.data(), dy.offset(), cols,
                output.get(shape).data(), 0, cols, rows, cols);
        return dx;
    }
}
