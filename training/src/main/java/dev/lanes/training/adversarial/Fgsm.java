package dev.lanes.training.adversarial;

import dev.lanes.tensor.Tensor;

/**
 * The fast gradient sign method (Goodfellow, Shlens and Szegedy, "Explaining and harnessing
 * adversarial examples", ICLR 2015): one step of ε along the sign of the input gradient,
 * x* = clip(x + ε·sign(∇ₓL(x, y))) away from the true class y, or in its targeted form
 * x* = clip(x − ε·sign(∇ₓL(x, t))) toward the class t.
 */
public final class Fgsm extends SignGradientAttack {
    /**
     * FGSM on the network of {@code gradient} (whose loss should be the classifier's training
     * loss), with ε in pixel units of {@code scale}.
     *
     * @param gradient the network and loss whose input gradient the attack follows
     * @param scale the pixel scale of the network's inputs, for ε in pixel units
     * @param targeted true to push toward given classes, false to push away from the true ones
     */
    public Fgsm(InputGradient gradient, PixelScale scale, boolean targeted) {
        super(gradient, scale, targeted);
    }

    @Override
    public String name() {
        return targeted() ? "targeted FGSM" : "FGSM";
    }

    @Override
    public void perturb(Tensor adversarial, Tensor input, int[] labels, float[] epsilons) {
        check(adversarial, input, labels, epsilons);
        Tensor original = original(input);
        Tensor gradient = gradientAt(original, labels);
        adversarial.copyFrom(original);
        step(adversarial, gradient, original, epsilons, epsilons);
    }
}
