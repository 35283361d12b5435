package dev.lanes.training.adversarial;

import dev.lanes.tensor.Tensor;
import dev.lanes.training.random.SplitMix64;

/**
 * Iterated FGSM: T steps of size α along the sign of the input gradient, each followed by a
 * projection back into the ε-box around the original image (and the pixel range). With a
 * random start inside the box this is projected gradient descent (Madry, Makelov, Schmidt,
 * Tsipras and Vladu, "Towards deep learning models resistant to adversarial attacks", ICLR
 * 2018); without, the basic iterative method (Kurakin, Goodfellow and Bengio, "Adversarial
 * examples in the physical world", 2017). α = stepFactor·ε/T: Madry et al. take 2.5 so that the
 * steps can cross the box and come back.
 */
public final class Pgd extends SignGradientAttack {
    private final int steps;
    private final float stepFactor;
    private final boolean randomStart;
    private final SplitMix64 random;
    private float[] stepSizes = new float[0];

    /**
     * A projected gradient descent attack of T steps of size α within the ε-box.
     *
     * @param gradient the network and loss whose input gradient the attack follows
     * @param scale the pixel scale of the network's inputs, for ε in pixel units
     * @param targeted true to push toward given classes, false to push away from the true ones
     * @param steps       T, at least 1
     * @param stepFactor  α = stepFactor·ε/T, positive
     * @param randomStart start from a uniform point of the ε-box (PGD) instead of the image (BIM)
     * @param seed        seeds the random starts (the sequence of calls then fixes every start)
     */
    public Pgd(InputGradient gradient, PixelScale scale, boolean targeted, int steps, double stepFactor,
               boolean randomStart, long seed) {
        super(gradient, scale, targeted);
        if (steps < 1) {
            throw new IllegalArgumentException("PGD: steps must be at least 1, got " + steps);
        }
        if (!(stepFactor > 0) || !Double.isFinite(stepFactor)) {
            throw new IllegalArgumentException("PGD: stepFactor must be positive and finite, got " + stepFactor);
        }
        this.steps = steps;
        this.stepFactor = (float) stepFactor;
        this.randomStart = randomStart;
        this.random = new SplitMix64(seed);
    }

    @Override
    public String name() {
        return (targeted() ? "targeted " : "") + (randomStart ? "PGD" : "iterative FGSM") + " (" + steps + " steps)";
    }

    @Override
    public void perturb(Tensor adversarial, Tensor input, int[] labels, float[] epsilons) {
        int n = check(adversarial, input, labels, epsilons);
        Tensor original = original(input);
        if (stepSizes.length < n) {
            stepSizes = new float[n];
        }
        for (int i = 0; i < n; i++) {
            stepSizes[i] = stepFactor * epsilons[i] / steps;
        }
        adversarial.copyFrom(original);
        if (randomStart) {
            start(adversarial, epsilons);
            project(adversarial, original, epsilons);
        }
        for (int t = 0; t < steps; t++) {
            step(adversarial, gradientAt(adversarial, labels), original, stepSizes, epsilons);
        }
    }

    /** Adds uniform noise in [−ε, ε] (in each channel's units) to every element. */
    private void start(Tensor x, float[] epsilons) {
        float[] xs = x.data();
        int n = x.dim(0);
        int channels = x.dim(1);
        int plane = x.dim(2) * x.dim(3);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                float radius = scale().inputDistance(c, epsilons[i]);
                int base = x.offset() + (i * channels + c) * plane;
                for (int e = 0; e < plane; e++) {
                    xs[base + e] += radius * (float) (2 * random.nextDouble() - 1);
                }
            }
        }
    }
}
