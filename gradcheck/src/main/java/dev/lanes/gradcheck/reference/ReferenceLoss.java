package dev.lanes.gradcheck.reference;

/**
 * The double-precision twin of {@code dev.lanes.layers.loss.Loss}: an obvious forward and
 * backward over row-major {@code double[]} arrays.
 */
public interface ReferenceLoss {
    /** {@return a short description for messages} */
    String name();

    /**
     * {@return the loss of the prediction (shape {@code predictionShape}) against the target; keeps
     * what backward needs}
     *
     * @param prediction the prediction
     * @param predictionShape the prediction's shape
     * @param target the target
     */
    double forward(double[] prediction, int[] predictionShape, double[] target);

    /**
     * dL/d(prediction) of the last forward, a new array.
     *
     * @return dL/d(prediction), a new array
     */
    double[] backward();
}
