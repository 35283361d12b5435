package dev.lanes.gradcheck;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a {@link Layer}'s backward pass: the gradient with respect to the input and to every
 * parameter, against central differences of its forward pass, in float32.
 *
 * <pre>{@code
 * GradCheck.layer(new Dense(4, 3, 7)).input(2, 4).check();
 * }</pre>
 *
 * <p>The check perturbs a copy of the input and the parameters' values in place, restoring them
 * exactly afterwards, and saves and restores the parameters' gradients; the layer's other state
 * (running statistics of batch normalization, a random generator's position) moves on as after
 * any forward pass.
 *
 * <p><b>Accumulation.</b> Backward adds into the parameters' gradients ({@link Layer}), so the
 * check starts every backward pass from random nonzero gradients and takes the change as the
 * analytic gradient: a layer that overwrites (or zeroes) them instead fails. The subtraction is
 * exact in double; the float addition inside the layer rounds once, at most 2^-24 of
 * |start + gradient| &lt;= 1 + |gradient|, below the absolute tolerance.
 *
 * <p><b>Randomness.</b> Finite differences need the same function at every evaluation. A layer
 * that draws randomness per forward (dropout in training mode) must be made repeatable with
 * {@link #beforeForward}, which runs before every forward pass of the check (for example a
 * dropout layer's reseeding); the check first evaluates the layer twice at the same point and
 * throws {@link IllegalStateException} if the outputs differ. Alternatively check with
 * {@code training(false)} and test the mask separately.
 */
public final class LayerCheck extends AbstractCheck<LayerCheck> {
    private final Layer layer;
    private Tensor input;
    private Shape inputShape;
    private boolean training = true;
    private Runnable beforeForward = () -> { };
    private Set<String> only;

    LayerCheck(Layer layer) {
        super(Precision.FLOAT32);
        this.layer = Objects.requireNonNull(layer, "layer");
    }

    /**
     * The point to check at (copied; the layer never sees the caller's tensor).
     *
     * @param x the input
     * @return this check
     */
    public LayerCheck input(Tensor x) {
        this.input = Objects.requireNonNull(x, "input").copy();
        this.inputShape = null;
        return this;
    }

    /**
     * A random input of this shape, drawn from the check's seed by {@link Values#kinkFree}: values
     * of magnitude 0.1 to 2, clear of the kinks at 0 of ReLU-like activations by more than the step.
     *
     * @param dims the shape
     * @return this check
     */
    public LayerCheck input(int... dims) {
        this.inputShape = Shape.of(dims);
        this.input = null;
        return this;
    }

    /**
     * Forward in training mode (the default) or inference mode.
     *
     * @param training true for training mode, false for inference mode
     * @return this check
     */
    public LayerCheck training(boolean training) {
        this.training = training;
        return this;
    }

    /**
     * Runs before every forward pass of the check: make a random layer repeatable here.
     *
     * @param hook the code to run, e.g. resetting a random layer's seed
     * @return this check
     */
    public LayerCheck beforeForward(Runnable hook) {
        this.beforeForward = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /**
     * Checks only these variables ("input" and/or parameter names); default all.
     *
     * @param variables "input" and/or parameter names
     * @return this check
     */
    public LayerCheck only(String... variables) {
        this.only = new LinkedHashSet<>(Arrays.asList(variables));
        return this;
    }

    /**
     * Runs the check.
     *
     * @return the summary when every comparison passes
     * @throws GradCheckFailure naming the worst failing comparison
     * @throws IllegalStateException if no input was given or the layer is not repeatable
     */
    public GradCheckResult check() {
        Tensor x = input != null ? input.copy() : inputShape != null ? Values.kinkFree(inputShape, seedValue())
                : null;
        if (x == null) {
            throw new IllegalStateException(layer.name() + ": give the point to check with input(tensor) or "
                    + "input(dims...)");
        }
        return Engine.run(new LayerSubject(x), settings());
    }

    private final class LayerSubject implements Subject {
        private final Tensor x;
        private final List<Parameter> parameters;
        private final List<Variable> variables = new ArrayList<>();
        private final int[] checked; // -1 for the input, else the parameter index
        private final Tensor[] savedGrads;
        private final Tensor[] startGrads;
        private final Shape outputShape;

        LayerSubject(Tensor x) {
            this.x = x;
            this.parameters = List.copyOf(layer.parameters());
            this.outputShape = layer.outputShape(x.shape());
            List<Integer> which = new ArrayList<>();
            if (only == null || only.contains("input")) {
                variables.add(Variable.of("input", x));
                which.add(-1);
            }
            Set<String> unknown = only == null ? new LinkedHashSet<>() : new LinkedHashSet<>(only);
            unknown.remove("input");
            for (int p = 0; p < parameters.size(); p++) {
                String name = parameters.get(p).name();
                unknown.remove(name);
                if (only == null || only.contains(name)) {
                    variables.add(Variable.of(name, parameters.get(p).value()));
                    which.add(p);
                }
            }
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(layer.name() + " has no variable " + unknown + "; it has input"
                        + parameters.stream().map(p -> ", " + p.name()).reduce("", String::concat));
            }
            checked = which.stream().mapToInt(Integer::intValue).toArray();
            savedGrads = new Tensor[parameters.size()];
            startGrads = new Tensor[parameters.size()];
            for (int p = 0; p < parameters.size(); p++) {
                savedGrads[p] = parameters.get(p).grad().copy();
                startGrads[p] = Values.uniform(parameters.get(p).shape(), seedValue() + 1 + p, -1, 1);
            }
        }

        @Override
        public String name() {
            return layer.name() + (training ? " (training)" : " (inference)") + " at input " + x.shape();
        }

        @Override
        public List<Variable> variables() {
            return variables;
        }

        @Override
        public int[] outputDims() {
            return outputShape.dims();
        }

        @Override
        public double[] evaluate() {
            beforeForward.run();
            return toDouble(layer.forward(x, training), outputShape, "forward output");
        }

        @Override
        public Backward backwardAtCurrentPoint() {
            beforeForward.run();
            layer.forward(x, training);
            return upstream -> {
                for (int p = 0; p < parameters.size(); p++) {
                    parameters.get(p).grad().copyFrom(startGrads[p]);
                }
                Tensor gradOutput = Tensor.wrap(Floats.toFloat(upstream), outputShape.dims());
                Tensor gradInput = layer.backward(gradOutput);
                double[][] out = new double[checked.length][];
                for (int v = 0; v < checked.length; v++) {
                    if (checked[v] < 0) {
                        out[v] = toDouble(gradInput, x.shape(), "backward's input gradient");
                        continue;
                    }
                    Parameter p = parameters.get(checked[v]);
                    out[v] = toDouble(p.grad(), p.shape(), "gradient of " + p.name());
                    float[] start = startGrads[checked[v]].toArray();
                    for (int j = 0; j < start.length; j++) {
                        out[v][j] -= start[j];
                    }
                }
                return out;
            };
        }

        @Override
        public void finish() {
            for (int p = 0; p < parameters.size(); p++) {
                parameters.get(p).grad().copyFrom(savedGrads[p]);
            }
        }

        private double[] toDouble(Tensor t, Shape expected, String what) {
            if (!t.shape().equals(expected)) {
                throw new IllegalStateException(layer.name() + ": " + what + " has shape " + t.shape()
                        + ", expected " + expected);
            }
            return Floats.toDouble(t.toArray());
        }
    }
}
