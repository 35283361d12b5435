package dev.lanes.training;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.checkpoint.CheckpointFormatException;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.models.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>A model {@linkplain #build built from text} records its architecture in its checkpoints,
 * so {@link #load} needs only the file. {@link #predict} answers with classes and
 * probabilities, after the model's input {@linkplain #normalization normalization} if it has one.
 */
public final class Model {
    /**
     * A parameter and its unique name in the model.
     *
     * @param name the parameter's unique name in the model
     * @param parameter the parameter
     */
    public record NamedParameter(String name, Parameter parameter) {
    }

    /**
     * A non-trainable state tensor (contiguous) and its unique name in the model.
     *
     * @param name the buffer's unique name in the model
     * @param tensor the buffer, contiguous
     */
    public record NamedBuffer(String name, Tensor tensor) {
    }

    private final String name;
    private final Layer network;
    private final Shape inputShape;
    private final int classes;
    private final List<NamedParameter> namedParameters;
    private final List<Parameter> parameters;
    private final List<NamedBuffer> buffers;
    private final String architecture;
    private final Normalization normalization;

    /**
     * Per-channel input normalization: {@link #predict} replaces each value x of channel c by
     * (x - mean[c]) / std[c] before the network sees it. {@code lanes train} normalizes with the
     * training set's statistics and records them, so its models take pixels as they are stored.
     *
     * @param mean one value per channel
     * @param std  one positive value per channel
     */
    public record Normalization(float[] mean, float[] std) {
        /** Checks and copies the arrays. */
        public Normalization {
            if (mean.length != std.length || mean.length == 0) {
                throw new IllegalArgumentException("normalization: mean and std need one value per channel, got "
                        + mean.length + " and " + std.length);
            }
            for (int c = 0; c < std.length; c++) {
                if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
                    throw new IllegalArgumentException("normalization of channel " + c + ": mean " + mean[c] + ", std "
                            + std[c] + " (the mean must be finite and the std positive)");
                }
            }
            mean = mean.clone();
            std = std.clone();
        }

        /** {@return the means (a copy)} */
        @Override
        public float[] mean() {
            return mean.clone();
        }

        /** {@return the standard deviations (a copy)} */
        @Override
        public float[] std() {
            return std.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Normalization that && Arrays.equals(mean, that.mean)
                    && Arrays.equals(std, that.std);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
        }

        @Override
        public String toString() {
            return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
        }
    }

    private Model(String name, Layer network, Shape inputShape, int classes, List<NamedParameter> namedParameters,
                  List<NamedBuffer> buffers) {
        this(name, network, inputShape, classes, namedParameters, buffers, null, null);
    }

    private Model(String name, Layer network, Shape inputShape, int classes, List<NamedParameter> namedParameters,
                  List<NamedBuffer> buffers, String architecture, Normalization normalization) {
        this.architecture = architecture;
        this.normalization = normalization;
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
     * {@return a model named {@code name} (e.g. {@code cnn}) around {@code network}, for inputs of
     * shape (c, h, w)} Parameter and buffer names are the network's ({@link
     * Layer#namedParameters()}, {@link Layer#buffers()}).
     *
     * @param name the model's name, stored in checkpoints
     * @param network the network, mapping (n, c, h, w) to (n, classes)
     * @param inputShape the shape of one input, (channels, height, width)
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

    /**
     * {@return a model named {@code name} whose network is written as text (see the layers below),
     * for images of {@code inputShape} (channels, height, width), with weights drawn from {@code
     * seed}} Its checkpoints record the text, so {@link #load} rebuilds it from the file.
     *
     * <pre>{@code
     * Model model = Model.build("digits", "conv 16 3 pad 1, relu, maxpool 2, flatten, dense 10",
     *         Shape.of(1, 28, 28), 42);
     * }</pre>
     *
     * <p>One layer per comma: {@code dense N}; {@code conv N K [stride S] [pad P]} (N filters of
     * K x K); {@code maxpool K [stride S]}; {@code avgpool K [stride S]}; {@code flatten};
     * {@code dropout P}; {@code batchnorm}; and the activations {@code relu},
     * {@code leakyrelu [SLOPE]}, {@code elu [ALPHA]}, {@code selu}, {@code gelu}, {@code sigmoid},
     * {@code tanh}, {@code softplus}, {@code mish}, {@code hardswish}. Input channels and
     * features follow from the layer before. Layers are named by kind and count ({@code conv1},
     * {@code dense2}).
     *
     * @param name the model's name, stored in checkpoints
     * @param architecture the network as text
     * @param inputShape the shape of one image, (channels, height, width)
     * @param seed the seed of the weights
     * @throws IllegalArgumentException naming the layer and what was wrong with it, or if the
     *                                  network does not end in (n, classes)
     */
    public static Model build(String name, String architecture, Shape inputShape, long seed) {
        if (inputShape == null || inputShape.rank() != 3) {
            throw new IllegalArgumentException("inputShape must be (channels, height, width), got " + inputShape);
        }
        Model model = of(name, Architecture.network(architecture, inputShape, seed), inputShape);
        return model.with(Architecture.canonical(architecture), null);
    }

    private Model with(String newArchitecture, Normalization newNormalization) {
        return new Model(name, network, inputShape, classes, namedParameters, buffers, newArchitecture,
                newNormalization);
    }

    /**
     * Loads a model from a checkpoint written by {@link ModelCheckpoint#save} (or by
     * {@link Trainer} and {@code lanes train}), building the network the file records: the
     * architecture text of a model made by {@link #build}, or the name of one of
     * {@link Models#NAMES}. The normalization recorded with it ({@code normalize_mean},
     * {@code normalize_std}) comes along.
     *
     * @param file the checkpoint
     * @return the model, with the file's weights
     * @throws CheckpointFormatException if the file is damaged or records no architecture (a
     *                                   network built by hand: build it again and use
     *                                   {@link ModelCheckpoint#load})
     */
    public static Model load(Path file) throws IOException {
        return ModelFiles.load(file);
    }

    /**
     * Saves the weights and buffers (no optimizer state) to {@code file} with
     * {@link ModelCheckpoint#save}: with the architecture text of a {@linkplain #build built}
     * model and the normalization, so {@link #load} needs only the file.
     *
     * @param file the checkpoint file, replaced atomically
     * @throws IOException if the file cannot be written
     */
    public void save(Path file) throws IOException {
        ModelCheckpoint.save(file, this, null, Map.of());
    }

    /**
     * {@return this model (sharing its network and parameters) with an input normalization that
     * {@link #predict} applies and checkpoints record}
     *
     * @param mean the mean of each channel
     * @param std the standard deviation of each channel, {@code > 0}
     * @throws IllegalArgumentException unless there is one finite mean and positive std per
     *                                  input channel
     */
    public Model withNormalization(float[] mean, float[] std) {
        Normalization normalization = new Normalization(mean, std);
        if (mean.length != inputShape.dim(0)) {
            throw new IllegalArgumentException("model " + name + " takes " + inputShape.dim(0) + " channels, got a"
                    + " normalization of " + mean.length);
        }
        return with(architecture, normalization);
    }

    /**
     * {@return the architecture text this model was {@linkplain #build built} from, or null if
     * built by hand}
     */
    public String architecture() {
        return architecture;
    }

    /** {@return the input normalization {@link #predict} applies, or null for none} */
    public Normalization normalization() {
        return normalization;
    }

    /**
     * {@return the prediction for one image of {@link #inputShape()} (channels, height, width),
     * row-major, as stored (the model's normalization is applied here)} Not thread-safe: the
     * network reuses its buffers.
     *
     * @param image the image (channels, height, width), row-major, as stored
     * @throws IllegalArgumentException if the image has the wrong number of values
     */
    public Prediction predict(float[] image) {
        int size = inputShape.size();
        if (image.length != size) {
            throw new IllegalArgumentException("model " + name + " takes images of " + inputShape + " (" + size
                    + " values), got " + image.length + " values (for a batch, pass a Tensor (n, "
                    + inputShape.dim(0) + ", " + inputShape.dim(1) + ", " + inputShape.dim(2) + "))");
        }
        return predict(Tensor.fromArray(image, 1, inputShape.dim(0), inputShape.dim(1), inputShape.dim(2))).get(0);
    }

    /**
     * {@return the predictions for a batch of images, a tensor of shape (n, channels, height,
     * width) as stored (the model's normalization is applied to a copy)} The network runs in
     * inference mode (no dropout, batch norm on its running statistics), up to 256 images at a
     * time. Not thread-safe: the network reuses its buffers.
     *
     * @param images the images (n, channels, height, width), as stored
     * @throws IllegalArgumentException if the shape does not match {@link #inputShape()}
     */
    public Predictions predict(Tensor images) {
        return ModelPrediction.predict(this, images);
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

    /** {@return the model's name, stored in checkpoints and checked when one is loaded} */
    public String name() {
        return name;
    }

    /** {@return the network} */
    public Layer network() {
        return network;
    }

    /** {@return the shape of one input image, (channels, height, width)} */
    public Shape inputShape() {
        return inputShape;
    }

    /** {@return the number of classes (the width of the network's output)} */
    public int classes() {
        return classes;
    }

    /** {@return the parameters with their names, in the network's order} */
    public List<NamedParameter> namedParameters() {
        return namedParameters;
    }

    /** {@return the parameters, in the network's order (give this list to an optimizer)} */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** {@return the non-trainable buffers with their names} */
    public List<NamedBuffer> buffers() {
        return buffers;
    }

    /** {@return the number of trainable values} */
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
