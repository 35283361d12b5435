package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.Generate.enumValues;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.kernels.Activation;
import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.AvgPool2d;
import dev.lanes.layers.BatchNorm1d;
import dev.lanes.layers.BatchNorm2d;
import dev.lanes.layers.Conv2d;
import dev.lanes.layers.ConvTranspose2d;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Dropout;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.GlobalAvgPool2d;
import dev.lanes.layers.GlobalMaxPool2d;
import dev.lanes.layers.Layer;
import dev.lanes.layers.LogSoftmax;
import dev.lanes.layers.MaxPool2d;
import dev.lanes.layers.PReLU;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.PoolWindow;
import dev.lanes.layers.Sequential;
import dev.lanes.layers.Softmax;
import dev.lanes.layers.Upsample2d;
import dev.lanes.layers.loss.Loss;
import dev.lanes.layers.loss.Reduction;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Laws about the state a layer or loss keeps between calls (its workspaces, saved inputs, kernel
 * plans), for every layer and loss, on generated cases:
 * <ul>
 *   <li>backward twice after one forward gives the same input gradient bit for bit and exactly
 *       twice the parameter gradients (backward adds into them: g + g is exact in float);</li>
 *   <li>a layer that has run on one input shape and is then fed another (another batch, height
 *       or width) gives the same bits as a fresh layer with the same parameters, and so it does
 *       when fed the first shape again;</li>
 *   <li>a loss used on one prediction, then on another of the same or another shape, gives the
 *       value and gradient of a fresh loss.</li>
 * </ul>
 * These are exact comparisons: both sides run the same code on the same data.
 */
class StateLawsTest {
    /** One subject per layer type (and configuration that takes another kernel path). */
    enum Subject {
        DENSE, CONV, CONV_STRIDED_PADDED, CONV_GEMM, CONV_TRANSPOSE, MAX_POOL, AVG_POOL, GLOBAL_MAX_POOL,
        GLOBAL_AVG_POOL, BATCH_NORM_1D, BATCH_NORM_2D, PRELU, DROPOUT, FLATTEN, SOFTMAX, LOG_SOFTMAX,
        UPSAMPLE_NEAREST, UPSAMPLE_BILINEAR, ACTIVATION, SEQUENTIAL;

        /** Channels (or features) of the inputs, fixed per case. */
        int channels(SplittableRandom random) {
            return switch (this) {
                case CONV_GEMM -> 8 + random.nextInt(3);
                case SEQUENTIAL -> 2;
                default -> 1 + random.nextInt(3);
            };
        }

        /** A layer for inputs of {@code channels}; the same arguments give the same parameters. */
        Layer layer(int channels, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            return switch (this) {
                case DENSE -> new Dense(channels, 1 + random.nextInt(4), seed);
                case CONV -> new Conv2d(channels, 1 + random.nextInt(3), 1 + random.nextInt(3), seed);
                case CONV_STRIDED_PADDED -> Conv2d.builder(channels, 2, 3).stride(2).padding(1).dilation(1)
                        .seed(seed).build();
                case CONV_GEMM -> Conv2d.builder(channels, 8, 3).padding(1).seed(seed).build();
                case CONV_TRANSPOSE -> ConvTranspose2d.builder(channels, 2, 3).stride(2).padding(1).seed(seed)
                        .build();
                case MAX_POOL -> new MaxPool2d(PoolWindow.of(2).stride(1 + random.nextInt(2)));
                case AVG_POOL -> new AvgPool2d(PoolWindow.of(3).stride(2).padding(1), random.nextBoolean());
                case GLOBAL_MAX_POOL -> new GlobalMaxPool2d();
                case GLOBAL_AVG_POOL -> new GlobalAvgPool2d();
                case BATCH_NORM_1D -> new BatchNorm1d(channels);
                case BATCH_NORM_2D -> new BatchNorm2d(channels);
                case PRELU -> new PReLU(channels);
                case DROPOUT -> new Dropout(0.5f, seed);
                case FLATTEN -> new Flatten();
                case SOFTMAX -> new Softmax();
                case LOG_SOFTMAX -> new LogSoftmax();
                case UPSAMPLE_NEAREST -> Upsample2d.nearest(2);
                case UPSAMPLE_BILINEAR -> Upsample2d.bilinear(2);
                case ACTIVATION -> new ActivationLayer(ACTIVATIONS.get(random.nextInt(ACTIVATIONS.size())));
                case SEQUENTIAL -> new Sequential(Shape.of(channels, 6, 6),
                        new Conv2d(channels, 3, 3, seed), new ActivationLayer(Activation.RELU), new MaxPool2d(2),
                        new Flatten(), new Dense(12, 3, seed + 1));
            };
        }

