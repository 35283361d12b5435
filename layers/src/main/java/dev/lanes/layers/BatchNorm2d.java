package dev.lanes.layers;

import dev.lanes.tensor.Shape;

/**
 * Batch normalisation of (n, c, h, w): each channel over the batch and the image. See
 * {@link BatchNorm} for the formulas, modes, parameters and buffers.
 */
public final class BatchNorm2d extends BatchNorm {
    /**
     * Affine, momentum 0.1, ε 1e-5 (PyTorch's defaults).
     *
     * @param channels C, the number of channels (axis 1 of the input), {@code >= 1}
     */
    public BatchNorm2d(int channels) {
        this(channels, DEFAULT_MOMENTUM, DEFAULT_EPSILON, true);
    }

    /**
     * Batch normalisation of {@code channels} channels.
     *
     * @param channels C, the number of channels (axis 1 of the input), {@code >= 1}
     * @param momentum the weight of the newest batch in the running statistics, in {@code [0, 1]}
     * @param epsilon ε, added to the variance before the square root; positive and finite
     * @param affine whether the layer has the learnt scale γ and shift β
     * @throws IllegalArgumentException if channels &lt; 1, momentum is outside [0, 1] or ε is not
     *         positive and finite
     */
    public BatchNorm2d(int channels, float momentum, float epsilon, boolean affine) {
        super("BatchNorm2d", channels, momentum, epsilon, affine);
    }

    @Override
    String expectedInput() {
        return "(N, " + channels() + ", H, W)";
    }

    @Override
    boolean rankFits(Shape shape) {
        return shape.rank() == 4;
    }
}
