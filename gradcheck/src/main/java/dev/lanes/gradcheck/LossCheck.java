package dev.lanes.gradcheck;

import dev.lanes.layers.loss.Loss;
import dev.lanes.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * Checks a {@link Loss}'s backward pass, the gradient with respect to the prediction, against
 * central differences of its (float) value.
 *
 * <pre>{@code
 * GradCheck.loss(new MeanSquaredError(Reduction.MEAN)).prediction(p).target(t).check();
 * }</pre>
 *
 * <p>The loss value is one float, so the roundoff part of the tolerance follows |L|: a sum over a
 * large batch is checked less tightly in absolute terms than a mean, as its float value allows.
 * Keep the prediction clear of the loss's kinks (hinge margins, |p - t| = 0 for L1) by more than
 * the step; {@link Values} has generators for that.
 */
public final class LossCheck extends AbstractCheck<LossCheck> {
    private final Loss loss;
    private Tensor prediction;
    private Tensor target;

    LossCheck(Loss loss) {
        super(Precision.FLOAT32);
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    /**
     * The prediction to check at (copied).
     *
     * @param prediction the prediction the loss is differentiated at
     * @return this check
     */
    public LossCheck prediction(Tensor prediction) {
        this.prediction = Objects.requireNonNull(prediction, "prediction").copy();
        return this;
    }

    /**
     * The target (copied; not differentiated).
     *
     * @param target the target, of the shape the loss expects
     * @return this check
     */
    public LossCheck target(Tensor target) {
        this.target = Objects.requireNonNull(target, "target").copy();
        return this;
    }

    /**
     * Runs the check.
     *
     * @return the result, when every entry passes
     * @throws GradCheckFailure naming the worst failing comparison
     * @throws IllegalStateException if prediction or target is missing
     */
    public GradCheckResult check() {
        if (prediction == null || target == null) {
            throw new IllegalStateException(loss.name() + ": give both prediction(...) and target(...)");
        }
        Tensor p = prediction.copy();
        Tensor t = target.copy();
        String name = loss.name() + " at prediction " + p.shape() + ", target " + t.shape();
        List<Variable> variables = List.of(Variable.of("prediction", p));
        return Engine.run(new Subject.Fixed(name, variables, new int[0]) {
            @Override
            public double[] evaluate() {
                return new double[] {loss.forward(p, t)};
            }

            @Override
            public Backward backwardAtCurrentPoint() {
                loss.forward(p, t);
                double[] grad = Floats.values(loss.backward(), p.shape(), loss.name(), "backward()");
                return upstream -> {
                    double[] scaled = new double[grad.length];
                    for (int i = 0; i < grad.length; i++) {
                        scaled[i] = upstream[0] * grad[i];
                    }
                    return new double[][] {scaled};
                };
            }
        }, settings());
    }
}
