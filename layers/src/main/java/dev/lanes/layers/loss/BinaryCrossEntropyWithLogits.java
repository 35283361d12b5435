package dev.lanes.layers.loss;

import dev.lanes.tensor.Tensor;

/**
 * Binary cross-entropy of sigmoid(z) against targets in [0, 1], computed from the logits z in
 * the stable form L_i = max(z, 0) − z·t + log(1 + exp(−|z|)), which never overflows and never
 * takes the log of 0 (the same value as −(t log σ(z) + (1 − t) log(1 − σ(z)))). s = 1/count (MEAN,
 * over every element) or 1 (SUM). Same shape for prediction and target, any rank; targets outside
 * [0, 1] are rejected.
 */
public final class BinaryCrossEntropyWithLogits extends AbstractLoss {
    /** With {@link Reduction#MEAN}. */
    public BinaryCrossEntropyWithLogits() {
        this(Reduction.MEAN);
    }

    /**
     * With the given reduction.
     *
     * @param reduction how the per-element losses combine into the loss (mean, sum or none)
     */
    public BinaryCrossEntropyWithLogits(Reduction reduction) {
        super("BinaryCrossEntropyWithLogits", reduction);
    }

    // L = s · Σ (max(z, 0) − z·t + log1p(exp(−|z|)))
    @Override
    public float forward(Tensor prediction, Tensor target) {
        requireSameShape(prediction, target);
        keep(prediction, target);
        requireTargetsIn(0f, 1f, "in [0, 1]");
        float[] z = this.prediction.data();
        float[] t = this.target.data();
        int zo = this.prediction.offset();
        int to = this.target.offset();
        double sum = 0;
        for (int i = 0; i < this.prediction.size(); i++) {
            double v = z[zo + i];
            sum += Math.max(v, 0) - v * t[to + i] + Math.log1p(Math.exp(-Math.abs(v)));
        }
        return (float) (sum * scale(this.prediction.size()));
    }

    // dL/dz = s · (σ(z) − t), σ evaluated without overflow on either side
    @Override
    public Tensor backward() {
        Tensor gradient = gradient();
        float[] g = gradient.data();
        float[] z = prediction.data();
        float[] t = target.data();
        int zo = prediction.offset();
        int to = target.offset();
        double s = scale(prediction.size());
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (s * (sigmoid(z[zo + i]) - t[to + i]));
        }
        return gradient;
    }

    /** σ(z) = 1/(1 + e^−z) for z >= 0, e^z/(1 + e^z) below: the exponent is never positive. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }
}
