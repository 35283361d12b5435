package dev.lanes.gradcheck.reference;

import dev.lanes.layers.loss.Reduction;

/**
 * Cross-entropy of softmax(logits) against a target distribution, per row of (N, C) logits z:
 * {@code L_n = -sum_c t_nc ln softmax(z_n)_c = ln sum_c e^(z_nc) - sum_c t_nc z_nc} when the t_n sum
 * to 1; summed or averaged over the N rows. Targets are class indices (N) when
 * {@code classIndices}, else rows (N, C) (one-hot or any distribution).
 * Backward: dL/dz_nc = softmax(z_n)_c * sum_c' t_nc' - t_nc, divided by N for the mean.
 */
public final class SoftmaxCrossEntropyReference implements ReferenceLoss {
    private final Reduction reduction;
    private final boolean classIndices;
    private double[] z;
    private double[] t;
    private int rows;
    private int classes;

    /**
     * A loss with the given reduction and target layout.
     *
     * @param reduction how the per-element losses combine: mean, sum or none
     * @param classIndices true for a target of class indices, false for distributions
     */
    public SoftmaxCrossEntropyReference(Reduction reduction, boolean classIndices) {
        this.reduction = reduction;
        this.classIndices = classIndices;
    }

    @Override
    public String name() {
        return "SoftmaxCrossEntropyReference(" + reduction + (classIndices ? ", class indices" : ", distributions")
                + ")";
    }

    @Override
    public double forward(double[] logits, int[] shape, double[] target) {
        Reference.requireRank(name(), shape, 2);
        Reference.requireLength("logits", logits, Reference.size(shape));
        rows = shape[0];
        classes = shape[1];
        z = logits.clone();
        t = new double[rows * classes];
        if (classIndices) {
            Reference.requireLength("target", target, rows);
            for (int n = 0; n < rows; n++) {
                int y = (int) target[n];
                if (y != target[n] || y < 0 || y >= classes) {
                    throw new IllegalArgumentException("target " + target[n] + " is not a class index below "
                            + classes);
                }
                t[n * classes + y] = 1;
            }
        } else {
            Reference.requireLength("target", target, rows * classes);
            t = target.clone();
        }
        double total = 0;
        for (int n = 0; n < rows; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[n * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[n * classes + c] - max);
            }
            double logSumExp = max + Math.log(sum);
            for (int c = 0; c < classes; c++) {
                total += t[n * classes + c] * (logSumExp - z[n * classes + c]);
            }
        }
        return reduction == Reduction.MEAN ? total / rows : total;
    }

    @Override
    public double[] backward() {
        Reference.requireForward(z, name());
        double[] grad = new double[z.length];
        for (int n = 0; n < rows; n++) {
            double max = Double.NEGATIVE_INFINITY;
            double mass = 0;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[n * classes + c]);
                mass += t[n * classes + c];
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[n * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                double softmax = Math.exp(z[n * classes + c] - max) / sum;
                grad[n * classes + c] = (softmax * mass - t[n * classes + c])
                        / (reduction == Reduction.MEAN ? rows : 1);
            }
        }
        return grad;
    }
}
