package dev.lanes.unsupervised;

import dev.lanes.kernels.VectorMath;
import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.Conv2d;
import dev.lanes.layers.ConvTranspose2d;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.Sequential;
import dev.lanes.layers.Upsample2d;
import dev.lanes.layers.loss.BinaryCrossEntropyWithLogits;
import dev.lanes.layers.loss.Loss;
import dev.lanes.layers.loss.MeanSquaredError;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.optim.Adam;
import dev.lanes.training.random.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An autoencoder: an encoder network maps an input to a code, a decoder maps the code back to a
 * reconstruction of the input, and training minimises the reconstruction loss by backpropagation
 * (Adam). With {@linkplain AutoencoderOptions#noise masking noise} it is a denoising autoencoder
 * (Vincent et al., 2008): each input value is set to 0 with probability p and the target is the
 * clean input.
 *
 * <p>The decoder's output is either {@link Output#LOGITS} (the reconstruction is σ(output), the
 * loss binary cross-entropy against targets in [0, 1]) or {@link Output#LINEAR} (the output is the
 * reconstruction, the loss squared error). Data are row-major rows of the input shape's size.
 * Factories build a dense ({@link #dense}) and a convolutional ({@link #convolutional}) model;
 * {@link DeepBeliefNet#autoencoder} one from a pretrained stack of RBMs.
 */
public final class Autoencoder {
    /** What the decoder's output means, and the loss that goes with it. */
    public enum Output {
        /** Logits z of the reconstruction σ(z); binary cross-entropy. */
        LOGITS,
        /** The reconstruction itself; squared error. */
        LINEAR
    }

    /**
     * One epoch's record: its number (from 1), the mean training loss and the seconds it took.
     *
     * @param epoch the epoch's number, from 1
     * @param loss the mean training loss of the epoch
     * @param seconds the wall time of the epoch, in seconds
     */
    public record Epoch(int epoch, double loss, double seconds) {
    }

    private static final long SHUFFLE_STREAM = 21;
    private static final long NOISE_STREAM = 22;

    private final Sequential encoder;
    private final Sequential decoder;
    private final Sequential network;
    private final Shape inputShape;
    private final Shape codeShape;
    private final Output output;
    private int epochsDone;

    private Autoencoder(Sequential encoder, Sequential decoder, Shape inputShape, Output output) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.inputShape = inputShape;
        this.codeShape = encoder.outputShape();
        this.output = output;
        this.network = Sequential.builder(inputShape).add("encoder", encoder).add("decoder", decoder).build();
    }

    /**
     * An autoencoder of {@code encoder} (for inputs of {@code inputShape}, without the batch
     * dimension) and {@code decoder}, whose input is the encoder's output and whose output holds
     * as many values as an input.
     *
     * @param encoder the encoder, from an input to its code
     * @param decoder the decoder, from a code to a reconstruction
     * @param inputShape one input's shape, without the batch dimension
     * @param output what the decoder's output is: logits (binary cross-entropy) or the
     *     reconstruction (squared error)
     * @return the autoencoder
     * @throws IllegalArgumentException naming the shapes that do not fit
     */
    public static Autoencoder of(Sequential encoder, Sequential decoder, Shape inputShape, Output output) {
        if (encoder == null || decoder == null || inputShape == null || output == null) {
            throw new IllegalArgumentException("Autoencoder: encoder, decoder, input shape and output must not be null");
        }
        if (!encoder.inputShape().equals(inputShape)) {
            throw new IllegalArgumentException("Autoencoder: the encoder takes " + encoder.inputShape()
                    + ", not the input shape " + inputShape);
        }
        if (!decoder.inputShape().equals(encoder.outputShape())) {
            throw new IllegalArgumentException("Autoencoder: the decoder takes " + decoder.inputShape()
                    + " but the encoder gives codes of " + encoder.outputShape());
        }
        if (decoder.outputShape().size() != inputShape.size()) {
            throw new IllegalArgumentException("Autoencoder: the decoder gives " + decoder.outputShape() + " ("
                    + decoder.outputShape().size() + " values) for inputs of " + inputShape + " ("
                    + inputShape.size() + " values)");
        }
        return new Autoencoder(encoder, decoder, inputShape, output);
    }

    /**
     * A dense autoencoder: Flatten, {@code Dense(sizes[l] -> sizes[l+1])} with ReLU between
     * (none after the code layer, a linear code), then the mirror image down to sizes[0], the
     * last layer without activation (its output is as {@code output} says). He-normal weights
     * from {@code seed}. E.g. sizes {784, 256, 32}.
     *
     * @param sizes the layer sizes from the input to the code, {@code sizes[0]} the input size
     * @param inputShape one input's shape, without the batch dimension
     * @param output what the decoder's output is: logits (binary cross-entropy) or the
     *     reconstruction (squared error)
     * @param seed the seed of the weights: the same seed gives the same weights
     * @return the autoencoder
     */
    public static Autoencoder dense(int[] sizes, Shape inputShape, Output output, long seed) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("Autoencoder: needs the input size and at least the code size, got "
                    + Arrays.toString(sizes));
        }
        if (inputShape == null || inputShape.size() != sizes[0]) {
            throw new IllegalArgumentException("Autoencoder: the input shape " + inputShape + " does not hold "
                    + sizes[0] + " values");
        }
        Sequential.Builder encoder = Sequential.builder(inputShape).add("flatten", new Flatten());
        int last = sizes.length - 1;
        for (int l = 0; l < last; l++) {
            encoder.add("dense" + (l + 1), new Dense(sizes[l], sizes[l + 1], SplitMix64.derive(seed, l)));
            if (l + 1 < last) {
                encoder.add("relu" + (l + 1), ActivationLayer.relu());
            }
        }
        Sequential.Builder decoder = Sequential.builder(Shape.of(sizes[last]));
        for (int l = last; l > 0; l--) {
            int number = last - l + 1;
            decoder.add("dense" + number, new Dense(sizes[l], sizes[l - 1], SplitMix64.derive(seed, 100 + l)));
            if (l > 1) {
                decoder.add("relu" + number, ActivationLayer.relu());
            }
        }
        return of(encoder.build(), decoder.build(), inputShape, output);
    }

    /**
     * A convolutional autoencoder for (channels, h, w) images with h and w divisible by 4: the
     * encoder is two 3x3 convolutions of stride 2 with ReLU (to {@code first}, then
     * {@code second} channels at h/4 x w/4, the code); the decoder a 3x3 transposed convolution
     * of stride 2 (padding 1, output padding 1) with ReLU back to h/2 x w/2, nearest-neighbour
     * upsampling to h x w, and a 3x3 convolution to the input's channels.
     *
     * @param inputShape one input's shape, without the batch dimension
     * @param first the channels of the first convolution's output
     * @param second the channels of the code
     * @param output what the decoder's output is: logits (binary cross-entropy) or the
     *     reconstruction (squared error)
     * @param seed the seed of the weights: the same seed gives the same weights
     * @return the autoencoder
     */
    public static Autoencoder convolutional(Shape inputShape, int first, int second, Output output, long seed) {
        if (inputShape == null || inputShape.rank() != 3 || inputShape.dim(1) % 4 != 0 || inputShape.dim(2) % 4 != 0) {
            throw new IllegalArgumentException("Autoencoder: a convolutional autoencoder takes (channels, h, w) "
                    + "images with h and w divisible by 4, got " + inputShape);
        }
        if (first < 1 || second < 1) {
            throw new IllegalArgumentException("Autoencoder: channel counts must be positive, got " + first + " and "
                    + second);
        }
        int channels = inputShape.dim(0);
        Sequential encoder = Sequential.builder(inputShape)
                .add("conv1", Conv2d.builder(channels, first, 3).stride(2).padding(1).seed(SplitMix64.derive(seed, 1))
                        .build())
                .add("relu1", ActivationLayer.relu())
                .add("conv2", Conv2d.builder(first, second, 3).stride(2).padding(1).seed(SplitMix64.derive(seed, 2))
                        .build())
                .add("relu2", ActivationLayer.relu())
                .build();
        Sequential decoder = Sequential.builder(encoder.outputShape())
                .add("deconv1", ConvTranspose2d.builder(second, first, 3).stride(2).padding(1).outputPadding(1)
                        .seed(SplitMix64.derive(seed, 3)).build())
                .add("relu1", ActivationLayer.relu())
                .add("upsample", Upsample2d.nearest(2))
                .add("conv2", Conv2d.builder(first, channels, 3).padding(1).seed(SplitMix64.derive(seed, 4)).build())
                .build();
        return of(encoder, decoder, inputShape, output);
    }

    /** {@return the encoder} */
    public Sequential encoder() {
        return encoder;
    }

    /** {@return the decoder} */
    public Sequential decoder() {
        return decoder;
    }

    /**
     * Encoder then decoder, one network (parameters {@code encoder.*}, {@code decoder.*}).
     *
     * @return the encoder followed by the decoder, as one network
     */
    public Sequential network() {
        return network;
    }

    /** {@return one input's shape, without the batch dimension} */
    public Shape inputShape() {
        return inputShape;
    }

    /** {@return one code's shape, without the batch dimension} */
    public Shape codeShape() {
        return codeShape;
    }

    /** {@return what the decoder's output means} */
    public Output output() {
        return output;
    }

    /**
     * Trains on {@code count} rows of {@code data} (count, input size): per epoch a permutation
     * from the seed, mini-batches, optional masking noise on the inputs, the reconstruction loss
     * against the clean rows, Adam. Returns the epochs' records.
     *
     * @param data the rows, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @param options the training settings
     * @return one record per epoch
     * @throws IllegalArgumentException for data of the wrong length, or outside [0, 1] with
     *                                  {@link Output#LOGITS}
     * @throws IllegalStateException    when the loss becomes NaN or infinite, after putting the
     *                                  parameters back to the end of the last good epoch
     */
    public List<Epoch> fit(float[] data, int count, AutoencoderOptions options) {
        int size = inputShape.size();
        if (count < 1) {
            throw new IllegalArgumentException("Autoencoder: training needs at least one row, got " + count);
        }
        Matrices.requireRows("Autoencoder", "training data", data, 0, count, size);
        Matrices.requireValues("Autoencoder", "training data", data, 0, count, size, false, output == Output.LOGITS);
        Loss loss = output == Output.LOGITS ? new BinaryCrossEntropyWithLogits() : new MeanSquaredError();
        List<Parameter> parameters = network.parameters();
        Adam adam = new Adam(parameters, options.learningRate());
        SplitMix64 noise = new SplitMix64(SplitMix64.derive(options.seed(), NOISE_STREAM));
        int[] order = new int[count];
        List<Epoch> epochs = new ArrayList<>();
        float[][] good = snapshot(parameters);
        Batches batches = new Batches(options.batchSize(), size);
        for (int e = 0; e < options.epochs(); e++) {
            long start = System.nanoTime();
            int epoch = epochsDone + 1;
            Permutations.shuffle(order, new SplitMix64(SplitMix64.derive(SplitMix64.derive(options.seed(),
                    SHUFFLE_STREAM), epoch)));
            double sum = 0;
            for (int first = 0; first < count; first += options.batchSize()) {
                int n = Math.min(options.batchSize(), count - first);
                float[] input = batches.input(n);
                float[] target = batches.target(n);
                for (int row = 0; row < n; row++) {
                    System.arraycopy(data, order[first + row] * size, target, row * size, size);
                }
                System.arraycopy(target, 0, input, 0, n * size);
                corrupt(input, n * size, options.noise(), noise);
                Tensor prediction = network.forward(Tensor.wrap(input, withBatch(n, inputShape)), true);
                float value = loss.forward(prediction, Tensor.wrap(target, withBatch(n, decoder.outputShape())));
                if (!Float.isFinite(value)) {
                    restore(parameters, good);
                    throw new IllegalStateException("Autoencoder: the loss became " + value + " in epoch " + epoch
                            + " (rows " + first + " to " + (first + n - 1) + "); the parameters are back to "
                            + (epochsDone == 0 ? "their values before training" : "the end of epoch " + epochsDone)
                            + ". Try a smaller learning rate than " + options.learningRate());
                }
                network.backward(loss.backward());
                adam.step();
                sum += (double) value * n;
            }
            good = snapshot(parameters);
            epochsDone = epoch;
            Epoch record = new Epoch(epoch, sum / count, (System.nanoTime() - start) / 1e9);
            epochs.add(record);
            if (options.log() != null) {
                options.log().printf(Locale.ROOT, "epoch %3d  loss %.5f  %.1f s%n", epoch, record.loss(),
                        record.seconds());
            }
        }
        return epochs;
    }

    /** Sets each value to 0 with probability p (masking noise). */
    private static void corrupt(float[] input, int length, double p, SplitMix64 random) {
        if (p == 0) {
            return;
        }
        for (int i = 0; i < length; i++) {
            if (random.nextDouble() < p) {
                input[i] = 0f;
            }
        }
    }

    /**
     * The codes (count, code size) of {@code count} rows of {@code data}, in inference mode.
     *
     * @param data the rows, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @return the codes, row-major
     */
    public float[] encode(float[] data, int count) {
        return run(encoder, data, count, codeShape.size(), false);
    }

    /**
     * The reconstructions (count, input size): σ(output) for {@link Output#LOGITS}, else the output.
     *
     * @param data the rows, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @return the reconstructions, row-major
     */
    public float[] reconstruct(float[] data, int count) {
        return run(network, data, count, inputShape.size(), output == Output.LOGITS);
    }

    /**
     * The decoder's reconstructions (count, input size) of {@code count} codes.
     *
     * @param codes the codes, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @return the reconstructions, row-major
     */
    public float[] decode(float[] codes, int count) {
        Matrices.requireRows("Autoencoder", "codes", codes, 0, count, codeShape.size());
        float[] out = new float[count * inputShape.size()];
        int batch = 256;
        for (int first = 0; first < count; first += batch) {
            int n = Math.min(batch, count - first);
            Tensor codeBatch = Tensor.wrap(Arrays.copyOfRange(codes, first * codeShape.size(),
                    (first + n) * codeShape.size()), withBatch(n, codeShape));
            Tensor result = decoder.forward(codeBatch, false).contiguous();
            System.arraycopy(result.data(), result.offset(), out, first * inputShape.size(), n * inputShape.size());
        }
        if (output == Output.LOGITS) {
            VectorMath.sigmoid(out, 0, out, 0, out.length);
        }
        return out;
    }

    private float[] run(Sequential layers, float[] data, int count, int width, boolean sigmoid) {
        int size = inputShape.size();
        Matrices.requireRows("Autoencoder", "data", data, 0, count, size);
        float[] out = new float[count * width];
        int batch = 256;
        for (int first = 0; first < count; first += batch) {
            int n = Math.min(batch, count - first);
            Tensor input = Tensor.wrap(Arrays.copyOfRange(data, first * size, (first + n) * size),
                    withBatch(n, inputShape));
            Tensor result = layers.forward(input, false).contiguous();
            System.arraycopy(result.data(), result.offset(), out, first * width, n * width);
        }
        if (sigmoid) {
            VectorMath.sigmoid(out, 0, out, 0, out.length);
        }
        return out;
    }

    private static int[] withBatch(int n, Shape shape) {
        int[] dims = new int[shape.rank() + 1];
        dims[0] = n;
        System.arraycopy(shape.dims(), 0, dims, 1, shape.rank());
        return dims;
    }

    private static float[][] snapshot(List<Parameter> parameters) {
        float[][] copy = new float[parameters.size()][];
        for (int p = 0; p < copy.length; p++) {
            copy[p] = parameters.get(p).value().toArray();
        }
        return copy;
    }

    private static void restore(List<Parameter> parameters, float[][] values) {
        for (int p = 0; p < values.length; p++) {
            Tensor value = parameters.get(p).value();
            System.arraycopy(values[p], 0, value.data(), value.offset(), values[p].length);
        }
    }

    /** Input and target buffers of the full batch size, and of the one short last batch. */
    private static final class Batches {
        private final int batchSize;
        private final int size;
        private final float[] input;
        private final float[] target;
        private float[] shortInput;
        private float[] shortTarget;

        Batches(int batchSize, int size) {
            this.batchSize = batchSize;
            this.size = size;
            this.input = new float[batchSize * size];
            this.target = new float[batchSize * size];
        }

        float[] input(int n) {
            if (n == batchSize) {
                return input;
            }
            if (shortInput == null || shortInput.length != n * size) {
                shortInput = new float[n * size];
            }
            return shortInput;
        }

        float[] target(int n) {
            if (n == batchSize) {
                return target;
            }
            if (shortTarget == null || shortTarget.length != n * size) {
                shortTarget = new float[n * size];
            }
            return shortTarget;
        }
    }

    @Override
    public String toString() {
        return "Autoencoder(" + inputShape + " -> " + codeShape + ", " + output + ")";
    }
}
