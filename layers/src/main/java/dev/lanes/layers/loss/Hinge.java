package dev.lanes.layers.loss;

import dev.lanes.tensor.Tensor;

/**
 * Binary hinge loss for targets ±1 (checked): L = s · Σ_i max(0, 1 − t_i·y_i), with s = 1/count
 * (MEAN, over every element) or 1 (SUM). Same shape for prediction (raw scores) and target, any
 * rank, typically (n) or (n, 1). At the kink t·y = 1 the derivative is taken as 0.
 */
public final class Hinge extends AbstractLoss {
    /** With {@link Reduction#MEAN}. */
    public Hinge() {
        this(Reduction.MEAN);
    }

    /**
     * With the given reduction.
     *
     * @param reduction how the per-element losses combine into the loss (mean, sum or none)
     */
    public Hinge(Reduction reduction) {
        super("Hinge", reduction);
    }

    // L = s · Σ max(0, 1 − t·y)
    @Override
    public float forward(Tensor prediction, Tensor target) {
        requireSameShape(prediction, target);
        keep(prediction, target);
        float[] y = this.prediction.data();
        float[] t = this.target.data();
        int yo = this.prediction.offset();
        int to = this.target.offset();
        double sum = 0;
        for (int i = 0; i < this.prediction.size(); i++) {
            float label = t[to + i];
            if (label != 1f && label != -1f) {
                this.prediction = null;
                throw new IllegalArgumentException(name() + ": target element " + i + " = " + label
                        + " is not -1 or +1");
            }
            sum += Math.max(0.0, 1.0 - (double) label * y[yo + i]);
        }
        return (float) (sum * scale(this.prediction.size()));
    }

    // dL/dy = −s·t where t·y < 1, else 0 (NaN y gives NaN)
    @Override
    public Tensor backward() {
        Tensor gradient = gradient();
        float[] g = gradient.data();
        float[] y = prediction.data();
        float[] t = target.data();
        int yo = prediction.offset();
        int to = target.offset();
        float s = (float) scale(prediction.size());
        for (int i = 0; i < g.length; i++) {
            float margin = t[to + i] * y[yo + i];
            g[i] = margin < 1f ? -s * t[to + i] : margin >= 1f ? 0f : Float.NaN;
        }
        return gradient;
    }
}
