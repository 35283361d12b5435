package dev.lanes.unsupervised;

import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import dev.lanes.training.random.SplitMix64;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deep belief network: RBMs stacked so that the hidden layer of one is the visible layer of the
 * next, trained greedily layer by layer (Hinton, Osindero and Teh, "A Fast Learning Algorithm for
 * Deep Belief Nets", 2006): the first RBM on the data, each next one on the hidden probabilities
 * P(h | v) that the trained layers below give for the data.
 *
 * <p>The pretrained weights then start two networks trained by backpropagation:
 * <ul>
 *   <li>{@link #classifier}: the recognition weights (each RBM's W and c, logistic units) and a
 *       new softmax layer on top, as a {@link Sequential} for the training module's
 *       {@code Model} and {@code Trainer};
 *   <li>{@link #autoencoder}: the network unrolled into an encoder (W_1, ..., W_L) and a decoder
 *       (W_Lᵀ, ..., W_1ᵀ with the visible biases), whose output layer gives logits of the
 *       reconstruction (Hinton and Salakhutdinov, "Reducing the Dimensionality of Data with
 *       Neural Networks", Science 2006).
 * </ul>
 * The layers are copies: fine-tuning them leaves the RBMs as they were.
 */
public final class DeepBeliefNet {
    private static final long LAYER_STREAM = 11;
    private final int[] sizes;
    private final List<Rbm> rbms;

    /**
     * A network of {@code sizes.length − 1} untrained RBMs: sizes[0] visible units (of the kind
     * {@code firstUnits}), then the hidden layers; the RBMs above the first have Bernoulli
     * visible units (the hidden units of the one below). Weights from {@code seed}, a stream per layer.
     *
     * @param sizes the layer sizes, visible first, at least two
     * @param firstUnits the kind of the first RBM's visible units
     * @param seed the seed of the weights: the same seed gives the same weights
     * @throws IllegalArgumentException for fewer than two sizes or a size below 1
     */
    public DeepBeliefNet(int[] sizes, VisibleUnits firstUnits, long seed) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("DeepBeliefNet: needs the visible size and at least one hidden size, got "
                    + Arrays.toString(sizes));
        }
        for (int size : sizes) {
            if (size < 1) {
                throw new IllegalArgumentException("DeepBeliefNet: layer sizes must be positive, got "
                        + Arrays.toString(sizes));
            }
        }
        this.sizes = sizes.clone();
        List<Rbm> stack = new ArrayList<>();
        for (int layer = 0; layer + 1 < sizes.length; layer++) {
            stack.add(new Rbm(sizes[layer], sizes[layer + 1], layer == 0 ? firstUnits : VisibleUnits.BERNOULLI,
                    layerSeed(seed, layer)));
        }
        this.rbms = List.copyOf(stack);
    }

    /** The seed of layer {@code layer} (from 0) drawn from a network's or a training's seed. */
    static long layerSeed(long seed, int layer) {
        return SplitMix64.derive(seed, LAYER_STREAM + layer);
    }

    /** {@return the RBMs, bottom first (live: training changes them)} */
    public List<Rbm> rbms() {
        return rbms;
    }

    /** {@return the layer sizes, visible first (a copy)} */
    public int[] sizes() {
        return sizes.clone();
    }

    /**
     * Greedy layer-wise pretraining on {@code count} rows of {@code data} (count, sizes[0]): RBM
     * 1 on the data, RBM l+1 on the hidden probabilities of RBM l. Each layer trains with a copy
     * of {@code options}, its seed derived from the options' seed and the layer; the layers above
     * the first accept probabilities as data. Returns each layer's epochs.
     *
     * @param data the rows, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @param options the settings of each RBM's training (copied per layer)
     * @return per RBM, bottom first, its records per epoch
     * @throws IllegalArgumentException for data that does not fit the first RBM (naming the first bad value)
     * @throws ChainDivergedException   when a layer's training diverges (naming the layer)
     */
    public List<List<RbmTrainer.Epoch>> pretrain(float[] data, int count, RbmTrainingOptions options) {
        Matrices.requireRows("DeepBeliefNet", "training data", data, 0, count, sizes[0]);
        List<List<RbmTrainer.Epoch>> history = new ArrayList<>();
        float[] input = data;
        for (int layer = 0; layer < rbms.size(); layer++) {
            Rbm rbm = rbms.get(layer);
            RbmTrainingOptions layerOptions = options.copy().seed(layerSeed(options.seed(), layer));
            if (layer > 0) {
                layerOptions.acceptProbabilities(true);
            }
            PrintStream log = options.log();
            if (log != null) {
                log.println("DBN layer " + (layer + 1) + " of " + rbms.size() + ": " + rbm.name());
            }
            try {
                history.add(new RbmTrainer(rbm, layerOptions).fit(input, count));
            } catch (ChainDivergedException e) {
                throw new ChainDivergedException("DeepBeliefNet layer " + (layer + 1) + ": " + e.getMessage(), e);
            }
            if (layer + 1 < rbms.size()) {
                float[] next = new float[count * rbm.hidden()];
                rbm.hiddenProbabilities(next, 0, input, 0, count);
                input = next;
            }
        }
        return history;
    }

    /**
     * The hidden probabilities of layer {@code layers} (1 = the first hidden layer) for
     * {@code count} rows of {@code data}: each RBM's P(h | v) applied to the one below's output.
     *
     * @param data the rows, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @param layers the number of RBMs to go through, from 1 to their count
     * @return the probabilities, row-major, (count, sizes[layers])
     */
    public float[] transform(float[] data, int count, int layers) {
        if (layers < 1 || layers > rbms.size()) {
            throw new IllegalArgumentException("DeepBeliefNet: layers must be in 1.." + rbms.size() + ", got " + layers);
        }
        Matrices.requireRows("DeepBeliefNet", "data", data, 0, count, sizes[0]);
        float[] values = data;
        for (int layer = 0; layer < layers; layer++) {
            Rbm rbm = rbms.get(layer);
            float[] next = new float[count * rbm.hidden()];
            rbm.hiddenProbabilities(next, 0, values, 0, count);
            values = next;
        }
        return values;
    }

    /**
     * The recognition network as a classifier: Flatten, then per RBM {@code Dense(V -> H)} with
     * its W and c and a sigmoid, then {@code Dense(H_top -> classes)} (He-normal from
     * {@code seed}) giving the class scores. Named {@code flatten, dense1, sigmoid1, ..., output}.
     *
     * @param inputShape one input without the batch dimension, whose size is sizes[0] (e.g. (1, 28, 28))
     * @param classes the number of classes, at least 2
     * @param seed the seed of the output layer's He-normal weights
     * @return the network, untrained output layer included
     */
    public Sequential classifier(Shape inputShape, int classes, long seed) {
        checkInputShape(inputShape);
        if (classes < 2) {
            throw new IllegalArgumentException("DeepBeliefNet: a classifier needs at least 2 classes, got " + classes);
        }
        Sequential.Builder builder = Sequential.builder(inputShape).add("flatten", new Flatten());
        addEncoder(builder, false);
        builder.add("output", new Dense(sizes[sizes.length - 1], classes, seed));
        return builder.build();
    }

    /**
     * The unrolled deep autoencoder: an encoder (Flatten, then {@code Dense(W_l, c_l)} and a
     * sigmoid per RBM; without the last sigmoid when {@code linearCode}, so that the code is the
     * top layer's total input) and a decoder ({@code Dense(W_lᵀ, b_l)} from the top down, with a
     * sigmoid after each but the last, whose output is the logits of the reconstruction, (n,
     * sizes[0])). Train it with {@link Autoencoder#fit}.
     *
     * @param inputShape one input's shape, without the batch dimension
     * @param linearCode true for a linear code (no sigmoid on the top layer), false for a logistic
     *     one
     * @return the autoencoder
     */
    public Autoencoder autoencoder(Shape inputShape, boolean linearCode) {
        checkInputShape(inputShape);
        Sequential.Builder encoder = Sequential.builder(inputShape).add("flatten", new Flatten());
        addEncoder(encoder, linearCode);
        Sequential.Builder decoder = Sequential.builder(Shape.of(sizes[sizes.length - 1]));
        for (int layer = rbms.size() - 1; layer >= 0; layer--) {
            Rbm rbm = rbms.get(layer);
            Dense dense = new Dense(rbm.hidden(), rbm.visible(), 0);
            transposeInto(dense.weight().value().data(), rbm.weight().value().data(), rbm.hidden(), rbm.visible());
            copy(dense.bias().value().data(), rbm.visibleBias().value().data());
            int number = rbms.size() - layer;
            decoder.add("dense" + number, dense);
            if (layer > 0) {
                decoder.add("sigmoid" + number, ActivationLayer.sigmoid());
            }
        }
        return Autoencoder.of(encoder.build(), decoder.build(), inputShape, Autoencoder.Output.LOGITS);
    }

    private void addEncoder(Sequential.Builder builder, boolean linearCode) {
        for (int layer = 0; layer < rbms.size(); layer++) {
            Rbm rbm = rbms.get(layer);
            Dense dense = new Dense(rbm.visible(), rbm.hidden(), 0);
            copy(dense.weight().value().data(), rbm.weight().value().data());
            copy(dense.bias().value().data(), rbm.hiddenBias().value().data());
            builder.add("dense" + (layer + 1), dense);
            if (!(linearCode && layer == rbms.size() - 1)) {
                builder.add("sigmoid" + (layer + 1), ActivationLayer.sigmoid());
            }
        }
    }

    private void checkInputShape(Shape inputShape) {
        if (inputShape == null || inputShape.size() != sizes[0]) {
            throw new IllegalArgumentException("DeepBeliefNet: the input shape " + inputShape + " does not hold the "
                    + sizes[0] + " visible units");
        }
    }

    private static void copy(float[] to, float[] from) {
        System.arraycopy(from, 0, to, 0, from.length);
    }

    /** to (columns, rows) = fromᵀ, from (rows, columns) row-major. */
    private static void transposeInto(float[] to, float[] from, int rows, int columns) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                to[c * rows + r] = from[r * columns + c];
            }
        }
    }

    @Override
    public String toString() {
        return "DeepBeliefNet" + Arrays.toString(sizes);
    }
}
