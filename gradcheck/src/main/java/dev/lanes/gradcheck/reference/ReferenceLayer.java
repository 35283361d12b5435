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
    /** A short description for messages. */
    String name();

    /** The output shape for an input shape (batch first). */
    int[] outputShape(int[] inputShape);

    /** The output (a new array) for a row-major input of the given shape. */
    double[] forward(double[] input, int[] inputShape, boolean training);

    /** dL/d(input) (a new array) for dL/d(output) of the last forward; adds into parameter gradients. */
    double[] backward(double[] gradOutput);

    /** The parameters, in the same order as the float layer's. */
    default List<ReferenceParameter> parameters() {
        return List.of();
    }
}