        /** An input shape for this layer: batch 1 to 3 and, for images, height and width 3 to 8. */
        Shape shape(int channels, SplittableRandom random) {
            int batch = 1 + random.nextInt(3);
            int height = 3 + random.nextInt(6);
            int width = 3 + random.nextInt(6);
            return switch (this) {
                case DENSE, PRELU -> Shape.of(batch, channels);
                // Batch norm over features needs two rows for a variance in training.
                case BATCH_NORM_1D -> Shape.of(batch + 1, channels);
                case SOFTMAX, LOG_SOFTMAX -> Shape.of(batch, 1 + random.nextInt(6));
                case SEQUENTIAL -> Shape.of(batch, channels, 6, 6);
                default -> Shape.of(batch, channels, height, width);
            };
        }
    }

    private static final List<Activation> ACTIVATIONS = List.of(Activation.RELU, Activation.SIGMOID, Activation.TANH,
            Activation.GELU_TANH, Activation.GELU_ERF, Activation.SELU, Activation.ELU, Activation.MISH,
            Activation.SOFTPLUS, Activation.HARD_SWISH, Activation.LEAKY_RELU);

    @ParameterizedTest
    @EnumSource(Subject.class)
    void backwardTwiceGivesTheSameInputGradientAndTwiceTheParameterGradients(Subject subject) {
        Cases.qt(1501 + subject.ordinal()).forAll(Gens.seeds(), Gens.trainingModes())
                .checkAssert((seed, training) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int channels = subject.channels(random);
                    Layer layer = subject.layer(channels, seed);
                    Shape shape = subject.shape(channels, random);
                    String context = layer.name() + " at input " + shape + (training ? " (training)" : "")
                            + ", seed " + seed;
                    Tensor x = Values.uniform(shape, seed + 1, -2, 2);
                    Tensor y = forward(subject, layer, x, training);
                    Tensor g = Values.uniform(y.shape(), seed + 2, -1, 1);
                    LayerLaws.zeroGrads(layer);
                    float[] first = layer.backward(g).toArray();
                    List<float[]> once = grads(layer);
                    float[] second = layer.backward(g).toArray();
                    assertSameBits(context + ": input gradient of the second backward", first, second);
                    List<float[]> twice = grads(layer);
                    for (int i = 0; i < once.size(); i++) {
                        float[] doubled = once.get(i).clone();
                        for (int j = 0; j < doubled.length; j++) {
                            doubled[j] *= 2;
                        }
                        assertSameBits(context + ": gradient of " + layer.parameters().get(i).name()
                                + " after two backward passes (twice that of one)", doubled, twice.get(i));
                    }
                });
    }

    @ParameterizedTest
    @EnumSource(Subject.class)
    void aNewInputShapeGivesWhatAFreshLayerGives(Subject subject) {
        Cases.qt(1531 + subject.ordinal()).forAll(Gens.seeds(), Gens.trainingModes())
                .checkAssert((seed, training) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int channels = subject.channels(random);
                    Shape first = subject.shape(channels, random);
                    Shape second = subject.shape(channels, random);
                    for (int attempt = 0; second.equals(first) && attempt < 20; attempt++) {
                        second = subject.shape(channels, random);
                    }
                    Layer used = subject.layer(channels, seed);
                    String context = used.name() + " fed " + first + " then " + second
                            + (training ? " (training)" : "") + ", seed " + seed;
                    float[][] before = step(subject, used, first, training, seed + 1);
                    float[][] after = step(subject, used, second, training, seed + 2);
                    float[][] fresh = step(subject, subject.layer(channels, seed), second, training, seed + 2);
                    compare(context, used, fresh, after);
                    float[][] back = step(subject, used, first, training, seed + 1);
                    compare(context + ", then " + first + " again", used, before, back);
                });
    }

    @ParameterizedTest
    @EnumSource(LossTest.Case.class)
    void aLossBackwardTwiceAndReusedGivesWhatAFreshLossGives(LossTest.Case c) {
        Cases.qt(1561 + c.ordinal()).forAll(c.shapes(), c.shapes(), enumValues(Reduction.class),
                Gens.seeds()).checkAssert((shape, other, reduction, seed) -> {
                    String context = c + " (" + reduction + ") at " + shape + " then " + other + ", seed " + seed;
                    Loss loss = c.loss(reduction);
                    Tensor[] a = c.data(shape, seed);
                    Tensor[] b = c.data(shape, seed + 1);
                    Tensor[] d = c.data(other, seed + 2);
                    loss.forward(a[0], a[1]);
                    float[] once = loss.backward().toArray();
                    assertSameBits(context + ": second backward", once, loss.backward().toArray());
                    for (Tensor[] next : List.of(b, d, a)) {
                        float value = loss.forward(next[0], next[1]);
                        float[] gradient = loss.backward().toArray();
                        Loss fresh = c.loss(reduction);
                        float expected = fresh.forward(next[0], next[1]);
                        String what = context + ", then " + next[0].shape();
                        assertSameBits(what + ": loss", new float[] {expected}, new float[] {value});
                        assertSameBits(what + ": gradient", fresh.backward().toArray(), gradient);
                    }
                });
    }

    /** Forward, then backward of a seeded output gradient with zeroed parameter gradients: {y, dx, grads...}. */
    private static float[][] step(Subject subject, Layer layer, Shape shape, boolean training, long seed) {
        Tensor x = Values.uniform(shape, seed, -2, 2);
        Tensor y = forward(subject, layer, x, training);
        float[] output = y.toArray();
        LayerLaws.zeroGrads(layer);
        float[] dx = layer.backward(Values.uniform(y.shape(), seed + 7, -1, 1)).toArray();
        List<float[]> grads = grads(layer);
        float[][] out = new float[2 + grads.size()][];
        out[0] = output;
        out[1] = dx;
        for (int i = 0; i < grads.size(); i++) {
            out[2 + i] = grads.get(i);
        }
        return out;
    }

    /** Dropout draws mask number 3 on every forward, so two layers draw the same mask. */
    private static Tensor forward(Subject subject, Layer layer, Tensor x, boolean training) {
        if (subject == Subject.DROPOUT) {
            ((Dropout) layer).setCalls(3);
        }
        return layer.forward(x, training);
    }

    private static List<float[]> grads(Layer layer) {
        return layer.parameters().stream().map(Parameter::grad).map(Tensor::toArray).toList();
    }

    private static void compare(String context, Layer layer, float[][] expected, float[][] actual) {
        for (int i = 0; i < expected.length; i++) {
            String what = i == 0 ? "output" : i == 1 ? "input gradient"
                    : "gradient of " + layer.parameters().get(i - 2).name();
            assertSameBits(context + ": " + what + " (against a fresh layer)", expected[i], actual[i]);
        }
    }

    static void assertSameBits(String what, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(String.format(Locale.ROOT, "%s: element %d is %s, expected %s", what, i,
                        actual[i], expected[i]));
            }
        }
    }
}
