package dev.lanes.gradcheck;

import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Tape;
import dev.lanes.autodiff.Var;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks the reverse-mode gradients of a function written with autodiff operations against
 * central differences of its value, with respect to every input.
 *
 * <pre>{@code
 * GradCheck.autodiff("tanh of a product", in -> in[0].matmul(in[1]).tanh().sum()).inputs(x, w).check();
 * }</pre>
 *
 * <p>Each evaluation runs the function on one tape restarted ({@link Tape#restart()}): its
 * buffers and kernel plans stay, and a dropout inside draws its first mask every time, so the
 * function is deterministic.
 */
public final class AutodiffCheck extends AbstractCheck<AutodiffCheck> {
    private final String name;
    private final Function function;
    private Tensor[] inputs;

    AutodiffCheck(String name, Function function) {
        super(Precision.FLOAT32);
        this.name = Objects.requireNonNull(name, "name");
        this.function = Objects.requireNonNull(function, "function");
    }

    /**
     * The point to check at (copied).
     *
     * @param values the values, row-major
     * @return this check
     */
    public AutodiffCheck inputs(Tensor... values) {
        inputs = new Tensor[values.length];
        for (int i = 0; i < values.length; i++) {
            inputs[i] = Objects.requireNonNull(values[i], "input " + i).copy();
        }
        return this;
    }

    /**
     * Runs the check.
     *
     * @return the result, when every entry passes
     * @throws GradCheckFailure naming the worst failing comparison
     */
    public GradCheckResult check() {
        if (inputs == null) {
            throw new IllegalStateException(name + ": give the point to check with inputs(tensors...)");
        }
        List<Variable> variables = new ArrayList<>();
        StringBuilder shapes = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            variables.add(Variable.of("input " + i, inputs[i]));
            shapes.append(i == 0 ? "" : ", ").append(inputs[i].shape());
        }
        Tape evaluation = new Tape();
        Tape gradients = new Tape();
        Shape outputShape = run(evaluation, new Var[inputs.length]).shape();
        return Engine.run(new Subject.Fixed(name + " at inputs " + shapes, variables, outputShape.dims()) {
            @Override
            public double[] evaluate() {
                return Floats.values(run(evaluation, new Var[inputs.length]).value(), outputShape, name, "output");
            }

            @Override
            public Backward backwardAtCurrentPoint() {
                Var[] vars = new Var[inputs.length];
                Var y = run(gradients, vars);
                return upstream -> {
                    gradients.backward(y, Tensor.wrap(Floats.toFloat(upstream), outputShape.dims()), true);
                    double[][] grads = new double[vars.length][];
                    for (int i = 0; i < vars.length; i++) {
                        grads[i] = Floats.values(vars[i].grad(), inputs[i].shape(), name, "gradient " + i);
                    }
                    return grads;
                };
            }
        }, settings());
    }

    /** The function's output on {@code tape}, restarted, with the inputs bound into {@code vars}. */
    private Var run(Tape tape, Var[] vars) {
        tape.restart();
        for (int i = 0; i < inputs.length; i++) {
            vars[i] = tape.input(inputs[i]);
        }
        return function.apply(vars);
    }
}
