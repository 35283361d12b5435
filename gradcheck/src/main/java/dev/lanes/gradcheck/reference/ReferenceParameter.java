package dev.lanes.gradcheck.reference;

import java.util.Arrays;

/**
 * A parameter of a reference layer: its values and the gradient accumulated into it, both
 * row-major {@code double[]} arrays of the given shape, used as they are (not copied).
 *
 * @param name  as in the float layer: {@code weight}, {@code bias}, {@code gamma}, {@code beta}
 * @param dims  the shape
 * @param value the values
 * @param grad  the accumulated gradient
 */
public record ReferenceParameter(String name, int[] dims, double[] value, double[] grad) {
    /**
     * Checks that the arrays have the size of the shape.
     *
     * @throws IllegalArgumentException if the arrays do not have the size of the shape
     */
    public ReferenceParameter {
        int size = Reference.size(dims);
        if (value.length != size || grad.length != size) {
            throw new IllegalArgumentException("parameter " + name + " of shape " + Arrays.toString(dims)
                    + " needs " + size + " values and gradients, got " + value.length + " and " + grad.length);
        }
    }

    /**
     * {@return a parameter holding {@code value} and a zero gradient}
     *
     * @param name the parameter's name, e.g. {@code weight}
     * @param value the values, row-major (used as is)
     * @param dims the shape
     */
    public static ReferenceParameter of(String name, double[] value, int... dims) {
        return new ReferenceParameter(name, dims.clone(), value, new double[value.length]);
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        Arrays.fill(grad, 0);
    }
}
