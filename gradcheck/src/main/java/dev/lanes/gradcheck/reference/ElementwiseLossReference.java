package dev.lanes.gradcheck.reference;

import dev.lanes.layers.loss.Reduction;

/**
 * Losses that compare prediction p and target t element by element (same shape), summed or
 * averaged over all elements:
 * <ul>
 * <li>{@link Kind#MSE}: (p - t)^2, derivative 2 (p - t);
 * <li>{@link Kind#L1}: |p - t|, derivative sign(p - t) (0 at p = t);
 * <li>{@link Kind#BCE}: -(t ln p + (1 - t) ln(1 - p)) for probabilities p in (0, 1), derivative
 *     (p - t) / (p (1 - p));
 * <li>{@link Kind#BCE_WITH_LOGITS}: the same of sigmoid(x), computed as
 *     max(x, 0) - x t + ln(1 + e^-|x|), derivative sigmoid(x) - t;
 * <li>{@link Kind#HINGE}: max(0, 1 - t p) for t = ±1, derivative -t where 1 - t p &gt; 0, else 0.
 * </ul>
 */
public final class ElementwiseLossReference implements ReferenceLoss {
    /** The elementwise loss functions. */
    public enum Kind {
        /** Squared error. */
        MSE,
        /** Absolute error. */
        L1,
        /** Binary cross-entropy of probabilities. */
        BCE,
        /** Binary cross-entropy of logits. */
        BCE_WITH_LOGITS,
        /** Hinge loss for targets ±1. */
        HINGE
    }

    private final Kind kind;
    private final Reduction reduction;
    private double[] p;
    private double[] t;

    /**
     * A loss of the given kind and reduction.
     *
     * @param kind the loss function
     * @param reduction how the per-element losses combine: mean, sum or none
     */
    public ElementwiseLossReference(Kind kind, Reduction reduction) {
        this.kind = kind;
        this.reduction = reduction;
    }

    @Override
    public String name() {
        return kind + "Reference(" + reduction + ")";
    }

    private double loss(double p, double t) {
        return switch (kind) {
            case MSE -> (p - t) * (p - t);
            case L1 -> Math.abs(p - t);
            case BCE -> -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
            case BCE_WITH_LOGITS -> Math.max(p, 0) - p * t + Math.log1p(Math.exp(-Math.abs(p)));
            case HINGE -> Math.max(0, 1 - t * p);
        };
    }

    private double derivative(double p, double t) {
        return switch (kind) {
            case MSE -> 2 * (p - t);
            case L1 -> Math.signum(p - t);
            case BCE -> (p - t) / (p * (1 - p));
            case BCE_WITH_LOGITS -> (p >= 0 ? 1 / (1 + Math.exp(-p)) : Math.exp(p) / (1 + Math.exp(p))) - t;
            case HINGE -> 1 - t * p > 0 ? -t : 0;
        };
    }

    @Override
    public double forward(double[] prediction, int[] predictionShape, double[] target) {
        Reference.requireLength("prediction", prediction, Reference.size(predictionShape));
        Reference.requireLength("target", target, prediction.length);
        p = prediction.clone();
        t = target.clone();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += loss(p[i], t[i]);
        }
        return reduction == Reduction.MEAN ? sum / p.length : sum;
    }

    @Override
    public double[] backward() {
        Reference.requireForward(p, name());
        double[] grad = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            grad[i] = derivative(p[i], t[i]) / (reduction == Reduction.MEAN ? p.length : 1);
        }
        return grad;
    }
}
