package dev.lanes.gradcheck;

import dev.lanes.gradcheck.reference.ReferenceLoss;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Checks a double-precision {@link ReferenceLoss} at {@link Precision#FLOAT64} tolerances. */
public final class ReferenceLossCheck extends AbstractCheck<ReferenceLossCheck> {
    private final ReferenceLoss loss;
    private double[] prediction;
    private int[] predictionShape;
    private double[] target;

    ReferenceLossCheck(ReferenceLoss loss) {
        super(Precision.FLOAT64);
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    /**
     * The prediction to check at (copied), row-major with the given shape.
     *
     * @param values the values, row-major
     * @param dims the shape
     * @return this check
     */
    public ReferenceLossCheck prediction(double[] values, int... dims) {
        this.prediction = values.clone();
        this.predictionShape = dims.clone();
        return this;
    }

    /**
     * The target (copied; not differentiated), laid out as the loss expects.
     *
     * @param values the values, row-major
     * @return this check
     */
    public ReferenceLossCheck target(double[] values) {
        this.target = values.clone();
        return this;
    }

    /**
     * Runs the check.
     *
     * @return the result, when every entry passes
     * @throws GradCheckFailure naming the worst failing comparison
     */
    public GradCheckResult check() {
        if (prediction == null || target == null) {
            throw new IllegalStateException(loss.name() + ": give both prediction(...) and target(...)");
        }
        double[] p = prediction.clone();
        double[] t = target.clone();
        List<Variable> variables = List.of(Variable.of("prediction", p, predictionShape));
        String name = loss.name() + " at prediction " + Arrays.toString(predictionShape);
        return Engine.run(new Subject.Fixed(name, variables, new int[0]) {
            @Override
            public double[] evaluate() {
                return new double[] {loss.forward(p, predictionShape.clone(), t)};
            }

            @Override
            public Backward backwardAtCurrentPoint() {
                loss.forward(p, predictionShape.clone(), t);
                double[] grad = loss.backward().clone();
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
