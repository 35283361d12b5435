package dev.lanes.recurrent;

import dev.lanes.layers.Layer;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Reads one-channel images (N, 1, H, W) as sequences of their rows (N, H, W): H steps of W
 * pixels, the input a recurrent layer takes, so an image classifier can begin with a recurrent
 * layer (Fashion-MNIST read row by row). Output and gradient are views (reshapes, no copy) of the
 * input, or of a contiguous copy held by the layer, kept while the same tensor comes in, so
 * nothing is allocated in steady state.
 */
public final class ImageRows implements Layer {
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Tensor lastInput;
    private Tensor lastOutput;
    private Tensor lastGradOutput;
    private Tensor lastGradInput;
    private Shape inputShape;
    private Shape outShape;

    /** A layer with no state yet: the first forward sizes its buffers. */
    public ImageRows() {
    }

    @Override
    public String name() {
        return "ImageRows";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() != 4 || inputShape.dim(1) != 1) {
            throw Shapes.mismatch(name(), "input", "(N, 1, H, W)", inputShape);
        }
        return Shape.of(inputShape.dim(0), inputShape.dim(2), inputShape.dim(3));
    }

    // y = reshape(x, (N, H, W)), so dL/dx = reshape(dL/dy, (N, 1, H, W))
    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(inputShape)) {
            outShape = outputShape(input.shape());
            inputShape = input.shape();
            lastInput = null;
            lastGradOutput = null;
        }
        if (input != lastInput || !input.isContiguous()) {
            lastOutput = inputCopy.contiguous(input).reshape(outShape);
            lastInput = input;
        }
        return lastOutput;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (inputShape == null) {
            throw new IllegalStateException(name() + ": backward before forward");
        }
        Shapes.requireEqual(name(), "gradOutput", gradOutput.shape(), outShape);
        if (gradOutput != lastGradOutput || !gradOutput.isContiguous()) {
            lastGradInput = gradCopy.contiguous(gradOutput).reshape(inputShape);
            lastGradOutput = gradOutput;
        }
        return lastGradInput;
    }
}
