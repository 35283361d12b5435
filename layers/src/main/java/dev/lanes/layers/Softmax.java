package dev.lanes.layers;

import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Softmax over the last axis: {@code y_j = e^(x_j − m) / Σ_k e^(x_k − m)}, m the maximum of the
 * row (so no finite input overflows), for inputs of rank >= 1, typically (n, classes). Runs in
 * {@link dev.lanes.kernels.Softmax}, which documents the special rows (NaN or +Inf give NaN).
 *
 * <p>For training a classifier prefer logits with
 * {@link dev.lanes.layers.loss.SoftmaxCrossEntropy}, which fuses the two stably; this layer is for
 * models that output probabilities.
 */
public final class Softmax implements Layer {
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Shape shape;

    /** A softmax over the last axis. */
    public Softmax() {
    }

    @Override
    public String name() {
        return "Softmax";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 1 || inputShape.dim(-1) < 1) {
            throw Shapes.mismatch(name(), "input", "(..., classes) with classes >= 1", inputShape);
        }
        return inputShape;
    }

    // y_ij = e^(x_ij − m_i) / Σ_k e^(x_ik − m_i)
    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(shape)) {
            shape = outputShape(input.shape());
        }
        int cols = shape.dim(-1);
        int rows = shape.size() / cols;
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(shape);
        dev.lanes.kernels.Softmax.softmax(y.data(), 0, cols, x.data(), x.offset(), cols, rows, cols);
        return y;
    }

    // dL/dx_ij = y_ij · (dL/dy_ij − Σ_k dL/dy_ik · y_ik)
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
        dev.lanes.kernels.Softmax.softmaxBackward(dx.data(), 0, cols, dy.data(), dy.offset(), cols,
                output.get(shape).data(), 0, cols, rows, cols);
        return dx;
    }
}
