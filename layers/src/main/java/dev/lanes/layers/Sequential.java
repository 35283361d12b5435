package dev.lanes.layers;

import dev.lanes.layers.internal.Shapes;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layers applied one after the other, each to the output of the one before.
 *
 * <p>A model is built for an input shape <b>without</b> the batch dimension ((1, 28, 28) for
 * MNIST images): building runs {@link Layer#outputShape} of every layer in turn (with a batch of
 * 1 standing in for any batch) and a layer that does not fit throws
 * {@link IllegalArgumentException} with its index, name and type, the shape it was given and the
 * layer's own message (expected and actual shape). {@link #forward} accepts any batch size.
 *
 * <p>Every layer has a name, its index ({@code "0"}, {@code "1"}, ...) unless the builder gave
 * one; names are unique and contain no dot. {@link #namedParameters()} and {@link #buffers()}
 * prefix each layer's names with the layer's ({@code 0.weight}, {@code conv1.bias},
 * {@code bn.running_mean}; nested models nest: {@code block.0.weight}), the keys a checkpoint
 * uses. {@link #summary()} prints a table of layers, output shapes and parameter counts.
 *
 * <p>A {@code Sequential} is itself a {@link Layer}, so models nest.
 */
public final class Sequential implements Layer {
    private final Shape inputShape;
    private final List<String> names;
    private final List<Layer> layers;
    private final List<Shape> outputShapes;
    private boolean forwardDone;

    /**
     * A model of {@code layers}, named by their index, for inputs of {@code inputShape} (without
     * the batch dimension).
     *
     * @param inputShape the shape of one input, without the batch dimension
     * @param layers the layers in order; each one's input shape is the previous one's output shape
     * @throws IllegalArgumentException naming the first layer that does not fit
     */
    public Sequential(Shape inputShape, Layer... layers) {
        this(inputShape, indexNames(layers.length), List.of(layers));
    }

    private Sequential(Shape inputShape, List<String> names, List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("Sequential: needs at least one layer");
        }
        this.inputShape = inputShape;
        this.names = List.copyOf(names);
        this.layers = List.copyOf(layers);
        List<Shape> shapes = new ArrayList<>();
        Shape shape = Shapes.prepend(1, inputShape);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            try {
                shape = layer.outputShape(shape);
            } catch (IllegalArgumentException e) {
                String source = i == 0 ? "the model input" : "layer " + (i - 1) + " '" + names.get(i - 1) + "'";
                throw new IllegalArgumentException("Sequential: layer " + i + " '" + names.get(i) + "' ("
                        + layer.name() + ") does not fit the output " + Shapes.withBatch(shape) + " of " + source
                        + ": " + e.getMessage(), e);
            }
            shapes.add(Shapes.dropFirst(shape));
        }
        this.outputShapes = List.copyOf(shapes);
    }

    /**
     * {@return a builder for a model with named layers, for inputs of {@code inputShape} (no
     * batch)}
     *
     * @param inputShape the shape of one input, without the batch dimension
     */
    public static Builder builder(Shape inputShape) {
        return new Builder(inputShape);
    }

    /** Collects named layers; {@link #build()} checks names and shapes. */
    public static final class Builder {
        private final Shape inputShape;
        private final List<String> names = new ArrayList<>();
        private final List<Layer> layers = new ArrayList<>();

        private Builder(Shape inputShape) {
            this.inputShape = inputShape;
        }

        /**
         * Adds a layer named by its index.
         *
         * @param layer the layer; its input shape is the previous layer's output shape
         * @return this builder
         */
        public Builder add(Layer layer) {
            return add(Integer.toString(layers.size()), layer);
        }

        /**
         * Adds a named layer.
         *
         * @param name the layer's name, unique within the model
         * @param layer the layer; its input shape is the previous layer's output shape
         * @return this builder
         * @throws IllegalArgumentException if the name is blank, contains a dot or is taken
         */
        public Builder add(String name, Layer layer) {
            if (name == null || name.isBlank() || name.contains(".")) {
                throw new IllegalArgumentException("Sequential: layer name must be non-blank without a dot, got '"
                        + name + "'");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("Sequential: layer name '" + name + "' is already taken by layer "
                        + names.indexOf(name));
            }
            if (layer == null) {
                throw new IllegalArgumentException("Sequential: layer '" + name + "' is null");
            }
            names.add(name);
            layers.add(layer);
            return this;
        }

        /**
         * The model.
         *
         * @return the model
         * @throws IllegalArgumentException naming the first layer that does not fit
         */
        public Sequential build() {
            return new Sequential(inputShape, names, layers);
        }
    }

    private static List<String> indexNames(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /** {@return the input shape without the batch dimension} */
    public Shape inputShape() {
        return inputShape;
    }

    /** {@return the output shape without the batch dimension} */
    public Shape outputShape() {
        return outputShapes.get(outputShapes.size() - 1);
    }

    /** {@return the layers, in order} */
    public List<Layer> layers() {
        return layers;
    }

    /** {@return the layer names, in order} */
    public List<String> layerNames() {
        return names;
    }

    /**
     * {@return the layer with the given name}
     *
     * @param name the name given when the layer was added, or its index for an unnamed one
     * @throws IllegalArgumentException if there is none
     */
    public Layer layer(String name) {
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("Sequential: no layer named '" + name + "', the names are " + names);
        }
        return layers.get(index);
    }

    @Override
    public String name() {
        return "Sequential(" + layers.size() + " layers)";
    }

    @Override
    public Shape outputShape(Shape shape) {
        checkInput(shape);
        for (int i = 0; i < layers.size(); i++) {
            shape = layers.get(i).outputShape(shape);
        }
        return shape;
    }

    private void checkInput(Shape shape) {
        if (shape.rank() != inputShape.rank() + 1 || !Shapes.dropFirst(shape).equals(inputShape)) {
            throw Shapes.mismatch(name(), "input", Shapes.withBatch(inputShape.dims()), shape);
        }
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkInput(input.shape());
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x, training);
        }
        forwardDone = true;
        return x;
    }

    // dL/dx = J_0ᵀ · J_1ᵀ · ... · J_lastᵀ · dL/dy: each layer's backward, last to first.
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (!forwardDone) {
            throw new IllegalStateException(name() + ": backward before forward");
        }
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.parameters());
        }
        return Collections.unmodifiableList(all);
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Parameter> entry : layers.get(i).namedParameters().entrySet()) {
                named.put(names.get(i) + "." + entry.getKey(), entry.getValue());
            }
        }
        return Collections.unmodifiableMap(named);
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Tensor> entry : layers.get(i).buffers().entrySet()) {
                named.put(names.get(i) + "." + entry.getKey(), entry.getValue());
            }
        }
        return Collections.unmodifiableMap(named);
    }

    /** {@return the number of trainable values: the sum of the parameter sizes} */
    public long parameterCount() {
        return count(this);
    }

    private static long count(Layer layer) {
        long total = 0;
        for (Parameter parameter : layer.parameters()) {
            total += parameter.shape().size();
        }
        return total;
    }

    private static long bufferCount(Layer layer) {
        long total = 0;
        for (Tensor buffer : layer.buffers().values()) {
            total += buffer.size();
        }
        return total;
    }

    /**
     * {@return a table like Keras' {@code model.summary()}: one row per layer with its name and
     * type, its output shape (N for the batch) and its parameter count, then the totals}
     */
    public String summary() {
        String[][] rows = new String[layers.size()][];
        int[] widths = {"Layer (type)".length(), "Output shape".length(), "Params".length()};
        for (int i = 0; i < layers.size(); i++) {
            rows[i] = new String[] {names.get(i) + " (" + layers.get(i).name() + ")",
                Shapes.withBatch(outputShapes.get(i).dims()), String.format("%,d", count(layers.get(i)))};
            for (int c = 0; c < 3; c++) {
                widths[c] = Math.max(widths[c], rows[i][c].length());
            }
        }
        String format = "%-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2] + "s%n";
        String rule = "=".repeat(widths[0] + widths[1] + widths[2] + 4) + System.lineSeparator();
        StringBuilder text = new StringBuilder();
        text.append("Sequential, input ").append(Shapes.withBatch(inputShape.dims())).append(System.lineSeparator());
        text.append(String.format(format, "Layer (type)", "Output shape", "Params")).append(rule);
        for (String[] row : rows) {
            text.append(String.format(format, (Object[]) row));
        }
        text.append(rule);
        text.append(String.format("Trainable parameters: %,d%n", parameterCount()));
        text.append(String.format("Non-trainable values (buffers): %,d%n", bufferCount(this)));
        return text.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
