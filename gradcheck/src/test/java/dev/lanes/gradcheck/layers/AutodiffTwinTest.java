package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.autodiff.ConvSpec;
import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Nn;
import dev.lanes.autodiff.Var;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.ConvConfig;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.autodiff.NnTest;
import dev.lanes.gradcheck.reference.ActivationFunction;
import dev.lanes.kernels.Activation;
import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.AvgPool2d;
import dev.lanes.layers.BatchNorm;
import dev.lanes.layers.Conv2d;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Dropout;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.GlobalAvgPool2d;
import dev.lanes.layers.GlobalMaxPool2d;
import dev.lanes.layers.Layer;
import dev.lanes.layers.LogSoftmax;
import dev.lanes.layers.MaxPool2d;
import dev.lanes.layers.PReLU;
import dev.lanes.layers.PoolWindow;
import dev.lanes.layers.Softmax;
import dev.lanes.layers.Upsample2d;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each Lanes layer against its twin written with autodiff operations, over generated
 * configurations and training/inference mode: the output, the input gradient and every parameter
 * gradient for a random upstream gradient; and forward/reverse agreement of the twin, so every
 * layer's computation also has the oracle without finite differences.
 *
 * <p>Layers whose twin makes the same kernel calls agree bit for bit: convolution, the four
 * poolings, every activation, softmax and log-softmax, dropout (the same masks), flatten, and
 * the dense layer's output, input gradient and weight gradient (its GEMM adds x·Wᵀ to the copied
 * bias, and the twin's broadcast add of the bias after the GEMM rounds the same sum once). The
 * dense bias gradient sums the rows of g in another order (the layer row by row, the twin's
 * broadcast reduction in its own order), so it agrees within 1e-5 of rows·max|g|. The others compute the same formula differently and agree to rounding, each element
 * within {@code 1e-5} of the largest magnitude of its tensor (plus the same relative to the
 * largest term of a sum, see below): batch normalization (the layer accumulates its statistics
 * and gradient sums in double, the twin in float32, and its input gradient is a difference of
 * terms of size |γ|·|g|/σ, so the bound is taken relative to that), PReLU (written as
 * relu(x) − a·relu(−x)) and nearest upsampling (a reshape and an expand, whose gradient sums the
 * copies in another order). The transposed convolution and bilinear upsampling have twins
 * composed of several operations, which agree to rounding relative to the terms of their sums
 * ({@link ComposedTwinTest}).
 */
class AutodiffTwinTest {
    @Test
    void denseAndConvolution() {
        Cases.qt(1691).forAll(integers().between(0, 2), Gens.conv(true), Gens.gemmConv(true), Gens.seeds())
                .checkAssert((kind, direct, viaGemm, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    boolean training = random.nextBoolean();
                    if (kind == 0) {
                        Shape matrix = Shape.of(1 + random.nextInt(5), 1 + random.nextInt(6));
                        int outputs = 1 + (int) (seed % 5);
                        Dense dense = new Dense(matrix.dim(1), outputs, seed);
                        Twins.randomize(dense.bias(), seed + 5, -1, 1);
                        TwinPair.agree(new TwinPair("dense " + matrix + " to " + outputs, dense,
                                in -> Nn.linear(in[0], in[1], in[2]), Values.uniform(matrix, seed, -2, 2), true, 0,
                                true), training, seed);
                    } else {
                        ConvConfig c = kind == 1 ? direct : viaGemm;
                        Conv2d conv = ConvTest.conv(c, true, seed);
                        ConvSpec spec = NnTest.spec(c);
                        TwinPair.agree(new TwinPair("conv2d " + c, conv, in -> Nn.conv2d(in[0], in[1], in[2], spec),
                                Values.uniform(c.inputShape(), seed, -2, 2), true), training, seed);
                    }
                });
    }

