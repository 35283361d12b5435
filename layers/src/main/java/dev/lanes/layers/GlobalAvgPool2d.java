package dev.lanes.layers;

import dev.lanes.kernels.Pool2d;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Global average pooling: (n, c, h, w) to (n, c), the mean of each plane. The output drops the
 * spatial axes, as Keras' {@code GlobalAveragePooling2D}. Runs in {@link Pool2d}.
 */
public final class GlobalAvgPool2d implements Layer {
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Shape inputShape;
    private Shape outShape;

    /** A global average pooling layer. */
    public GlobalAvgPool2d() {
    }

    @Override
    public String name() {
        return "GlobalAvgPool2d";
    }

    @Override
    public Shape outputShape(Shape shape) {
        if (shape.rank() != 4 || shape.dim(1) < 1 || shape.dim(2) < 1 || shape.dim(3) < 1) {
            throw Shapes.mismatch(name(), "input", "(N, C, H, W) with C, H, W >= 1", shape);
        }
        return Shape.of(shape.dim(0), shape.dim(1));
    }

    // y[n, c] = (1/(h·w)) · Σ_{h, w} x[n, c, h, w]
    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(inputShape)) {
            outShape = outputShape(input.shape());
            inputShape = input.shape();
        }
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(outShape);
        Pool2d.globalAvgForward(y.data(), 0, x.data(), x.offset(), inputShape.dim(0), inputShape.dim(1),
                inputShape.dim(2) * inputShape.dim(3));
        return y;
    }

    // dL/dx[n, c, h, w] = dL/dy[n, c] / (h·w)
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (outShape == null) {
            throw new IllegalStateException(name() + ": backward before forward");
        }
        Shapes.requireEqual(name(), "gradOutput", gradOutput.shape(), outShape);
        Tensor dy = gradCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(inputShape);
        Pool2d.globalAvgBackward(dx.data(), 0, dy.data(), dy.offset(), inputShape.dim(0), inputShape.dim(1),
                inputShape.dim(2) * inputShape.dim(3));
        return dx;
    }
}
