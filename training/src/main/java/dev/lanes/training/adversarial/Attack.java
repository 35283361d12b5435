package dev.lanes.training.adversarial;

import dev.lanes.tensor.Tensor;

/**
 * An attack on a classifier: small changes of its input images that change its predictions.
 * Untargeted attacks push each image away from its true class; targeted ones toward a chosen
 * class. The size of a change is bounded in the L∞ norm by ε in pixel units ({@link PixelScale}),
 * and every changed pixel stays in [0, 1].
 */
public interface Attack {
    /** {@return a description for reports, e.g. {@code FGSM} or {@code PGD (10 steps)}} */
    String name();

    /**
     * Writes an adversarial version of every image of {@code input} into {@code adversarial}.
     *
     * @param adversarial (n, c, h, w) contiguous; may be {@code input} itself
     * @param input       (n, c, h, w) contiguous images in the model's units
     * @param labels      per image, the true class (untargeted) or the class to reach (targeted)
     * @param epsilons    per image, the largest change of a pixel in pixel units (≥ 0)
     * @throws IllegalArgumentException if a shape or length does not fit or an ε is negative
     */
    void perturb(Tensor adversarial, Tensor input, int[] labels, float[] epsilons);
}
