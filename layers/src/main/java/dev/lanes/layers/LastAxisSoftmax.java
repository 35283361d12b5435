package dev.lanes.layers;

import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * What softmax and log-softmax share: the input seen as (rows, cols) row-major with the last axis
 * as the row, the shape kept per input, the workspaces and the checks. Subclasses run the kernels.
 */
abstract sealed class LastAxisSoftmax implements Layer permits Softmax, LogSoftmax {
    private final String name;
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Shape shape;

    LastAxisSoftmax(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 1 || inputShape.dim(-1) < 1) {
            throw Shapes.mismatch(name(), "input", "(..., classes) with classes >= 1", inputShape);
        }
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(shape)) {
            shape = outputShape(input.shape());
        }
        int cols = shape.dim(-1);
        int rows = shape.size() / cols;
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(shape);
        forwardRows(y.data(), x.data(), x.offset(), rows, cols);
        return y;
    }

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
        backwardRows(dx.data(), dy.data(), dy.offset(), output.get(shape).data(), rows, cols);
        return dx;
    }

    // y is (rows, cols) row-major from 0, x (rows, cols) row-major from offsetX
    abstract void forwardRows(float[] y, float[] x, int offsetX, int rows, int cols);

    // dx and y (the forward's output) are (rows, cols) row-major from 0, dy (rows, cols) from offsetDy
    abstract void backwardRows(float[] dx, float[] dy, int offsetDy, float[] y, int rows, int cols);
}
