package dev.lanes.layers.loss;

import dev.lanes.tensor.Tensor;

/**
 * Binary cross-entropy of probabilities (a sigmoid's output) against targets in [0, 1]:
 * L = s · Σ_i −(t_i log p̂_i + (1 − t_i) log(1 − p̂_i)), s = 1/count (MEAN, over every element)
 * or 1 (SUM). Same shape for prediction and target, any rank.
 *
 * <p><b>Clamping.</b> p̂ = clamp(p, ε, 1 − ε) with ε = {@value #EPSILON} (Keras' default), so
 * the loss stays finite at p = 0 or 1: each term is at most −log ε ≈ 16.1. The backward uses the
 * unclamped derivative evaluated at p̂, (p̂ − t) / (p̂ (1 − p̂)), as PyTorch's {@code BCELoss}
 * does with its own floor: outside [ε, 1 − ε] this is not the derivative of the clamped loss
 * (which is 0) but a large finite gradient that still points the right way, so a saturated
 * wrong prediction keeps learning. Predictions outside [0, 1] and targets outside [0, 1] are
 * rejected; a NaN prediction gives a NaN loss. Prefer {@link BinaryCrossEntropyWithLogits},
 * which needs no clamping.
 */
public final class BinaryCrossEntropy extends AbstractLoss {
    /** The clamp bound ε. */
    public static final float EPSILON = 1e-7f;

    /** With {@link Reduction#MEAN}. */
    public BinaryCrossEntropy() {
        this(Reduction.MEAN);
    }

    /**
     * With the given reduction.
     *
     * @param reduction how the per-element losses combine into the loss (mean, sum or none)
     */
    public BinaryCrossEntropy(Reduction reduction) {
        super("BinaryCrossEntropy", reduction);
    }

    // L = −s · Σ (t log p̂ + (1 − t) log(1 − p̂)),  p̂ = clamp(p, ε, 1 − ε)
    @Override
    public float forward(Tensor prediction, Tensor target) {
        requireSameShape(prediction, target);
        keep(prediction, target);
        requireTargetsIn(0f, 1f, "in [0, 1]");
        float[] p = this.prediction.data();
        float[] t = this.target.data();
        int po = this.prediction.offset();
        int to = this.target.offset();
        double sum = 0;
        for (int i = 0; i < this.prediction.size(); i++) {
            float v = p[po + i];
            if (v < 0f || v > 1f) {
                this.prediction = null;
                throw new IllegalArgumentException(name() + ": prediction element " + i + " = " + v
                        + " is not a probability in [0, 1]");
            }
            double clamped = clamp(v);
            sum -= t[to + i] * Math.log(clamped) + (1.0 - t[to + i]) * Math.log(1.0 - clamped);
        }
        return (float) (sum * scale(this.prediction.size()));
    }

    // dL/dp = s · (p̂ − t) / (p̂ (1 − p̂))
    @Override
    public Tensor backward() {
        Tensor gradient = gradient();
        float[] g = gradient.data();
        float[] p = prediction.data();
        float[] t = target.data();
        int po = prediction.offset();
        int to = target.offset();
        double s = scale(prediction.size());
        for (int i = 0; i < g.length; i++) {
            double clamped = clamp(p[po + i]);
            g[i] = (float) (s * (clamped - t[to + i]) / (clamped * (1.0 - clamped)));
        }
        return gradient;
    }

    /** p clamped to [ε, 1 − ε] in double; NaN stays NaN. */
    private static double clamp(float p) {
        return p < EPSILON ? EPSILON : p > 1.0 - EPSILON ? 1.0 - EPSILON : p;
    }
}