    @Test
    void pooling() {
        Cases.qt(1693).forAll(integers().between(0, 4), Gens.pool(true, true), Gens.trainingModes(), Gens.seeds())
                .checkAssert((kind, c, training, seed) -> {
                    PoolWindow window = PoolTest.window(c);
                    Tensor distinct = Values.distinct(c.inputShape(), seed);
                    Tensor x = Values.uniform(c.inputShape(), seed, -2, 2);
                    TwinPair pair = switch (kind) {
                        case 0 -> new TwinPair("max pool " + c, new MaxPool2d(window),
                                in -> Nn.maxPool2d(in[0], window), distinct, true);
                        case 1 -> new TwinPair("avg pool " + c, new AvgPool2d(window, true),
                                in -> Nn.avgPool2d(in[0], window, true), x, true);
                        case 2 -> new TwinPair("avg pool (padding not counted) " + c, new AvgPool2d(window, false),
                                in -> Nn.avgPool2d(in[0], window, false), x, true);
                        case 3 -> new TwinPair("global max pool " + c.inputShape(), new GlobalMaxPool2d(),
                                in -> Nn.globalMaxPool2d(in[0]), distinct, true);
                        default -> new TwinPair("global avg pool " + c.inputShape(), new GlobalAvgPool2d(),
                                in -> Nn.globalAvgPool2d(in[0]), x, true);
                    };
                    TwinPair.agree(pair, training, seed);
                });
    }

    @Test
    void pointwiseLayers() {
        ActivationFunction[] all = ActivationFunction.values();
        Cases.qt(1695).forAll(integers().between(0, 4), integers().between(0, all.length - 1), Gens.shapes(2, 4, 4),
                Gens.seeds()).checkAssert((kind, index, shape, seed) -> {
                    boolean training = new SplittableRandom(seed).nextBoolean();
                    Tensor x = Values.uniform(shape, seed, -3, 3);
                    TwinPair pair = switch (kind) {
                        case 0 -> {
                            Layer layer = ActivationTest.layer(all[index]);
                            Activation activation = ((ActivationLayer) layer).activation();
                            yield new TwinPair(activation + " " + shape, layer, in -> in[0].activation(activation),
                                    ActivationTest.input(all[index], shape, seed), true);
                        }
                        case 1 -> new TwinPair("softmax " + shape, new Softmax(), in -> in[0].softmax(), x, true);
                        case 2 -> new TwinPair("log-softmax " + shape, new LogSoftmax(), in -> in[0].logSoftmax(), x,
                                true);
                        case 3 -> new TwinPair("dropout 0.3 " + shape, new Dropout(0.3f, seed),
                                in -> Nn.dropout(in[0], 0.3f, seed), x, true);
                        default -> new TwinPair("flatten " + shape, new Flatten(),
                                in -> in[0].reshape(shape.dim(0), -1), x, true);
                    };
                    TwinPair.agree(pair, training, seed);
                });
    }

    @Test
    void normalizationPReluAndUpsampling() {
        Cases.qt(1697).forAll(integers().between(0, 2), BatchNormTest.shapes2d(), BatchNormTest.shapes1d(),
                Gens.seeds()).checkAssert((kind, image, matrix, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    boolean training = random.nextBoolean();
                    boolean flag = random.nextBoolean();
                    TwinPair pair = switch (kind) {
                        case 0 -> batchNorm(flag ? image : matrix, training, seed);
                        case 1 -> {
                            PReLU layer = new PReLU(image.dim(1));
                            Twins.randomize(layer.slope(), seed + 1, -0.5, 1.5);
                            int[] channel = channelShape(image);
                            yield new TwinPair("PReLU " + image, layer,
                                    in -> in[0].relu().sub(in[0].neg().relu().mul(in[1].reshape(channel))),
                                    Values.awayFrom(image, seed, -4, 4, Values.DEFAULT_MARGIN, 0), false);
                        }
                        default -> {
                            int sh = 1 + (int) (seed % 3);
                            int sw = 1 + (int) ((seed / 3) % 3);
                            int n = image.dim(0);
                            int c = image.dim(1);
                            int h = image.dim(2);
                            int w = image.dim(3);
                            yield new TwinPair("nearest upsampling x(" + sh + ", " + sw + ") " + image,
                                    Upsample2d.nearest(sh, sw), in -> in[0].reshape(n, c, h, 1, w, 1)
                                            .expand(n, c, h, sh, w, sw).reshape(n, c, h * sh, w * sw),
                                    Values.uniform(image, seed, -2, 2), false);
                        }
                    };
                    TwinPair.agree(pair, training, seed);
                });
    }

