package dev.lanes.training;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A classifier network with names for everything a checkpoint holds: the trainable parameters
 * ({@code conv1.weight}) and the non-trainable buffers such as batch-norm running statistics
 * ({@code bn1.running_mean}).
 *
 * <p>The network maps {@code (n, channels, height, width)} images to {@code (n, classes)}
 * scores; both shapes are checked when the model is built. {@link #parameters()} lists the
 * parameters in the network's own order, the order optimizers and checkpoints use.
 *
 * <pre>{@code
 * Model model = Model.of("mlp", Sequential.builder(Shape.of(1, 28, 28))
 *         .add("flatten", new Flatten()).add("fc1", new Dense(784, 10, seed)).build(), Shape.of(1, 28, 28));
 * }</pre>
 */
public final class Model {
    /** A parameter and its unique name in the model. */
    public record NamedParameter(String name, Parameter parameter) {
    }

    /** A non-trainable state tensor (contiguous) and its unique name in the model. */
    public record NamedBuffer(String name, Tensor tensor) {
    }

    private final String name;
    private final Layer network;
    private final Shape inputShape;
    private final int classes;
    private final List<NamedParameter> namedParameters;
    private final List<Parameter> parameters;
    private final List<NamedBuffer> buffers;

    private Model(String name, Layer network, Shape inputShape, int classes, List<NamedParameter> namedParameters,
                  List<NamedBuffer> buffers) {
        this.name = name;
        this.network = network;
        this.inputShape = inputShape;
        this.classes = classes;
        this.namedParameters = List.copyOf(namedParameters);
        List<Parameter> plain = new ArrayList<>();
        for (NamedParameter named : namedParameters) {
            plain.add(named.parameter());
        }
        this.parameters = List.copyOf(plain);
        this.buffers = List.copyOf(buffers);
    }

    /**
     * A model named {@code name} (e.g. {@code cnn}) around {@code network}, for inputs of shape
     * (c, h, w). Parameter and buffer names are the network's
     * ({@link Layer#namedParameters()}, {@link Layer#buffers()}).
     *
     * @throws IllegalArgumentException if a name is blank or reserved, a buffer is not
     *                                  contiguous, or the network does not map (n, c, h, w) to
     *                                  (n, classes)
     */
    public static Model of(String name, Layer network, Shape inputShape) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model name must not be blank");
        }
        if (inputShape == null || inputShape.rank() != 3) {
            throw new IllegalArgumentException("inputShape must be (channels, height, width), got " + inputShape);
        }
        Set<String> names = new HashSet<>();
        List<NamedParameter> parameters = new ArrayList<>();
        for (Map.Entry<String, Parameter> entry : network.namedParameters().entrySet()) {
            claim(names, entry.getKey(), name);
            parameters.add(new NamedParameter(entry.getKey(), entry.getValue()));
        }
        if (!network.parameters().equals(parameters.stream().map(NamedParameter::parameter).toList())) {
            throw new IllegalArgumentException("model " + name + ": the named parameters of " + network.name()
                    + " are not its parameters in order");
        }
        List<NamedBuffer> buffers = new ArrayList<>();
        for (Map.Entry<String, Tensor> entry : network.buffers().entrySet()) {
            claim(names, entry.getKey(), name);
            if (!entry.getValue().isContiguous()) {
                throw new IllegalArgumentException("model " + name + ": buffer " + entry.getKey()
                        + " is not contiguous");
            }
            buffers.add(new NamedBuffer(entry.getKey(), entry.getValue()));
        }
        int[] dims = inputShape.dims();
        Shape output = network.outputShape(Shape.of(2, dims[0], dims[1], dims[2]));
        if (output.rank() != 2 || output.dim(0) != 2) {
            throw new IllegalArgumentException("model " + name + ": the network maps (2, " + dims[0] + ", " + dims[1]
                    + ", " + dims[2] + ") to " + output + ", expected (2, classes)");
        }
        return new Model(name, network, inputShape, output.dim(1), parameters, buffers);
    }

    private static void claim(Set<String> names, String tensorName, String model) {
        if (tensorName == null || tensorName.isBlank() || tensorName.startsWith("optimizer.")
                || tensorName.equals("__metadata__")) {
            throw new IllegalArgumentException("model " + model + ": '" + tensorName + "' cannot name a tensor");
        }
        if (!names.add(tensorName)) {
            throw new IllegalArgumentException("model " + model + ": the name " + tensorName + " is used twice");
        }
    }

    /** The model's name, stored in checkpoints and checked when one is loaded. */
    public String name() {
        return name;
    }

    /** The network. */
    public Layer network() {
        return network;
    }

    /** The shape of one input image, (channels, height, width). */
    public Shape inputShape() {
        return inputShape;
    }

    /** The number of classes (the width of the network's output). */
    public int classes() {
        return classes;
    }

    /** The parameters with their names, in the network's order. */
    public List<NamedParameter> namedParameters() {
        return namedParameters;
    }

    /** The parameters, in the network's order (give this list to an optimizer). */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The non-trainable buffers with their names. */
    public List<NamedBuffer> buffers() {
        return buffers;
    }

    /** The number of trainable values. */
    public long parameterCount() {
        long count = 0;
        for (Parameter parameter : parameters) {
            count += parameter.value().size();
        }
        return count;
    }

    @Override
    public String toString() {
        return name + " (" + network.name() + ", " + parameterCount() + " parameters)";
    }
}
