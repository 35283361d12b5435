package dev.lanes.layers.loss;

import dev.lanes.tensor.Tensor;

/**
 * Cross-entropy of softmax(logits) against a target distribution, fused and numerically stable:
 * the softmax is never formed in forward, only the log-sum-exp with the row maximum subtracted.
 *
 * <p>Prediction: logits (n, classes). Target, either
 * <ul>
 *   <li>class indices, (n): integer values in [0, classes) (checked), or</li>
 *   <li>probabilities, (n, classes): one-hot or soft labels, non-negative, each row summing to 1
 *       within 1e-3 (checked).</li>
 * </ul>
 * Per example L_i = Σ_j t_ij · (lse_i − z_ij) with lse_i = log Σ_j exp(z_ij), which is
 * lse_i − z_{i,y_i} for an index target. The reduction is over examples: MEAN divides the sum by
 * n (as PyTorch's {@code CrossEntropyLoss}).
 */
public final class SoftmaxCrossEntropy extends AbstractLoss {
    private double[] logSumExp = new double[0];

    /** With {@link Reduction#MEAN}. */
    public SoftmaxCrossEntropy() {
        this(Reduction.MEAN);
    }

    /**
     * With the given reduction.
     *
     * @param reduction how the per-element losses combine into the loss (mean, sum or none)
     */
    public SoftmaxCrossEntropy(Reduction reduction) {
        super("SoftmaxCrossEntropy", reduction);
    }

    // L = s · Σ_i Σ_j t_ij · (lse_i − z_ij),  lse_i = m_i + log Σ_j exp(z_ij − m_i),  m_i = max_j z_ij
    @Override
    public float forward(Tensor prediction, Tensor target) {
        requireMatrix(prediction);
        boolean indices = target.rank() == 1;
        if (indices) {
            requireClassIndexShape(prediction, target);
        } else {
            requireSameShape(prediction, target);
        }
        keep(prediction, target);
        int n = prediction.dim(0);
        int classes = prediction.dim(1);
        if (indices) {
            requireClassIndices(classes);
        } else {
            requireDistributions(n, classes);
        }
        if (logSumExp.length != n) {
            logSumExp = new double[n];
        }
        float[] z = this.prediction.data();
        float[] t = this.target.data();
        int zo = this.prediction.offset();
        int to = this.target.offset();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int row = zo + i * classes;
            double lse = logSumExp(z, row, classes);
            logSumExp[i] = lse;
            if (indices) {
                sum += lse - z[row + (int) t[to + i]];
            } else {
                for (int j = 0; j < classes; j++) {
                    float tij = t[to + i * classes + j];
                    if (tij != 0f) {
                        sum += tij * (lse - z[row + j]);
                    }
                }
            }
        }
        return (float) (sum * scale(n));
    }

    // dL/dz_ij = s · (softmax_ij · Σ_k t_ik − t_ij) = s · (softmax_ij − t_ij) for rows summing to 1;
    // softmax_ij = exp(z_ij − lse_i). With an index target, t_ij = [j == y_i].
    @Override
    public Tensor backward() {
        Tensor gradient = gradient();
        float[] g = gradient.data();
        float[] z = prediction.data();
        float[] t = target.data();
        int zo = prediction.offset();
        int to = target.offset();
        int n = prediction.dim(0);
        int classes = prediction.dim(1);
        boolean indices = target.rank() == 1;
        double s = scale(n);
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            double mass = 1;
            if (!indices) {
                mass = 0;
                for (int j = 0; j < classes; j++) {
                    mass += t[to + row + j];
                }
            }
            for (int j = 0; j < classes; j++) {
                double softmax = Math.exp(z[zo + row + j] - logSumExp[i]);
                double tij = indices ? (j == (int) t[to + i] ? 1 : 0) : t[to + row + j];
                g[row + j] = (float) (s * (softmax * mass - tij));
            }
        }
        return gradient;
    }

    /** log Σ exp(z[row .. row+count)) with the maximum subtracted; NaN if any is NaN. */
    static double logSumExp(float[] z, int row, int count) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            max = Math.max(max, z[row + j]);
        }
        if (max == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int j = 0; j < count; j++) {
            sum += Math.exp(z[row + j] - (double) max);
        }
        return max + Math.log(sum);
    }

    private void requireDistributions(int n, int classes) {
        float[] t = target.data();
        int to = target.offset();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                float v = t[to + i * classes + j];
                if (!(v >= 0f && v <= 1f)) {
                    prediction = null;
                    throw new IllegalArgumentException(name() + ": target (" + i + ", " + j + ") = " + v
                            + " is not a probability in [0, 1]");
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-3) {
                prediction = null;
                throw new IllegalArgumentException(name() + ": target row " + i + " sums to " + sum
                        + ", not 1 (one-hot or probabilities expected)");
            }
        }
    }
}
