package dev.lanes.layers;

import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Flattens every dimension after the batch: (n, d1, d2, ...) to (n, d1·d2·...).
 *
 * <p>The output is a view of the input (reshape, no copy) when the input is contiguous, else a
 * view of a contiguous copy held by the layer; backward likewise returns a view of the output
 * gradient with the input's shape. The view objects are kept and returned again while the same
 * tensor comes in, as it does in steady state (layers reuse their workspaces), so nothing is
 * allocated.
 */
public final class Flatten implements Layer {
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Tensor lastInput;
    private Tensor lastOutput;
    private Tensor lastGradOutput;
    private Tensor lastGradInput;
    private Shape inputShape;
    private Shape outShape;

    /** A flatten layer. */
    public Flatten() {
    }

    @Override
    public String name() {
        return "Flatten";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 1) {
            throw Shapes.mismatch(name(), "input", "(N, ...) of rank >= 1", inputShape);
        }
        int features = 1;
        for (int i = 1; i < inputShape.rank(); i++) {
            features *= inputShape.dim(i);
        }
        return Shape.of(inputShape.dim(0), features);
    }

    // y = reshape(x, (n, features)): the Jacobian is a permutation-free identity, so
    // dL/dx = reshape(dL/dy, shape of x).
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
