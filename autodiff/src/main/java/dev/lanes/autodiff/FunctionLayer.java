package dev.lanes.autodiff;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function written with operations, as a {@link Layer}: so a model written as a function trains
 * with the optimizers, schedules, checkpoints and {@code Trainer} of Lanes ({@code
 * Model.of(name, functionLayer, inputShape)}).
 *
 * <pre>{@code
 * Map<String, Parameter> parameters = new LinkedHashMap<>();
 * parameters.put("fc.weight", new Parameter("weight", Tensor.randn(Shape.of(10, 784), 0f, 0.05f, 1), true));
 * parameters.put("fc.bias", new Parameter("bias", Tensor.zeros(10), false));
 * Layer mlp = new FunctionLayer("mlp", parameters,
 *         (x, p) -> Nn.linear(x.reshape(x.shape().dim(0), -1), p.get("fc.weight"), p.get("fc.bias")));
 * }</pre>
 *
 * <p>Each forward runs the function on the layer's own tape, reset, with the input as a leaf and
 * every parameter bound by {@link Tape#parameter}; backward runs the tape back from the output
 * gradient, adds into the parameters' gradients and returns the input's gradient. The tape's
 * buffers are the layer's workspaces: once they have their size, steps allocate nothing there.
 * Backward may be called more than once per forward (the parameters accumulate again).
 * {@link #outputShape} runs the function once in inference mode on zeros on a second tape (so
 * layer nodes inside see that call).
 */
public final class FunctionLayer implements Layer {
    /** The function: the input and the bound parameters to the output. */
    @FunctionalInterface
    public interface Body {
        /**
         * {@return the output for the input {@code x}}
         *
         * @param x the input, batch dimension first
         * @param parameters the layer's parameters as Vars of the current tape
         */
        Var apply(Var x, Parameters parameters);
    }

    /** The layer's parameters bound to the current run's tape, by name or by position. */
    public static final class Parameters {
        private final Map<String, Integer> index = new HashMap<>();
        private final Var[] bound;

        private Parameters(List<String> names) {
            for (int i = 0; i < names.size(); i++) {
                index.put(names.get(i), i);
            }
            bound = new Var[names.size()];
        }

        /**
         * {@return the parameter named {@code name}}
         *
         * @param name the parameter's name
         * @throws IllegalArgumentException if there is none
         */
        public Var get(String name) {
            Integer i = index.get(name);
            if (i == null) {
                throw new IllegalArgumentException("no parameter named '" + name + "'; the names are " + index.keySet());
            }
            return bound[i];
        }

        /**
         * {@return the parameter at position i, in the order of the map the layer was made with}
         *
         * @param i the parameter's position, from 0
         */
        public Var get(int i) {
            return bound[i];
        }
    }

    private final String name;
    private final Map<String, Parameter> named;
    private final List<Parameter> parameters;
    private final Body body;
    private final Parameters bound;
    private final Tape tape = new Tape();
    /** The operation named when the function returns a Var of another tape (built once, not per run). */
    private final String resultCheck;
    private Tape shapeTape;
    private Var input;
    private Var output;

    /**
     * A layer named {@code name} computing {@code body} with {@code parameters} (names as a
     * checkpoint stores them, in order).
     *
     * @param name the layer's name, for messages and model summaries
     * @param parameters the trainable parameters by name, in checkpoint order
     * @param body the function of the input and the parameters
     * @throws IllegalArgumentException for a blank name, or a blank name or null of a parameter
     */
    public FunctionLayer(String name, Map<String, Parameter> parameters, Body body) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("FunctionLayer: the name must not be blank");
        }
        if (body == null) {
            throw new IllegalArgumentException("FunctionLayer " + name + ": the function must not be null");
        }
        List<Parameter> list = new ArrayList<>();
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            if (entry.getKey() == null || entry.getKey().isBlank() || entry.getValue() == null) {
                throw new IllegalArgumentException("FunctionLayer " + name + ": parameter '" + entry.getKey()
                        + "' needs a name and a value");
            }
            list.add(entry.getValue());
        }
        this.name = name;
        this.named = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.parameters = List.copyOf(list);
        this.body = body;
        this.bound = new Parameters(new ArrayList<>(named.keySet()));
        this.resultCheck = name + " (the function's result)";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (shapeTape == null) {
            shapeTape = new Tape();
        }
        try {
            return run(shapeTape, Tensor.zeros(inputShape), false).shape();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": input " + inputShape + " does not fit: " + e.getMessage(), e);
        }
    }

    /**
     * {@return the multiply-adds of one forward pass on an input of shape {@code inputShape}: those
     * of the function's matrix products and convolutions} The function runs once in inference
     * mode on zeros, as for {@link #outputShape}. Layers the function calls as nodes ({@link
     * Nn#layer}) count 0, as do elementwise operations, pooling and reductions.
     *
     * @param inputShape the input's shape, batch dimension first
     * @throws IllegalArgumentException if the function does not accept that shape
     */
    public long multiplyAdds(Shape inputShape) {
        outputShape(inputShape);
        return shapeTape.multiplyAdds();
    }

    private Var run(Tape on, Tensor x, boolean training) {
        on.reset();
        on.training(training);
        Var in = on.input(x);
        for (int i = 0; i < parameters.size(); i++) {
            bound.bound[i] = on.parameter(parameters.get(i));
        }
        Var y = body.apply(in, bound);
        on.check(resultCheck, y);
        if (on == tape) {
            input = in;
        }
        return y;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        output = run(tape, x, training);
        return output.value();
    }

    // dL/dx and dL/dθ by the reverse pass of the tape from g = dL/dy
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (output == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), output.shape());
        tape.backward(output, gradOutput, true);
        return input.grad();
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        return named;
    }
}
