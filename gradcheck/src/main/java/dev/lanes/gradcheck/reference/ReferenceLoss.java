package dev.lanes.gradcheck.reference;

/**
 * The double-precision twin of {@code dev.lanes.layers.loss.Loss}: an obvious forward and
 * backward over row-major {@code double[]} arrays.
 */
public interface ReferenceLoss {
    /** A short description for messages. */
    String name();

    /** The loss of the prediction (shape {@code predictionShape}) against the target; keeps what backward needs. */
    double forward(double[] prediction, int[] predictionShape, double[] target);

    /** dL/d(prediction) of the last forward, a new array. */
    double[] backward();
}
