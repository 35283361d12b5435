package dev.lanes.layers.loss;

import dev.lanes.tensor.Tensor;

/**
 * Multi-class hinge loss on scores (n, classes) with class-index targets (n), margin 1, in one of
 * two formulations (both offered; choose with {@link Formulation}):
 * <ul>
 *   <li>{@link Formulation#WESTON_WATKINS} (Weston and Watkins, 1999; the cs231n "SVM loss",
 *       PyTorch's {@code MultiMarginLoss} without its division by the class count):
 *       L_i = Σ_{j≠y} max(0, 1 + s_j − s_y), every violating class contributes.</li>
 *   <li>{@link Formulation#CRAMMER_SINGER} (Crammer and Singer, 2001; Keras'
 *       {@code CategoricalHinge}): L_i = max(0, 1 + max_{j≠y} s_j − s_y), only the strongest
 *       rival contributes; ties pick the first index.</li>
 * </ul>
 * The reduction is over examples: MEAN divides by n. At a kink (margin exactly 0) the derivative
 * is taken as 0.
 */
public final class MultiClassHinge extends AbstractLoss {
    /** Which multi-class generalisation of the hinge. */
    public enum Formulation {
        /** Sum over every class j ≠ y of max(0, 1 + s_j − s_y). */
        WESTON_WATKINS,
        /** max(0, 1 + max_{j≠y} s_j − s_y). */
        CRAMMER_SINGER
    }

    private final Formulation formulation;

    /** Weston-Watkins with {@link Reduction#MEAN}. */
    public MultiClassHinge() {
        this(Formulation.WESTON_WATKINS, Reduction.MEAN);
    }

    /**
     * The given formulation and reduction.
     *
     * @param formulation which multi-class hinge (the class comment describes each)
     * @param reduction how the per-element losses combine into the loss (mean, sum or none)
     */
    public MultiClassHinge(Formulation formulation, Reduction reduction) {
        super(kind(formulation), reduction);
        this.formulation = formulation;
    }

    private static String kind(Formulation formulation) {
        if (formulation == null) {
            throw new IllegalArgumentException("MultiClassHinge: formulation must not be null");
        }
        return formulation == Formulation.WESTON_WATKINS ? "MultiClassHinge[Weston-Watkins]"
                : "MultiClassHinge[Crammer-Singer]";
    }

    /** {@return the formulation} */
    public Formulation formulation() {
        return formulation;
    }

    // Weston-Watkins: L = s · Σ_i Σ_{j≠y_i} max(0, 1 + s_ij − s_iy)
    // Crammer-Singer: L = s · Σ_i max(0, 1 + s_ij* − s_iy), j* = argmax_{j≠y_i} s_ij
    @Override
    public float forward(Tensor prediction, Tensor target) {
        requireMatrix(prediction);
        requireClassIndexShape(prediction, target);
        keep(prediction, target);
        int n = prediction.dim(0);
        int classes = prediction.dim(1);
        requireClassIndices(classes);
        float[] s = this.prediction.data();
        float[] t = this.target.data();
        int so = this.prediction.offset();
        int to = this.target.offset();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int row = so + i * classes;
            int y = (int) t[to + i];
            if (formulation == Formulation.WESTON_WATKINS) {
                for (int j = 0; j < classes; j++) {
                    if (j != y) {
                        sum += Math.max(0.0, 1.0 + s[row + j] - (double) s[row + y]);
                    }
                }
            } else {
                int rival = rival(s, row, classes, y);
                if (rival >= 0) {
                    sum += Math.max(0.0, 1.0 + s[row + rival] - (double) s[row + y]);
                }
            }
        }
        return (float) (sum * scale(n));
    }

    // Weston-Watkins: dL/ds_ij = s·[1 + s_ij − s_iy > 0] for j ≠ y;  dL/ds_iy = −s · Σ_{j≠y} [...]
    // Crammer-Singer: dL/ds_ij* = s and dL/ds_iy = −s when 1 + s_ij* − s_iy > 0, else 0
    @Override
    public Tensor backward() {
        Tensor gradient = gradient();
        float[] g = gradient.data();
        float[] s = prediction.data();
        float[] t = target.data();
        int so = prediction.offset();
        int to = target.offset();
        int n = prediction.dim(0);
        int classes = prediction.dim(1);
        float factor = (float) scale(n);
        java.util.Arrays.fill(g, 0f);
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            int y = (int) t[to + i];
            if (formulation == Formulation.WESTON_WATKINS) {
                int violations = 0;
                for (int j = 0; j < classes; j++) {
                    if (j != y && 1.0 + s[so + row + j] - (double) s[so + row + y] > 0) {
                        g[row + j] = factor;
                        violations++;
                    }
                }
                g[row + y] = -factor * violations;
            } else {
                int rival = rival(s, so + row, classes, y);
                if (rival >= 0 && 1.0 + s[so + row + rival] - (double) s[so + row + y] > 0) {
                    g[row + rival] = factor;
                    g[row + y] = -factor;
                }
            }
        }
        return gradient;
    }

    /** The first index of the largest score other than y (a NaN counts as largest), or −1. */
    private static int rival(float[] s, int row, int classes, int y) {
        int best = -1;
        for (int j = 0; j < classes; j++) {
            if (j == y) {
                continue;
            }
            boolean larger = best < 0 || s[row + j] > s[row + best]
                    || Float.isNaN(s[row + j]) && !Float.isNaN(s[row + best]);
            if (larger) {
                best = j;
            }
        }
        return best;
    }
}
