package dev.lanes.training;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
 * Model model = Model.builder("tiny", Shape.of(1, 28, 28))
 *         .layer("fc1", dense1)
 *         .layer("fc2", dense2)
 *         .build(network);   // network holds dense1 and dense2
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

    /** Starts a model named {@code name} (e.g. {@code cnn}) for inputs of shape (c, h, w). */
    public static Builder builder(String name, Shape inputShape) {
        return new Builder(name, inputShape);
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

    /** Collects the names of the layers' parameters and buffers. */
    public static final class Builder {
        private final String name;
        private final Shape inputShape;
        private final Map<Parameter, String> parameterNames = new IdentityHashMap<>();
        private final List<NamedBuffer> buffers = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        private Builder(String name, Shape inputShape) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a model name must not be blank");
            }
            if (inputShape == null || inputShape.rank() != 3) {
                throw new IllegalArgumentException("inputShape must be (channels, height, width), got " + inputShape);
            }
            this.name = name;
            this.inputShape = inputShape;
        }

        /** Names the parameters of {@code layer} {@code layerName + "." + parameter.name()}. */
        public Builder layer(String layerName, Layer layer) {
            for (Parameter parameter : layer.parameters()) {
                String full = layerName + "." + parameter.name();
                claim(full);
                if (parameterNames.put(parameter, full) != null) {
                    throw new IllegalArgumentException("parameter " + full + " was already named");
                }
            }
            return this;
        }

        /** Adds a non-trainable buffer (contiguous) named {@code fullName}. */
        public Builder buffer(String fullName, Tensor tensor) {
            if (!tensor.isContiguous()) {
                throw new IllegalArgumentException("buffer " + fullName + " must be contiguous");
            }
            claim(fullName);
            buffers.add(new NamedBuffer(fullName, tensor));
            return this;
        }

        private void claim(String fullName) {
            if (fullName == null || fullName.isBlank() || fullName.startsWith("optimizer.")
                    || fullName.equals("__metadata__")) {
                throw new IllegalArgumentException("'" + fullName + "' cannot name a model tensor");
            }
            if (!names.add(fullName)) {
                throw new IllegalArgumentException("the name " + fullName + " is used twice in model " + name);
            }
        }

        /**
         * The model around {@code network}, whose parameters must be exactly the named ones.
         *
         * @throws IllegalArgumentException if a parameter of the network has no name, a named one
         *                                  is not in the network, or the network does not map
         *                                  (n, c, h, w) to (n, classes)
         */
        public Model build(Layer network) {
            List<NamedParameter> ordered = new ArrayList<>();
            Set<Parameter> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Parameter parameter : network.parameters()) {
                String full = parameterNames.get(parameter);
                if (full == null) {
                    throw new IllegalArgumentException("parameter " + parameter + " of " + network.name()
                            + " has no name: add its layer to the builder");
                }
                if (!seen.add(parameter)) {
                    throw new IllegalArgumentException("parameter " + full + " appears twice in " + network.name());
                }
                ordered.add(new NamedParameter(full, parameter));
            }
            if (ordered.size() != parameterNames.size()) {
                for (Map.Entry<Parameter, String> entry : parameterNames.entrySet()) {
                    if (!seen.contains(entry.getKey())) {
                        throw new IllegalArgumentException("parameter " + entry.getValue() + " is not part of "
                                + network.name());
                    }
                }
            }
            int[] dims = inputShape.dims();
            Shape output = network.outputShape(Shape.of(2, dims[0], dims[1], dims[2]));
            if (output.rank() != 2 || output.dim(0) != 2) {
                throw new IllegalArgumentException("model " + name + ": the network maps (2, " + dims[0] + ", "
                        + dims[1] + ", " + dims[2] + ") to " + output + ", expected (2, classes)");
            }
            return new Model(name, network, inputShape, output.dim(1), ordered, buffers);
        }
    }
}
