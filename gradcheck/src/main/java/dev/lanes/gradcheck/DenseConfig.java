package dev.lanes.gradcheck;

import dev.lanes.tensor.Shape;

/**
 * A dense (fully connected) layer and its input: (batch, inFeatures) -> (batch, outFeatures).
 *
 * @param batch the number of images (or rows) in the batch, {@code >= 1}
 * @param inFeatures the input features, {@code >= 1}
 * @param outFeatures the output features, {@code >= 1}
 */
public record DenseConfig(int batch, int inFeatures, int outFeatures) {
    /**
     * Checks the sizes.
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public DenseConfig {
        if (batch < 1 || inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("sizes must be at least 1");
        }
    }

    /**
     * (batch, inFeatures).
     *
     * @return the input shape (batch, inFeatures)
     */
    public Shape inputShape() {
        return Shape.of(batch, inFeatures);
    }

    /**
     * (outFeatures, inFeatures), as PyTorch's Linear.
     *
     * @return the weight shape (outFeatures, inFeatures)
     */
    public Shape weightShape() {
        return Shape.of(outFeatures, inFeatures);
    }

    @Override
    public String toString() {
        return "Dense(n=" + batch + ", " + inFeatures + " -> " + outFeatures + ")";
    }
}
