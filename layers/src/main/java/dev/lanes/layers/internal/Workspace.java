package dev.lanes.layers.internal;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * One reusable contiguous tensor: a layer keeps one per output, gradient or saved value, and
 * asks for it with the current shape on every call. While the shape stays the same the same tensor
 * comes back, so a steady-state training step allocates nothing; a new shape (a smaller last batch)
 * allocates once.
 */
public final class Workspace {
    private Tensor tensor;

    /**
     * A contiguous tensor of {@code shape}: the one returned last time when the shape is unchanged
     * (holding whatever was written into it), else a new one of zeros.
     */
    public Tensor get(Shape shape) {
        if (tensor == null || !tensor.shape().equals(shape)) {
            tensor = Tensor.zeros(shape);
        }
        return tensor;
    }

    /**
     * {@code input} itself when it is contiguous, else a contiguous copy held in this workspace, so
     * kernels can read it as a flat array from {@code offset()}.
     */
    public Tensor contiguous(Tensor input) {
        if (input.isContiguous()) {
            return input;
        }
        return get(input.shape()).copyFrom(input);
    }
}
