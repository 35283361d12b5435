package dev.lanes.layers;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * A trainable tensor and the gradient accumulated into it.
 *
 * <p>Both are contiguous tensors of the same shape, allocated once. Layers add into
 * {@link #grad()} during backward; the optimizer reads it, updates {@link #value()} in place and
 * zeroes the gradient. {@link #decay()} says whether weight decay and L1/L2 penalties apply (true
 * for weights, false for biases and normalisation offsets by convention).
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    private final boolean decay;

    /**
     * A parameter holding {@code value} (contiguous, used as is, not copied) and a zero gradient.
     *
     * @param name the name within its layer, e.g. {@code weight}
     * @param value the trainable values, contiguous; the parameter uses this tensor itself
     * @param decay whether weight decay and L1/L2 penalties apply to it (true for weights, false
     *     for biases)
     * @throws IllegalArgumentException if the value is not contiguous or the name is blank
     */
    public Parameter(String name, Tensor value, boolean decay) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("parameter name must not be blank");
        }
        if (!value.isContiguous()) {
            throw new IllegalArgumentException("parameter " + name + " must be contiguous, got strides "
                    + java.util.Arrays.toString(value.strides()) + " for shape " + value.shape());
        }
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
        this.decay = decay;
    }

    /** {@return the name within its layer, e.g. {@code weight} or {@code bias}} */
    public String name() {
        return name;
    }

    /** {@return the trainable values} */
    public Tensor value() {
        return value;
    }

    /** {@return the accumulated gradient, same shape as {@link #value()}} */
    public Tensor grad() {
        return grad;
    }

    /** {@return the shape of value and gradient} */
    public Shape shape() {
        return value.shape();
    }

    /** {@return whether weight decay and L1/L2 penalties apply to this parameter} */
    public boolean decay() {
        return decay;
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        grad.zero();
    }

    @Override
    public String toString() {
        return name + value.shape();
    }
}
