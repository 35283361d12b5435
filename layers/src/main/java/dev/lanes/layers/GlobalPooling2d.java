package dev.lanes.layers;

import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * What global max and average pooling share: (n, c, h, w) to (n, c), the shapes kept per input,
 * the workspaces and the checks. Subclasses run the kernels over the n·c planes of h·w elements.
 */
abstract sealed class GlobalPooling2d implements Layer permits GlobalAvgPool2d, GlobalMaxPool2d {
    private final String name;
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Shape inputShape;
    private Shape outShape;

    GlobalPooling2d(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape shape) {
        if (shape.rank() != 4 || shape.dim(1) < 1 || shape.dim(2) < 1 || shape.dim(3) < 1) {
            throw Shapes.mismatch(name(), "input", "(N, C, H, W) with C, H, W >= 1", shape);
        }
        return Shape.of(shape.dim(0), shape.dim(1));
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(inputShape)) {
            outShape = outputShape(input.shape());
            inputShape = input.shape();
        }
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(outShape);
        forwardPlanes(y.data(), x.data(), x.offset(), inputShape.dim(0), inputShape.dim(1),
                inputShape.dim(2) * inputShape.dim(3));
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (outShape == null) {
            throw new IllegalStateException(name() + ": backward before forward");
        }
        Shapes.requireEqual(name(), "gradOutput", gradOutput.shape(), outShape);
        Tensor dy = gradCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(inputShape);
        backwardPlanes(dx.data(), dy.data(), dy.offset(), inputShape.dim(0), inputShape.dim(1),
                inputShape.dim(2) * inputShape.dim(3));
        return dx;
    }

    // y is (n, c) from 0, x (n, c, plane) row-major from offsetX
    abstract void forwardPlanes(float[] y, float[] x, int offsetX, int n, int c, int plane);

    // dx is (n, c, plane) row-major from 0, dy (n, c) from offsetDy
    abstract void backwardPlanes(float[] dx, float[] dy, int offsetDy, int n, int c, int plane);
}
