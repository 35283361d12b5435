package dev.lanes.training.adversarial;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * What FGSM and its iterations share: the input gradient of the loss at the given labels, a step
 * of ε along its sign (up the loss of the true class, or down the loss of the target class), and
 * the clipping to the ε-box around the original image and to the valid pixel range.
 */
abstract sealed class SignGradientAttack implements Attack permits Fgsm, Pgd {
    private final InputGradient gradient;
    private final PixelScale scale;
    private final boolean targeted;
    private Tensor gradientBuffer;
    private Tensor originalBuffer;
    private Tensor targets;

    SignGradientAttack(InputGradient gradient, PixelScale scale, boolean targeted) {
        this.gradient = gradient;
        this.scale = scale;
        this.targeted = targeted;
    }

    /** {@return whether the attack pushes toward the given classes instead of away from them} */
    public final boolean targeted() {
        return targeted;
    }

    final PixelScale scale() {
        return scale;
    }

    /** Checks the arguments of {@link #perturb}; returns the number of images. */
    final int check(Tensor adversarial, Tensor input, int[] labels, float[] epsilons) {
        if (input.rank() != 4 || input.dim(1) != scale.channels()) {
            throw new IllegalArgumentException(name() + ": the input is " + input.shape() + ", expected (n, "
                    + scale.channels() + ", h, w)");
        }
        if (!adversarial.shape().equals(input.shape())) {
            throw new IllegalArgumentException(name() + ": adversarial is " + adversarial.shape() + " but the input is "
                    + input.shape());
        }
        if (!input.isContiguous() || !adversarial.isContiguous()) {
            throw new IllegalArgumentException(name() + ": the input and adversarial tensors must be contiguous");
        }
        int n = input.dim(0);
        if (labels.length < n || epsilons.length < n) {
            throw new IllegalArgumentException(name() + ": " + n + " images but " + labels.length + " labels and "
                    + epsilons.length + " epsilons");
        }
        for (int i = 0; i < n; i++) {
            if (!(epsilons[i] >= 0) || !Float.isFinite(epsilons[i])) {
                throw new IllegalArgumentException(name() + ": epsilons[" + i + "] is " + epsilons[i]
                        + ", not a finite value >= 0");
            }
        }
        return n;
    }

    /** A copy of {@code input} in a buffer of this attack (valid until the next call). */
    final Tensor original(Tensor input) {
        Shape shape = input.shape();
        if (originalBuffer == null || !originalBuffer.shape().equals(shape)) {
            originalBuffer = Tensor.zeros(shape);
            gradientBuffer = Tensor.zeros(shape);
            targets = Tensor.zeros(shape.dim(0));
        }
        return originalBuffer.copyFrom(input);
    }

    /**
     * dL/dx at {@code x} (shaped like the last {@link #original}) for the given labels, in a
     * buffer of this attack (valid until the next call).
     */
    final Tensor gradientAt(Tensor x, int[] labels) {
        int n = x.dim(0);
        for (int i = 0; i < n; i++) {
            targets.set(i, labels[i]);
        }
        gradient.compute(gradientBuffer, x, targets);
        return gradientBuffer;
    }

    /**
     * x ← clip(x + d·step·sign(g)) with d = +1 (untargeted: up the loss of the true class) or −1
     * (targeted: down the loss of the target class), the step in each channel's input units, then
     * clipped to [original − ε, original + ε] ∩ the pixel box.
     *
     * @param steps    per image, in pixel units
     * @param epsilons per image, in pixel units
     */
    final void step(Tensor x, Tensor gradient, Tensor original, float[] steps, float[] epsilons) {
        float direction = targeted ? -1f : 1f;
        float[] xs = x.data();
        float[] gs = gradient.data();
        int gOffset = gradient.offset();
        int n = x.dim(0);
        int channels = x.dim(1);
        int plane = x.dim(2) * x.dim(3);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                float move = direction * scale.inputDistance(c, steps[i]);
                int base = (i * channels + c) * plane;
                for (int e = 0; e < plane; e++) {
                    xs[x.offset() + base + e] += move * Math.signum(gs[gOffset + base + e]);
                }
            }
        }
        project(x, original, epsilons);
    }

    /** Clips x to [original − ε, original + ε] ∩ [input(0), input(1)], element by element. */
    final void project(Tensor x, Tensor original, float[] epsilons) {
        float[] xs = x.data();
        float[] os = original.data();
        int n = x.dim(0);
        int channels = x.dim(1);
        int plane = x.dim(2) * x.dim(3);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                float radius = scale.inputDistance(c, epsilons[i]);
                float low = scale.input(c, 0f);
                float high = scale.input(c, 1f);
                int base = (i * channels + c) * plane;
                for (int e = 0; e < plane; e++) {
                    float o = os[original.offset() + base + e];
                    float value = Math.min(Math.max(xs[x.offset() + base + e], o - radius), o + radius);
                    xs[x.offset() + base + e] = Math.min(Math.max(value, low), high);
                }
            }
        }
    }
}
