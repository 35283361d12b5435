package dev.lanes.layers.loss;

import dev.lanes.tensor.Tensor;

/**
 * Absolute (L1) error: L = s · Σ_i |p_i − t_i|, with s = 1/count (MEAN, over every element, as
 * PyTorch's {@code L1Loss}) or 1 (SUM). Prediction and target have the same shape, any rank.
 * Where p = t the derivative is taken as 0 (the subgradient PyTorch uses).
 */
public final class MeanAbsoluteError extends AbstractLoss {
    /** With {@link Reduction#MEAN}. */
    public MeanAbsoluteError() {
        this(Reduction.MEAN);
    }

    /**
     * With the given reduction.
     *
     * @param reduction how the per-element losses combine into the loss (mean, sum or none)
     */
    public MeanAbsoluteError(Reduction reduction) {
        super("MeanAbsoluteError", reduction);
    }

    // L = s · Σ |p − t|
    @Override
    public float forward(Tensor prediction, Tensor target) {
        requireSameShape(prediction, target);
        keep(prediction, target);
        float[] p = this.prediction.data();
        float[] t = this.target.data();
        int po = this.prediction.offset();
        int to = this.target.offset();
        double sum = 0;
        for (int i = 0; i < this.prediction.size(); i++) {
            sum += Math.abs((double) p[po + i] - t[to + i]);
        }
        return (float) (sum * scale(this.prediction.size()));
    }

    // dL/dp = s · sign(p − t), sign(0) = 0 (NaN stays NaN)
    @Override
    public Tensor backward() {
        Tensor gradient = gradient();
        float[] g = gradient.data();
        float[] p = prediction.data();
        float[] t = target.data();
        int po = prediction.offset();
        int to = target.offset();
        float factor = (float) scale(prediction.size());
        for (int i = 0; i < g.length; i++) {
            g[i] = factor * Math.signum(p[po + i] - t[to + i]);
        }
        return gradient;
    }
}
