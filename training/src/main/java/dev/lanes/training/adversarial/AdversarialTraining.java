package dev.lanes.training.adversarial;

import dev.lanes.layers.Layer;
import dev.lanes.layers.loss.Loss;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.random.SplitMix64;
import java.util.Locale;

/**
 * Adversarial training with the loss of the lecture decks (Kurakin, Goodfellow and Bengio,
 * "Adversarial machine learning at scale", ICLR 2017): in every batch of m images, the last k are
 * replaced by adversarial versions crafted against the current model, and the batch's loss is
 *
 * <pre>
 *   L = (Σᵢ L(xᵢ, yᵢ) + λ Σⱼ L(xⱼ*, yⱼ)) / ((m − k) + λk)
 * </pre>
 *
 * over the m − k clean images i and the k adversarial ones j. Each adversarial image gets its
 * own ε in [εmin, εmax] (pixel units), uniform or from a normal distribution centred on εmin
 * with σ = (εmax − εmin)/2 truncated to the range: Kurakin et al. draw ε per image so that the
 * model meets perturbations of every size up to the largest, from such a truncated normal
 * (σ = 8 on [0, 16] grey levels), which favours the small ones. A batch of s &lt; m images (the
 * last of an epoch) replaces round(s·k/m).
 *
 * <p>The adversarial images are crafted against the true labels, or against the labels the model
 * predicts for the clean images: Kurakin et al. use the predicted ones because one-step
 * examples crafted from the true labels "leak" them (the perturbation itself carries the class,
 * and a model trained on such images can score better on them than on clean ones).
 *
 * <p>Give it to {@link dev.lanes.training.TrainingOptions#adversarial}; the trainer calls
 * {@link #perturb} on each batch before the forward pass and takes the loss and its gradient from
 * {@link #loss} and {@link #lossGradient}. Crafting runs the model in inference mode and leaves
 * its parameter gradients alone ({@link InputGradient}).
 */
public final class AdversarialTraining {
    /** How the ε of each adversarial image is drawn from [εmin, εmax]. */
    public enum EpsilonDistribution {
        /** Uniform. */
        UNIFORM,
        /** Normal with mean εmin and σ = (εmax − εmin)/2, truncated to the range (Kurakin et al.). */
        TRUNCATED_NORMAL
    }

    private final Attack attack;
    private final EpsilonDistribution distribution;
    private final Robustness labeller;
    private final int k;
    private final int m;
    private final double lambda;
    private final float minEpsilon;
    private final float maxEpsilon;
    private final SplitMix64 random;
    private float[] epsilons = new float[0];
    private int[] labels = new int[0];
    private int lastAdversarial;
    private Tensor gradient;

    /**
     * A mix with ε drawn uniformly from [minEpsilon, maxEpsilon] for every adversarial image.
     *
     * @param attack     crafts the adversarial images (against the model being trained)
     * @param k          adversarial images per batch of {@code m}, 0..m
     * @param m          the batch size k refers to
     * @param lambda     λ, the relative weight of an adversarial image's loss, positive
     * @param minEpsilon the smallest ε in pixel units, ≥ 0
     * @param maxEpsilon the largest ε in pixel units, ≥ minEpsilon
     * @param seed       seeds the draws of ε
     */
    public AdversarialTraining(Attack attack, int k, int m, double lambda, float minEpsilon, float maxEpsilon,
                               long seed) {
        this(attack, k, m, lambda, minEpsilon, maxEpsilon, EpsilonDistribution.UNIFORM, null, seed);
    }

    /**
     * A mix with ε drawn from the given distribution.
     *
     * @param attack       crafts the adversarial images (against the model being trained)
     * @param k            adversarial images per batch of {@code m}, 0..m
     * @param m            the batch size k refers to
     * @param lambda       λ, the relative weight of an adversarial image's loss, positive
     * @param minEpsilon   the smallest ε in pixel units, ≥ 0
     * @param maxEpsilon   the largest ε in pixel units, ≥ minEpsilon
     * @param distribution how ε is drawn from [minEpsilon, maxEpsilon]
     * @param model        the model being trained, whose predicted labels (inference mode) the
     *                     attack uses; null to use the true labels
     * @param seed         seeds the draws of ε
     */
    public AdversarialTraining(Attack attack, int k, int m, double lambda, float minEpsilon, float maxEpsilon,
                               EpsilonDistribution distribution, Layer model, long seed) {
        if (m < 1 || k < 0 || k > m) {
            throw new IllegalArgumentException("adversarial training needs 0 <= k <= m and m >= 1, got k = " + k
                    + ", m = " + m);
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be positive and finite, got " + lambda);
        }
        if (!(minEpsilon >= 0) || !(maxEpsilon >= minEpsilon) || !Float.isFinite(maxEpsilon)) {
            throw new IllegalArgumentException("epsilons must satisfy 0 <= min <= max < infinity, got [" + minEpsilon
                    + ", " + maxEpsilon + "]");
        }
        if (distribution == null) {
            throw new IllegalArgumentException("the epsilon distribution is null");
        }
        this.attack = attack;
        this.distribution = distribution;
        this.labeller = model == null ? null : new Robustness(model, Math.max(1, k));
        this.k = k;
        this.m = m;
        this.lambda = lambda;
        this.minEpsilon = minEpsilon;
        this.maxEpsilon = maxEpsilon;
        this.random = new SplitMix64(SplitMix64.derive(seed, 0x414456L));
    }

