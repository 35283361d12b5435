package dev.lanes.layers.loss;

import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Tensor;

/**
 * What every loss shares: the name and reduction, contiguous copies of non-contiguous inputs, the
 * gradient workspace (reused while the prediction shape stays), and the checks.
 */
abstract class AbstractLoss implements Loss {
    final Reduction reduction;
    private final String name;
    private final Workspace predictionCopy = new Workspace();
    private final Workspace targetCopy = new Workspace();
    private final Workspace gradient = new Workspace();
    /** The last forward's inputs, contiguous; null before the first forward. */
    Tensor prediction;
    Tensor target;

    AbstractLoss(String kind, Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException(kind + ": reduction must not be null");
        }
        this.reduction = reduction;
        this.name = kind + "(" + reduction.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public String name() {
        return name;
    }

    /** {@return the reduction} */
    public Reduction reduction() {
        return reduction;
    }

    /** Keeps contiguous versions of both inputs for backward. */
    void keep(Tensor prediction, Tensor target) {
        this.prediction = predictionCopy.contiguous(prediction);
        this.target = targetCopy.contiguous(target);
    }

    /** The gradient workspace for the kept prediction; throws before the first forward. */
    Tensor gradient() {
        if (prediction == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        return gradient.get(prediction.shape());
    }

    /** 1/count for MEAN, 1 for SUM: the factor on every term of the loss and its gradient. */
    double scale(int count) {
        return reduction == Reduction.MEAN ? 1.0 / count : 1.0;
    }

    /** Checks that the target has the prediction's shape. */
    void requireSameShape(Tensor prediction, Tensor target) {
        if (!target.shape().equals(prediction.shape())) {
            throw Shapes.mismatch(name, "target", prediction.shape() + " (the prediction's shape)", target.shape());
        }
    }

    /** Checks that the prediction is (n, classes) with classes >= 1. */
    void requireMatrix(Tensor prediction) {
        if (prediction.rank() != 2 || prediction.dim(1) < 1) {
            throw Shapes.mismatch(name, "prediction", "(N, classes)", prediction.shape());
        }
    }

    /** Checks class-index targets have shape (n) for a prediction (n, classes). */
    void requireClassIndexShape(Tensor prediction, Tensor target) {
        if (target.rank() != 1 || target.dim(0) != prediction.dim(0)) {
            throw Shapes.mismatch(name, "target", "(" + prediction.dim(0) + ") (class indices)", target.shape());
        }
    }

    /**
     * Checks that every kept target is an integer in [0, classes), forgetting the forward if not.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    void requireClassIndices(int classes) {
        float[] t = target.data();
        int offset = target.offset();
        for (int i = 0; i < target.size(); i++) {
            float v = t[offset + i];
            if (!(v >= 0 && v < classes && v == (int) v)) {
                prediction = null;
                throw new IllegalArgumentException(name + ": target[" + i + "] = " + v
                        + " is not a class index in [0, " + classes + ")");
            }
        }
    }

    /** Checks that every kept target lies in [low, high] (NaN fails), forgetting the forward if not. */
    void requireTargetsIn(float low, float high, String what) {
        float[] t = target.data();
        int offset = target.offset();
        for (int i = 0; i < target.size(); i++) {
            float v = t[offset + i];
            if (!(v >= low && v <= high)) {
                prediction = null;
                throw new IllegalArgumentException(name + ": target element " + i + " = " + v + " is not " + what);
            }
        }
    }
}