    /**
     * Layers as nodes ({@link Nn#layer}) inside a function, between operations: the transposed
     * convolution, bilinear upsampling, batch normalization and the dense layer, in
     * training or inference mode; the function's input gradient, which runs the layer's own
     * backward, against central differences.
     */
    @Test
    void layersAsNodes() {
        Cases.qt(1699).forAll(integers().between(0, 3), Gens.transposedConv(true), Gens.upsample(), Gens.seeds())
                .checkAssert((kind, transposed, upsample, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    boolean training = random.nextBoolean();
                    // (N, C, H, W) with H >= 2, so a batch norm sees two values per channel
                    Shape image = Shape.of(1 + random.nextInt(2), 1 + random.nextInt(3), 2 + random.nextInt(2),
                            1 + random.nextInt(3));
                    Layer layer;
                    Tensor x;
                    switch (kind) {
                        case 0 -> {
                            layer = ConvTransposeTest.layer(transposed, true, seed);
                            x = Values.uniform(transposed.inputShape(), seed, -1, 1);
                        }
                        case 1 -> {
                            layer = UpsampleTest.layer(upsample);
                            x = Values.uniform(upsample.inputShape(), seed, -1, 1);
                        }
                        case 2 -> {
                            layer = BatchNormTest.layer(image, true, seed);
                            x = Values.distinctPerChannel(image, seed, 0.5);
                        }
                        default -> {
                            layer = new Dense(image.size() / image.dim(0), 3, seed);
                            x = Values.uniform(image, seed, -1, 1);
                        }
                    }
                    Shape layerInput = kind == 3 ? Shape.of(x.dim(0), x.size() / x.dim(0)) : x.shape();
                    Tensor c = Values.uniform(layer.outputShape(layerInput), seed + 9, 0.5, 2);
                    Function f = in -> {
                        in[0].tape().training(training);
                        Var h = kind == 3 ? in[0].reshape(x.dim(0), -1) : in[0];
                        Var y = Nn.layer(layer, h.mul(0.5f).add(0.25f));
                        return y.tanh().mul(y.tape().constant(c));
                    };
                    dev.lanes.gradcheck.GradCheck.autodiff("layer node " + layer.name() + " " + x.shape()
                            + (training ? " (training)" : " (inference)"), f).inputs(x).seed(seed).check();
                });
    }


    /** (1, C, 1, ...) for a tensor (N, C, ...): a per-channel vector that broadcasts. */
    private static int[] channelShape(Shape shape) {
        int[] dims = new int[shape.rank()];
        java.util.Arrays.fill(dims, 1);
        dims[1] = shape.dim(1);
        return dims;
    }

    /**
     * y = γ·(x − μ)/√(σ² + ε) + β per channel: in training with the batch mean and (biased)
     * variance over every axis but the channel's, in inference with the running statistics.
     */
    private static TwinPair batchNorm(Shape shape, boolean training, long seed) {
        BatchNorm bn = BatchNormTest.layer(shape, true, seed);
        int[] channel = channelShape(shape);
        float epsilon = bn.epsilon();
        Tensor runningMean = bn.runningMean().copy().reshape(channel);
        Tensor runningVar = bn.runningVar().copy().reshape(channel);
        Function twin = in -> {
            Var x = in[0];
            Var mean;
            Var variance;
            if (training) {
                mean = perChannelMean(x);
                variance = perChannelMean(x.sub(mean).square());
            } else {
                mean = x.tape().constant(runningMean);
                variance = x.tape().constant(runningVar);
            }
            Var normalized = x.sub(mean).div(variance.add(epsilon).sqrt());
            return normalized.mul(in[1].reshape(channel)).add(in[2].reshape(channel));
        };
        Tensor x = Values.distinctPerChannel(shape, seed, 0.5);
        double largestInverseStd = 0;
        for (int c = 0; c < shape.dim(1); c++) {
            double variance = training ? channelVariance(x, c) : bn.runningVar().get(c);
            largestInverseStd = Math.max(largestInverseStd, 1 / Math.sqrt(variance + epsilon));
        }
        return new TwinPair("batch norm " + shape, bn, twin, x, false,
                TwinPair.maxAbs(bn.weight().value()) * largestInverseStd, false);
    }

    /** The biased variance of channel c of x (N, C, ...), in double. */
    private static double channelVariance(Tensor x, int c) {
        Tensor channel = x.select(1, c).contiguous();
        float[] values = channel.toArray();
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (float v : values) {
            squares += (v - mean) * (v - mean);
        }
        return squares / values.length;
    }

    private static Var perChannelMean(Var x) {
        Var mean = x.mean(0, true);
        for (int axis = 2; axis < x.shape().rank(); axis++) {
            mean = mean.mean(axis, true);
        }
        return mean;
    }
}
