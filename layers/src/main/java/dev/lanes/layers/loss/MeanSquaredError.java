package dev.lanes.layers.loss;

import dev.lanes.tensor.Tensor;

/**
 * Squared error: L = s · Σ_i (p_i − t_i)², with s = 1/count (MEAN, over every element, as
 * PyTorch's {@code MSELoss}) or 1 (SUM). Prediction and target have the same shape, any rank.
 */
public final class MeanSquaredError extends AbstractLoss {
    /** With {@link Reduction#MEAN}. */
    public MeanSquaredError() {
        this(Reduction.MEAN);
    }

    /**
     * With the given reduction.
     *
     * @param reduction how the per-element losses combine into the loss (mean, sum or none)
     */
    public MeanSquaredError(Reduction reduction) {
        super("MeanSquaredError", reduction);
    }

    // L = s · Σ (p − t)²
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
            double d = (double) p[po + i] - t[to + i];
            sum += d * d;
        }
        return (float) (sum * scale(this.prediction.size()));
    }

    // dL/dp = 2s · (p − t)
    @Override
    public Tensor backward() {
        Tensor gradient = gradient();
        float[] g = gradient.data();
        float[] p = prediction.data();
        float[] t = target.data();
        int po = prediction.offset();
        int to = target.offset();
        float factor = (float) (2 * scale(prediction.size()));
        for (int i = 0; i < g.length; i++) {
            g[i] = factor * (p[po + i] - t[to + i]);
        }
        return gradient;
    }
}
