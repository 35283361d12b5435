package dev.lanes.layers;

import dev.lanes.tensor.Shape;

/**
 * Batch normalisation of (n, features): each feature over the batch. See {@link BatchNorm} for
 * the formulas, modes, parameters and buffers.
 */
public final class BatchNorm1d extends BatchNorm {
    /**
     * Affine, momentum 0.1, ε 1e-5 (PyTorch's defaults).
     *
     * @param features the number of features (axis 1 of the input), {@code >= 1}
     */
    public BatchNorm1d(int features) {
        this(features, DEFAULT_MOMENTUM, DEFAULT_EPSILON, true);
    }

    /**
     * Batch normalisation of {@code features} features.
     *
     * @param features the number of features (axis 1 of the input), {@code >= 1}
     * @param momentum the weight of the newest batch in the running statistics, in {@code [0, 1]}
     * @param epsilon ε, added to the variance before the square root; positive and finite
     * @param affine whether the layer has the learnt scale γ and shift β
     * @throws IllegalArgumentException if features &lt; 1, momentum is outside [0, 1] or ε is not
     *         positive and finite
     */
    public BatchNorm1d(int features, float momentum, float epsilon, boolean affine) {
        super("BatchNorm1d", features, momentum, epsilon, affine);
    }

    @Override
    String expectedInput() {
        return "(N, " + channels() + ")";
    }

    @Override
    boolean rankFits(Shape shape) {
        return shape.rank() == 2;
    }
}