    /**
     * {@return the adversarial images among {@code size}: round(size·k/m)}
     *
     * @param size the number of images in the batch
     */
    public int adversarialCount(int size) {
        return (int) Math.round((double) size * k / m);
    }

    /**
     * Replaces the last {@link #adversarialCount}(n) images of {@code input} (n, c, h, w), in
     * place, by adversarial versions for their {@code labels}; returns how many.
     *
     * @param input the batch (n, c, h, w), changed in place
     * @param labels the true class of each image
     * @param n the number of images in the batch
     * @return the number of images replaced
     */
    public int perturb(Tensor input, int[] labels, int n) {
        int count = adversarialCount(n);
        lastAdversarial = count;
        if (count == 0) {
            return 0;
        }
        if (epsilons.length < count) {
            epsilons = new float[count];
            this.labels = new int[count];
        }
        Tensor part = input.narrow(0, n - count, count);
        int[] predicted = labeller == null ? null : labeller.predict(part);
        for (int j = 0; j < count; j++) {
            epsilons[j] = epsilon();
            this.labels[j] = predicted == null ? labels[n - count + j] : predicted[j];
        }
        attack.perturb(part, part, this.labels, epsilons);
        return count;
    }

    /** One draw of ε from the distribution over [εmin, εmax]. */
    private float epsilon() {
        float range = maxEpsilon - minEpsilon;
        if (distribution == EpsilonDistribution.UNIFORM || range == 0) {
            return minEpsilon + range * (float) random.nextDouble();
        }
        // |N(0, 1)| by Box-Muller from the seeded stream (not nextGaussian, whose algorithm the JDK
        // may change), redrawn until it lands within two σ: the normal truncated to [εmin, εmax].
        while (true) {
            double u = 1 - random.nextDouble();
            double z = Math.abs(Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
            if (z <= 2) {
                return (float) Math.min(maxEpsilon, minEpsilon + range / 2 * z);
            }
        }
    }

    /**
     * {@return the decks' loss of {@code output} (n, classes) against {@code target} (n), the last
     * rows being the adversarial images of the last {@link #perturb}; keeps its gradient for {@link
     * #lossGradient}} {@code loss} must be mean-reduced.
     *
     * @param loss the loss, mean-reduced over class-index targets
     * @param output the network's output (n, classes)
     * @param target the class indices (n)
     */
    public float loss(Loss loss, Tensor output, Tensor target) {
        int n = output.dim(0);
        int adversarial = lastAdversarial;
        if (adversarial > n) {
            throw new IllegalStateException("the last perturb replaced " + adversarial + " images but the output has "
                    + n + " rows");
        }
        int clean = n - adversarial;
        if (gradient == null || !gradient.shape().equals(output.shape())) {
            gradient = Tensor.zeros(output.shape());
        }
        double denominator = clean + lambda * adversarial;
        double total = 0;
        // dL/d(output row) = (m−k)/D · d(mean clean loss) for a clean row, λk/D · d(mean adversarial loss) for an adversarial one.
        if (clean > 0) {
            float value = loss.forward(output.narrow(0, 0, clean), target.narrow(0, 0, clean));
            copyScaled(gradient, 0, loss.backward(), clean / denominator);
            total += (double) value * clean;
        }
        if (adversarial > 0) {
            float value = loss.forward(output.narrow(0, clean, adversarial), target.narrow(0, clean, adversarial));
            copyScaled(gradient, clean, loss.backward(), lambda * adversarial / denominator);
            total += lambda * value * adversarial;
        }
        return (float) (total / denominator);
    }

    /** Rows {@code first..} of {@code destination} (n, classes) ← factor · source (rows, classes). */
    private static void copyScaled(Tensor destination, int first, Tensor source, double factor) {
        float scale = (float) factor;
        for (int i = 0; i < source.dim(0); i++) {
            for (int c = 0; c < source.dim(1); c++) {
                destination.set(first + i, c, scale * source.get(i, c));
            }
        }
    }

    /**
     * dL/d(output) of the last {@link #loss}, owned by this object.
     *
     * @return dL/d(output), owned by this object
     */
    public Tensor lossGradient() {
        if (gradient == null) {
            throw new IllegalStateException("lossGradient before loss");
        }
        return gradient;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s on k = %d of every m = %d images, lambda %s, epsilon %.4g..%.4g %s, "
                + "%s labels", attack.name(), k, m, lambda, minEpsilon, maxEpsilon,
                distribution == EpsilonDistribution.UNIFORM ? "uniform" : "truncated normal",
                labeller == null ? "true" : "predicted");
    }
}
