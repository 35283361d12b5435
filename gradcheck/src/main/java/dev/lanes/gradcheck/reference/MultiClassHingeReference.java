package dev.lanes.gradcheck.reference;

import dev.lanes.layers.loss.Reduction;

/**
 * Multi-class hinge (Weston-Watkins / PyTorch's MultiMarginLoss with p = 1): scores (N, C), class
 * indices y (N); per row {@code L_n = sum_{j != y} max(0, margin - s_y + s_j)}, divided by C when
 * {@code divideByClasses} (PyTorch) or not (the cs231n SVM loss); summed or averaged over rows.
 * Backward: each active term (margin - s_y + s_j &gt; 0) adds +1 to s_j and -1 to s_y.
 */
public final class MultiClassHingeReference implements ReferenceLoss {
    private final Reduction reduction;
    private final double margin;
    private final boolean divideByClasses;
    private double[] s;
    private int[] y;
    private int rows;
    private int classes;

    /** A loss with the given reduction, margin and per-row normalization. */
    public MultiClassHingeReference(Reduction reduction, double margin, boolean divideByClasses) {
        this.reduction = reduction;
        this.margin = margin;
        this.divideByClasses = divideByClasses;
    }

    @Override
    public String name() {
        return "MultiClassHingeReference(" + reduction + ", margin " + margin + (divideByClasses ? ", / C" : "")
                + ")";
    }

    private double scale() {
        return (divideByClasses ? 1.0 / classes : 1.0) / (reduction == Reduction.MEAN ? rows : 1);
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
            for (int j = 0; j < classes; j++) {
                if (j != y[n]) {
                    total += Math.max(0, margin - s[n * classes + y[n]] + s[n * classes + j]);
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
            for (int j = 0; j < classes; j++) {
                if (j != y[n] && margin - s[n * classes + y[n]] + s[n * classes + j] > 0) {
                    grad[n * classes + j] += scale();
                    grad[n * classes + y[n]] -= scale();
                }
            }
        }
        return grad;
    }
}
