package dev.lanes.layers;

import dev.lanes.kernels.PoolGeometry;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * What max and average pooling share: the window, the geometry kept per input shape, the
 * workspaces and the checks. Subclasses run the kernels.
 */
abstract sealed class Pooling2d implements Layer permits MaxPool2d, AvgPool2d {
    final PoolWindow window;
    final String name;
    final Workspace output = new Workspace();
    final Workspace gradInput = new Workspace();
    final Workspace inputCopy = new Workspace();
    final Workspace gradCopy = new Workspace();
    Shape inputShape;
    Shape outShape;
    PoolGeometry geometry;

    Pooling2d(String kind, PoolWindow window) {
        if (window == null) {
            throw new IllegalArgumentException(kind + ": window must not be null");
        }
        this.window = window;
        this.name = kind + "(" + window + ")";
    }

    /** {@return the window} */
    public PoolWindow window() {
        return window;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape shape) {
        PoolGeometry g = geometry(shape);
        return Shape.of(shape.dim(0), shape.dim(1), g.outHeight(), g.outWidth());
    }

    private PoolGeometry geometry(Shape shape) {
        if (shape.rank() != 4) {
            throw Shapes.mismatch(name, "input", "(N, C, H, W)", shape);
        }
        try {
            return window.geometry(shape.dim(1), shape.dim(2), shape.dim(3));
        } catch (IllegalArgumentException e) {
            throw Shapes.mismatch(name, "input", "(N, C, H, W) that the window fits (" + e.getMessage() + ")",
                    shape);
        }
    }

    /** Updates the geometry and shapes when the input shape changed; returns the contiguous input. */
    Tensor prepare(Tensor input) {
        if (!input.shape().equals(inputShape)) {
            geometry = geometry(input.shape());
            outShape = Shape.of(input.dim(0), input.dim(1), geometry.outHeight(), geometry.outWidth());
            inputShape = input.shape();
        }
        return inputCopy.contiguous(input);
    }

    /** Checks the order of calls and the gradient's shape; returns it contiguous. */
    Tensor prepareGradient(Tensor gradOutput, boolean forwardDone) {
        if (!forwardDone) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), outShape);
        return gradCopy.contiguous(gradOutput);
    }
}
