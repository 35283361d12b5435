package dev.lanes.gradcheck;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * Checks any float32 function of one tensor given as a forward and a vector-Jacobian product.
 *
 * <pre>{@code
 * GradCheck.function("square", x -> x.mul(x), (x, g) -> g.mul(x).mul(2f)).input(x).check();
 * }</pre>
 */
public final class FunctionCheck extends AbstractCheck<FunctionCheck> {
    /** y = f(x); may return a tensor it reuses, the check copies what it keeps. */
    @FunctionalInterface
    public interface Forward {
        /**
         * {@return y = f(x)}
         *
         * @param x the input
         */
        Tensor apply(Tensor x);
    }

    /** The vector-Jacobian product: dL/dx = J(x)^T g for g = dL/dy, shaped like x. */
    @FunctionalInterface
    public interface Vjp {
        /**
         * {@return dL/dx = J(x)^T g, of x's shape}
         *
         * @param x the input
         * @param gradOutput g = dL/dy, of y's shape
         */
        Tensor apply(Tensor x, Tensor gradOutput);
    }

    private final String name;
    private final Forward forward;
    private final Vjp vjp;
    private Tensor input;

    FunctionCheck(String name, Forward forward, Vjp vjp) {
        super(Precision.FLOAT32);
        this.name = Objects.requireNonNull(name, "name");
        this.forward = Objects.requireNonNull(forward, "forward");
        this.vjp = Objects.requireNonNull(vjp, "vjp");
    }

    /**
     * The point to check at (copied).
     *
     * @param x the input
     * @return this check
     */
    public FunctionCheck input(Tensor x) {
        this.input = Objects.requireNonNull(x, "input").copy();
        return this;
    }

    /**
     * Runs the check.
     *
     * @return the result, when every entry passes
     * @throws GradCheckFailure naming the worst failing comparison
     */
    public GradCheckResult check() {
        if (input == null) {
            throw new IllegalStateException(name + ": give the point to check with input(tensor)");
        }
        Tensor x = input.copy();
        Shape outputShape = forward.apply(x.copy()).shape();
        List<Variable> variables = List.of(Variable.of("input", x));
        return Engine.run(new Subject.Fixed(name + " at input " + x.shape(), variables, outputShape.dims()) {
            @Override
            public double[] evaluate() {
                return Floats.values(forward.apply(x), outputShape, name, "forward output");
            }

            @Override
            public Backward backwardAtCurrentPoint() {
                return upstream -> new double[][] {Floats.values(
                        vjp.apply(x, Tensor.wrap(Floats.toFloat(upstream), outputShape.dims())), x.shape(), name,
                        "vjp result")};
            }
        }, settings());
    }
}
