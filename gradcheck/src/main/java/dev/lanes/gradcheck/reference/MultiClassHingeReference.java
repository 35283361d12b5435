package dev.lanes.gradcheck.reference;

import dev.lanes.layers.loss.Reduction;

/**
 * Multi-class hinge on scores (N, C) with class indices y (N), margin m, summed or averaged over
 * rows, in two formulations:
 * <ul>
 * <li>Weston-Watkins: {@code L_n = sum_{j != y} max(0, m - s_y + s_j)}, divided by C when
 *     {@code divideByClasses} (PyTorch's MultiMarginLoss) or not (the cs231n SVM loss); each
 *     active term adds +1 to ds_j and -1 to ds_y;
 * <li>Crammer-Singer: {@code L_n = max(0, m - s_y + max_{j != y} s_j)}; when active, +1 to the
 *     strongest rival (the first on ties) and -1 to s_y.
 * </ul>
 */
public final class MultiClassHingeReference implements ReferenceLoss {
    private final Reduction reduction;
    private final double margin;
    private final boolean divideByClasses;
    private final boolean crammerSinger;
    private double[] s;
    private int[] y;
    private int rows;
    private int classes;

    private MultiClassHingeReference(Reduction reduction, double margin, boolean divideByClasses,
                                     boolean crammerSinger) {
        this.reduction = reduction;
        this.margin = margin;
        this.divideByClasses = divideByClasses;
        this.crammerSinger = crammerSinger;
    }

    /**
     * Weston-Watkins, optionally divided by the class count.
     *
     * @param reduction how the per-element losses combine: mean, sum or none
     * @param margin the smallest distance from a kink, {@code > 0}
     * @param divideByClasses true to divide by the class count, as PyTorch's MultiMarginLoss
     * @return the reference loss
     */
    public static MultiClassHingeReference westonWatkins(Reduction reduction, double margin, boolean divideByClasses) {
        return new MultiClassHingeReference(reduction, margin, divideByClasses, false);
    }

    /**
     * Crammer-Singer.
     *
     * @param reduction how the per-element losses combine: mean, sum or none
     * @param margin the smallest distance from a kink, {@code > 0}
     * @return the reference loss
     */
    public static MultiClassHingeReference crammerSinger(Reduction reduction, double margin) {
        return new MultiClassHingeReference(reduction, margin, false, true);
    }

    @Override
    public String name() {
        return "MultiClassHingeReference(" + (crammerSinger ? "Crammer-Singer" : "Weston-Watkins") + ", "
                + reduction + ", margin " + margin + (divideByClasses ? ", / C" : "") + ")";
    }

    private double scale() {
        return (divideByClasses ? 1.0 / classes : 1.0) / (reduction == Reduction.MEAN ? rows : 1);
    }

    /** The strongest rival of row n: the first j != y with the largest score. */
    private int rival(int n) {
        int best = -1;
        for (int j = 0; j < classes; j++) {
            if (j != y[n] && (best < 0 || s[n * classes + j] > s[n * classes + best])) {
                best = j;
            }
        }
        return best;
    }

    @Override
    public double forward(double[] scores, int[] shape, double[] target) {
        Reference.requireRank(name(), shape, 2);
        Reference.requireLength("scores", scores, Reference.size(shape));
        rows = shape[0];
        classes = shape[1];
        Reference.requireLength("target", target, rows);
        s = scores.clone();
        y = new int[rows];
        double total = 0;
        for (int n = 0; n < rows; n++) {
            y[n] = (int) target[n];
            double sy = s[n * classes + y[n]];
            if (crammerSinger) {
                int j = rival(n);
                total += j < 0 ? 0 : Math.max(0, margin - sy + s[n * classes + j]);
                continue;
            }
            for (int j = 0; j < classes; j++) {
                if (j != y[n]) {
                    total += Math.max(0, margin - sy + s[n * classes + j]);
                }
            }
        }
        return total * scale();
    }

    @Override
    public double[] backward() {
        Reference.requireForward(s, name());
        double[] grad = new double[s.length];
        for (int n = 0; n < rows; n++) {
            double sy = s[n * classes + y[n]];
            for (int j = 0; j < classes; j++) {
                boolean counts = crammerSinger ? j == rival(n) : j != y[n];
                if (counts && margin - sy + s[n * classes + j] > 0) {
                    grad[n * classes + j] += scale();
                    grad[n * classes + y[n]] -= scale();
                }
            }
        }
        return grad;
    }
}
