package dev.lanes.layers;

import dev.lanes.kernels.Pool2d;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Global max pooling: (n, c, h, w) to (n, c), the largest element of each plane (NaN if the plane
 * holds one; the first among equal maxima is the one that gets the gradient). The output drops the
 * spatial axes, as Keras' {@code GlobalMaxPooling2D}, ready for a {@link Dense} layer. Runs in
 * {@link Pool2d}.
 */
public final class GlobalMaxPool2d implements Layer {
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private int[] argmax = new int[0];
    private Shape inputShape;
    private Shape outShape;

    /** A global max pooling layer. */
    public GlobalMaxPool2d() {
    }

    @Override
    public String name() {
        return "GlobalMaxPool2d";
    }

    @Override
    public Shape outputShape(Shape shape) {
        if (shape.rank() != 4 || shape.dim(1) < 1 || shape.dim(2) < 1 || shape.dim(3) < 1) {
            throw Shapes.mismatch(name(), "input", "(N, C, H, W) with C, H, W >= 1", shape);
        }
        return Shape.of(shape.dim(0), shape.dim(1));
    }

    // y[n, c] = max_{h, w} x[n, c, h, w]; the argmax is kept
    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(inputShape)) {
            outShape = outputShape(input.shape());
            inputShape = input.shape();
        }
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(outShape);
        if (argmax.length != y.size()) {
            argmax = new int[y.size()];
        }
        Pool2d.globalMaxForward(y.data(), 0, argmax, 0, x.data(), x.offset(), inputShape.dim(0), inputShape.dim(1),
                inputShape.dim(2) * inputShape.dim(3));
        return y;
    }

    // dL/dx[n, c, h, w] = dL/dy[n, c] at the argmax of the plane, 0 elsewhere
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (outShape == null) {
            throw new IllegalStateException(name() + ": backward before forward");
        }
        Shapes.requireEqual(name(), "gradOutput", gradOutput.shape(), outShape);
        Tensor dy = gradCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(inputShape);
        Pool2d.globalMaxBackward(dx.data(), 0, dy.data(), dy.offset(), argmax, 0, inputShape.dim(0),
                inputShape.dim(1), inputShape.dim(2) * inputShape.dim(3));
        return dx;
    }
}
