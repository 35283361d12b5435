package dev.lanes.gradcheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Checks a function computed in double precision, of one or more named inputs, given as a
 * forward and a vector-Jacobian product over row-major {@code double[]} arrays. The defaults are
 * those of {@link Precision#FLOAT64}: step cbrt(2^-52) * max(1, |x|) (about 6e-6), relative
 * tolerance 1e-6.
 *
 * <pre>{@code
 * GradCheck.doubleFunction("x*y",
 *         in -> new double[] {in[0][0] * in[1][0]},
 *         (in, g) -> new double[][] {{g[0] * in[1][0]}, {g[0] * in[0][0]}})
 *     .input("x", new double[] {2}, 1).input("y", new double[] {3}, 1).check();
 * }</pre>
 */
public final class DoubleFunctionCheck extends AbstractCheck<DoubleFunctionCheck> {
    /** The output for the inputs, in the order they were added. */
    @FunctionalInterface
    public interface Forward {
        /**
         * {@return the output, row-major}
         *
         * @param inputs the inputs' values, row-major, in the order they were added
         */
        double[] apply(double[][] inputs);
    }

    /** dL/d(input) for each input, for g = dL/d(output). */
    @FunctionalInterface
    public interface Vjp {
        /**
         * {@return dL/d(input) for each input, of that input's size}
         *
         * @param inputs the inputs' values, row-major, in the order they were added
         * @param gradOutput g = dL/d(output), of the output's size
         */
        double[][] apply(double[][] inputs, double[] gradOutput);
    }

    private final String name;
    private final Forward forward;
    private final Vjp vjp;
    private final List<String> names = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>();

    DoubleFunctionCheck(String name, Forward forward, Vjp vjp) {
        super(Precision.FLOAT64);
        this.name = Objects.requireNonNull(name, "name");
        this.forward = Objects.requireNonNull(forward, "forward");
        this.vjp = Objects.requireNonNull(vjp, "vjp");
    }

    /**
     * Adds an input (copied), row-major with the given shape.
     *
     * @param inputName the input's name, in failure messages
     * @param inputValues the values, row-major (copied)
     * @param dims the shape
     * @return this check
     */
    public DoubleFunctionCheck input(String inputName, double[] inputValues, int... dims) {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        if (inputValues.length != size) {
            throw new IllegalArgumentException("input " + inputName + " has " + inputValues.length
                    + " values but shape " + Arrays.toString(dims) + " needs " + size);
        }
        names.add(inputName);
        values.add(inputValues.clone());
        shapes.add(dims.clone());
        return this;
    }

    /**
     * Runs the check.
     *
     * @return the result, when every entry passes
     * @throws GradCheckFailure naming the worst failing comparison
     */
    public GradCheckResult check() {
        if (names.isEmpty()) {
            throw new IllegalStateException(name + ": add at least one input(name, values, dims...)");
        }
        double[][] inputs = new double[names.size()][];
        List<Variable> variables = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = values.get(i).clone();
            variables.add(Variable.of(names.get(i), inputs[i], shapes.get(i)));
        }
        int outputs = forward.apply(copy(inputs)).length;
        return Engine.run(new Subject.Fixed(name, variables, new int[] {outputs}) {
            @Override
            public double[] evaluate() {
                double[] out = forward.apply(inputs).clone();
                if (out.length != outputs) {
                    throw new IllegalStateException(name + ": forward returned " + out.length + " values, then "
                            + outputs);
                }
                return out;
            }

            @Override
            public Backward backwardAtCurrentPoint() {
                return upstream -> {
                    double[][] grads = vjp.apply(inputs, upstream.clone());
                    if (grads.length != inputs.length) {
                        throw new IllegalStateException(name + ": vjp returned " + grads.length
                                + " gradients for " + inputs.length + " inputs");
                    }
                    for (int i = 0; i < grads.length; i++) {
                        if (grads[i].length != inputs[i].length) {
                            throw new IllegalStateException(name + ": the gradient of " + names.get(i) + " has "
                                    + grads[i].length + " values, expected " + inputs[i].length);
                        }
                    }
                    return grads;
                };
            }
        }, settings());
    }

    private static double[][] copy(double[][] arrays) {
        double[][] out = new double[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = arrays[i].clone();
        }
        return out;
    }
}
