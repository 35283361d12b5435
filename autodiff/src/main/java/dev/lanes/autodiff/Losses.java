package dev.lanes.autodiff;

import dev.lanes.kernels.Activation;
import dev.lanes.layers.loss.MultiClassHinge;
import dev.lanes.layers.loss.Reduction;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * The losses of {@code dev.lanes.layers.loss} written with operations, so they differentiate in
 * every mode (gradients, tangents, Hessian-vector products) and compose with anything. Each
 * returns a scalar Var; targets are constant tensors. They compute in float32 where the loss
 * layers accumulate in double, so values agree with the layers to float rounding. MEAN divides by
 * the element count for elementwise losses and by the batch size n for the class losses.
 *
 * <p>Derivatives at kinks follow the operations: 0 for |p − t| at p = t and for a hinge at margin
 * 0 (as the layers). Binary cross-entropy clamps p to [ε, 1 − ε] like the layer, and
 * differentiates the clamped loss (derivative 0 outside the clamp, where the layer keeps the
 * unclamped formula).
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Mean squared error, MEAN.
     *
     * @param prediction the prediction
     * @param target the target, of the prediction's shape
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var mse(Var prediction, Tensor target) {
        return mse(prediction, target, Reduction.MEAN);
    }

    /**
     * s · Σ (p − t)².
     *
     * @param prediction the prediction
     * @param target the target, of the prediction's shape
     * @param reduction how the per-element losses combine: mean (s = 1/count), sum (s = 1) or none
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var mse(Var prediction, Tensor target, Reduction reduction) {
        Var difference = prediction.sub(sameShape("mse", prediction, target));
        return reduce(difference.square(), reduction, prediction.shape().size());
    }

    /**
     * Mean absolute error, MEAN.
     *
     * @param prediction the prediction
     * @param target the target, of the prediction's shape
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var mae(Var prediction, Tensor target) {
        return mae(prediction, target, Reduction.MEAN);
    }

    /**
     * s · Σ |p − t|.
     *
     * @param prediction the prediction
     * @param target the target, of the prediction's shape
     * @param reduction how the per-element losses combine: mean (s = 1/count), sum (s = 1) or none
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var mae(Var prediction, Tensor target, Reduction reduction) {
        Var difference = prediction.sub(sameShape("mae", prediction, target));
        return reduce(difference.abs(), reduction, prediction.shape().size());
    }

    /**
     * Softmax cross-entropy of logits (n, classes), MEAN over n.
     *
     * @param logits the logits (n, classes)
     * @param target the class indices (n) or the target distributions (n, classes)
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var softmaxCrossEntropy(Var logits, Tensor target) {
        return softmaxCrossEntropy(logits, target, Reduction.MEAN);
    }

    /**
     * −s · Σ_i Σ_j t_ij · logSoftmax(z)_ij for logits z (n, classes) and a target of class indices
     * (n) or distributions (n, classes).
     *
     * @param logits the logits (n, classes)
     * @param target the class indices (n) or the target distributions (n, classes)
     * @param reduction how the per-element losses combine: mean (s = 1/count), sum (s = 1) or none
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var softmaxCrossEntropy(Var logits, Tensor target, Reduction reduction) {
        Shape shape = logits.shape();
        if (shape.rank() != 2) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits must be (n, classes), got " + shape);
        }
        int n = shape.dim(0);
        Var logProbabilities = logits.logSoftmax();
        Var picked;
        if (target.rank() == 1) {
            if (target.dim(0) != n) {
                throw new IllegalArgumentException("softmaxCrossEntropy: class indices of shape " + target.shape()
                        + " for logits " + shape);
            }
            picked = logProbabilities.gather(1, target.reshape(n, 1));
        } else {
            picked = logProbabilities.mul(sameShape("softmaxCrossEntropy", logits, target));
        }
        return reduce(picked, reduction, n).neg();
    }

    /**
     * Binary cross-entropy of probabilities, MEAN.
     *
     * @param probabilities the predicted probabilities, in [0, 1]
     * @param target the targets in [0, 1], of the prediction's shape
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var binaryCrossEntropy(Var probabilities, Tensor target) {
        return binaryCrossEntropy(probabilities, target, Reduction.MEAN);
    }

    /**
     * −s · Σ (t log p̂ + (1 − t) log(1 − p̂)) with p̂ = clamp(p, ε, 1 − ε), ε =
     * {@link dev.lanes.layers.loss.BinaryCrossEntropy#EPSILON}; targets in [0, 1].
     *
     * @param probabilities the predicted probabilities, in [0, 1]
     * @param target the targets in [0, 1], of the prediction's shape
     * @param reduction how the per-element losses combine: mean (s = 1/count), sum (s = 1) or none
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var binaryCrossEntropy(Var probabilities, Tensor target, Reduction reduction) {
        float epsilon = dev.lanes.layers.loss.BinaryCrossEntropy.EPSILON;
        Var t = sameShape("binaryCrossEntropy", probabilities, within("binaryCrossEntropy", target, 0f, 1f));
        Var clamped = probabilities.clamp(epsilon, 1f - epsilon);
        Var complement = t.neg().add(1f);
        Var sum = clamped.log().mul(t).add(clamped.neg().add(1f).log().mul(complement));
        return reduce(sum, reduction, probabilities.shape().size()).neg();
    }

    /**
     * Binary cross-entropy of logits, MEAN.
     *
     * @param logits the unnormalised scores
     * @param target the targets in [0, 1], of the logits' shape
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var binaryCrossEntropyWithLogits(Var logits, Tensor target) {
        return binaryCrossEntropyWithLogits(logits, target, Reduction.MEAN);
    }

    /**
     * s · Σ (softplus(z) − z·t), the stable form of the cross-entropy of sigmoid(z); targets in [0, 1].
     *
     * @param logits the unnormalised scores
     * @param target the targets in [0, 1], of the logits' shape
     * @param reduction how the per-element losses combine: mean (s = 1/count), sum (s = 1) or none
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var binaryCrossEntropyWithLogits(Var logits, Tensor target, Reduction reduction) {
        Var t = sameShape("binaryCrossEntropyWithLogits", logits, within("binaryCrossEntropyWithLogits", target, 0f, 1f));
        Var terms = logits.activation(Activation.SOFTPLUS).sub(logits.mul(t));
        return reduce(terms, reduction, logits.shape().size());
    }

    /**
     * Hinge loss for targets ±1, MEAN.
     *
     * @param scores the scores
     * @param target the targets, each -1 or 1, of the scores' shape
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var hinge(Var scores, Tensor target) {
        return hinge(scores, target, Reduction.MEAN);
    }

    /**
     * s · Σ max(0, 1 − t·y) for targets ±1.
     *
     * @param scores the scores
     * @param target the targets, each -1 or 1, of the scores' shape
     * @param reduction how the per-element losses combine: mean (s = 1/count), sum (s = 1) or none
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var hinge(Var scores, Tensor target, Reduction reduction) {
        Var t = sameShape("hinge", scores, signs(target));
        return reduce(scores.mul(t).neg().add(1f).relu(), reduction, scores.shape().size());
    }

    /**
     * Multi-class hinge on scores (n, classes) with class indices (n), margin 1: Weston-Watkins
     * s · Σ_i Σ_{j≠y} max(0, 1 + s_j − s_y) or Crammer-Singer s · Σ_i max(0, 1 + max_{j≠y} s_j − s_y)
     * (ties pick the first rival).
     *
     * @param scores the scores (n, classes)
     * @param target the class indices (n)
     * @param formulation Weston-Watkins or Crammer-Singer
     * @param reduction how the per-element losses combine: mean (s = 1/count), sum (s = 1) or none
     * @return the loss: a scalar Var, or one per element for {@code Reduction.NONE}
     */
    public static Var multiClassHinge(Var scores, Tensor target, MultiClassHinge.Formulation formulation,
                                      Reduction reduction) {
        Shape shape = scores.shape();
        if (shape.rank() != 2 || target.rank() != 1 || target.dim(0) != shape.dim(0)) {
            throw new IllegalArgumentException("multiClassHinge: needs scores (n, classes) and class indices (n), got "
                    + shape + " and " + target.shape());
        }
        int n = shape.dim(0);
        Tensor labels = target.reshape(n, 1);
        Var truth = scores.gather(1, labels);
        if (formulation == MultiClassHinge.Formulation.WESTON_WATKINS) {
            // the j = y term is max(0, 1 + s_y − s_y) = 1 exactly, with derivative 0: subtract it
            Var margins = scores.sub(truth).add(1f).relu();
            return reduce(margins, reduction, n).sub(reduction == Reduction.MEAN ? 1f : n);
        }
        Tensor exclude = Tensor.zeros(shape);
        for (int i = 0; i < n; i++) {
            exclude.set(i, (int) labels.get(i, 0), Float.NEGATIVE_INFINITY);
        }
        Var rival = scores.add(scores.tape().constant(exclude)).max(1, true);
        return reduce(rival.sub(truth).add(1f).relu(), reduction, n);
    }

    private static Var reduce(Var terms, Reduction reduction, int count) {
        if (reduction == null) {
            throw new IllegalArgumentException("reduction must not be null");
        }
        Var sum = terms.sum();
        return reduction == Reduction.MEAN ? sum.mul((float) (1.0 / count)) : sum;
    }

    private static Var sameShape(String loss, Var prediction, Tensor target) {
        if (target == null || !target.shape().equals(prediction.shape())) {
            throw new IllegalArgumentException(loss + ": the target has shape "
                    + (target == null ? null : target.shape()) + " but the prediction " + prediction.shape());
        }
        return prediction.tape().constant(target);
    }

    private static Tensor within(String loss, Tensor target, float low, float high) {
        Tensor flat = target.contiguous();
        for (int i = 0; i < flat.size(); i++) {
            float v = flat.data()[flat.offset() + i];
            if (!(v >= low && v <= high)) {
                throw new IllegalArgumentException(loss + ": target element " + i + " = " + v + " is not in [" + low
                        + ", " + high + "]");
            }
        }
        return target;
    }

    private static Tensor signs(Tensor target) {
        Tensor flat = target.contiguous();
        for (int i = 0; i < flat.size(); i++) {
            float v = flat.data()[flat.offset() + i];
            if (v != 1f && v != -1f) {
                throw new IllegalArgumentException("hinge: target element " + i + " = " + v + " is not ±1");
            }
        }
        return target;
    }
}
