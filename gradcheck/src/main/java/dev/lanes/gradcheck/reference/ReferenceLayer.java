package dev.lanes.gradcheck.reference;

import java.util.List;

/**
 * The double-precision twin of {@code dev.lanes.layers.Layer}: an obvious forward and backward
 * over row-major {@code double[]} arrays, written for clarity, not speed, and independently of
 * the float32 kernels, so that it can serve as a second oracle for them.
 *
 * <p>Shapes include the batch dimension first, as for layers. {@link #forward} keeps what
 * {@link #backward} needs; backward returns dL/d(input) as a new array and adds into the
 * gradient of each {@link ReferenceParameter}.
 */
public interface ReferenceLayer {
    /** {@return a short description for messages} */
    String name();

    /**
     * {@return the output shape for an input shape (batch first)}
     *
     * @param inputShape the input shape, batch dimension first
     */
    int[] outputShape(int[] inputShape);

    /**
     * {@return the output (a new array) for a row-major input of the given shape}
     *
     * @param input the input, batch dimension first, row-major
     * @param inputShape the input shape, batch dimension first
     * @param training true for training mode, false for inference mode
     */
    double[] forward(double[] input, int[] inputShape, boolean training);

    /**
     * dL/d(input) (a new array) for dL/d(output) of the last forward; adds into parameter gradients.
     *
     * @param gradOutput dL/d(output), of the last forward's output shape
     * @return dL/d(input), a new array
     */
    double[] backward(double[] gradOutput);

    /** {@return the parameters, in the same order as the float layer's} */
    default List<ReferenceParameter> parameters() {
        return List.of();
    }
}
