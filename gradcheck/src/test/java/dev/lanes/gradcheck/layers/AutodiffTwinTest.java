package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.Generate.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.autodiff.ConvSpec;
import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Nn;
import dev.lanes.autodiff.Tape;
import dev.lanes.autodiff.Var;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.ConvConfig;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.TransposedConvConfig;
import dev.lanes.gradcheck.UpsampleConfig;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.autodiff.NnTest;
import dev.lanes.gradcheck.reference.ActivationFunction;
import dev.lanes.kernels.Activation;
import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.AvgPool2d;
import dev.lanes.layers.BatchNorm;
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
import dev.lanes.layers.Softmax;
import dev.lanes.layers.Upsample2d;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
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
 * ({@link #transposedConvolutionAndBilinearUpsampling()}).
 */
class AutodiffTwinTest {
    /** A layer and its twin: a function of the input and the layer's parameter values, in order. */
    private record Pair(String name, Layer layer, Function twin, Tensor x, boolean bitwise, double termFactor,
                        boolean biasRounded, double[] terms) {
        Pair(String name, Layer layer, Function twin, Tensor x, boolean bitwise) {
            this(name, layer, twin, x, bitwise, 0, false, null);
        }

        Pair(String name, Layer layer, Function twin, Tensor x, boolean bitwise, double termFactor,
             boolean biasRounded) {
            this(name, layer, twin, x, bitwise, termFactor, biasRounded, null);
        }

        /**
         * A twin that sums in another order than its layer: {@code terms} bounds the sum of the
         * magnitudes of the terms each element adds up, for the output, then for the input gradient
         * and each parameter gradient in order as multiples of max|g|; the tolerance is 1e-5 of that
         * bound (or of the tensor's largest magnitude, if larger).
         */
        static Pair rounded(String name, Layer layer, Function twin, Tensor x, double... terms) {
            return new Pair(name, layer, twin, x, false, 0, false, terms);
        }
    }

    /** Runs both at x with the upstream gradient from the seed and compares. */
    private static void agree(Pair pair, boolean training, long seed) {
        Layer layer = pair.layer();
        for (Parameter p : layer.parameters()) {
            p.grad().zero();
        }
        Tensor y = layer.forward(pair.x(), training).copy();
        Tensor g = Values.uniform(y.shape(), seed + 77, -1, 1);
        Tensor dx = layer.backward(g).copy();
        List<Parameter> parameters = layer.parameters();
        Tape tape = new Tape().training(training);
        Var[] in = new Var[parameters.size() + 1];
        in[0] = tape.input(pair.x());
        for (int i = 0; i < parameters.size(); i++) {
            in[i + 1] = tape.input(parameters.get(i).value());
        }
        Var out = pair.twin().apply(in);
        tape.backward(out, g);
        String context = pair.name() + (training ? " (training)" : " (inference)") + ", seed " + seed;
        Tensor[] point = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            point[i] = in[i].value();
        }
        Function inMode = vars -> {
            vars[0].tape().training(training);
            return pair.twin().apply(vars);
        };
        dev.lanes.gradcheck.GradCheck.forwardReverse(context, inMode).inputs(point).seed(seed).check();
        double[] terms = pair.terms();
        compare(context + ": output", y, out.value(), pair.bitwise(), terms == null ? 0 : terms[0]);
        compare(context + ": input gradient", dx, in[0].grad(), pair.bitwise(),
                terms == null ? pair.termFactor() * maxAbs(g) : terms[1] * maxAbs(g));
        for (int i = 0; i < parameters.size(); i++) {
            // a bias gradient sums the rows of g: the terms are up to rows·max|g|
            boolean rounded = pair.biasRounded() && parameters.get(i).name().equals("bias");
            double termScale = terms != null ? terms[i + 2] * maxAbs(g) : rounded ? g.dim(0) * maxAbs(g) : 0;
            compare(context + ": gradient of " + parameters.get(i).name(), parameters.get(i).grad(),
                    in[i + 1].grad(), pair.bitwise() && !rounded, termScale);
        }
    }

    private static double maxAbs(Tensor t) {
        double max = 0;
        for (float v : t.toArray()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static void compare(String what, Tensor expected, Tensor actual, boolean bitwise, double termScale) {
        if (!expected.shape().equals(actual.shape())) {
            throw new AssertionError(what + ": shape " + actual.shape() + ", the layer's " + expected.shape());
        }
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        double scale = Math.max(termScale, maxAbs(expected));
        double tolerance = bitwise ? 0 : 1e-5 * scale;
        for (int i = 0; i < e.length; i++) {
            boolean same = bitwise ? Float.floatToIntBits(e[i]) == Float.floatToIntBits(a[i])
                    : Math.abs(e[i] - a[i]) <= tolerance;
            if (!same) {
                throw new AssertionError(what + " differs at flat index " + i + ": layer " + e[i] + ", autodiff "
                        + a[i] + (bitwise ? " (expected the same bits)" : ", tolerance " + tolerance));
            }
        }
    }

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
                        agree(new Pair("dense " + matrix + " to " + outputs, dense,
                                in -> Nn.linear(in[0], in[1], in[2]), Values.uniform(matrix, seed, -2, 2), true, 0,
                                true), training, seed);
                    } else {
                        ConvConfig c = kind == 1 ? direct : viaGemm;
                        Conv2d conv = ConvTest.conv(c, true, seed);
                        ConvSpec spec = NnTest.spec(c);
                        agree(new Pair("conv2d " + c, conv, in -> Nn.conv2d(in[0], in[1], in[2], spec),
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
                    Pair pair = switch (kind) {
                        case 0 -> new Pair("max pool " + c, new MaxPool2d(window), in -> Nn.maxPool2d(in[0], window),
                                distinct, true);
                        case 1 -> new Pair("avg pool " + c, new AvgPool2d(window, true),
                                in -> Nn.avgPool2d(in[0], window, true), x, true);
                        case 2 -> new Pair("avg pool (padding not counted) " + c, new AvgPool2d(window, false),
                                in -> Nn.avgPool2d(in[0], window, false), x, true);
                        case 3 -> new Pair("global max pool " + c.inputShape(), new GlobalMaxPool2d(),
                                in -> Nn.globalMaxPool2d(in[0]), distinct, true);
                        default -> new Pair("global avg pool " + c.inputShape(), new GlobalAvgPool2d(),
                                in -> Nn.globalAvgPool2d(in[0]), x, true);
                    };
                    agree(pair, training, seed);
                });
    }

    @Test
    void pointwiseLayers() {
        ActivationFunction[] all = ActivationFunction.values();
        Cases.qt(1695).forAll(integers().between(0, 4), integers().between(0, all.length - 1), Gens.shapes(2, 4, 4),
                Gens.seeds()).checkAssert((kind, index, shape, seed) -> {
                    boolean training = new SplittableRandom(seed).nextBoolean();
                    Tensor x = Values.uniform(shape, seed, -3, 3);
                    Pair pair = switch (kind) {
                        case 0 -> {
                            Layer layer = ActivationTest.layer(all[index]);
                            Activation activation = ((ActivationLayer) layer).activation();
                            yield new Pair(activation + " " + shape, layer, in -> in[0].activation(activation),
                                    ActivationTest.input(all[index], shape, seed), true);
                        }
                        case 1 -> new Pair("softmax " + shape, new Softmax(), in -> in[0].softmax(), x, true);
                        case 2 -> new Pair("log-softmax " + shape, new LogSoftmax(), in -> in[0].logSoftmax(), x, true);
                        case 3 -> new Pair("dropout 0.3 " + shape, new Dropout(0.3f, seed),
                                in -> Nn.dropout(in[0], 0.3f, seed), x, true);
                        default -> new Pair("flatten " + shape, new Flatten(),
                                in -> in[0].reshape(shape.dim(0), -1), x, true);
                    };
                    agree(pair, training, seed);
                });
    }

    @Test
    void normalizationPReluAndUpsampling() {
        Cases.qt(1697).forAll(integers().between(0, 2), BatchNormTest.shapes2d(), BatchNormTest.shapes1d(),
                Gens.seeds()).checkAssert((kind, image, matrix, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    boolean training = random.nextBoolean();
                    boolean flag = random.nextBoolean();
                    Pair pair = switch (kind) {
                        case 0 -> batchNorm(flag ? image : matrix, training, seed);
                        case 1 -> {
                            PReLU layer = new PReLU(image.dim(1));
                            Twins.randomize(layer.slope(), seed + 1, -0.5, 1.5);
                            int[] channel = channelShape(image);
                            yield new Pair("PReLU " + image, layer,
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
                            yield new Pair("nearest upsampling x(" + sh + ", " + sw + ") " + image,
                                    Upsample2d.nearest(sh, sw), in -> in[0].reshape(n, c, h, 1, w, 1)
                                            .expand(n, c, h, sh, w, sw).reshape(n, c, h * sh, w * sw),
                                    Values.uniform(image, seed, -2, 2), false);
                        }
                    };
                    agree(pair, training, seed);
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

    /**
     * The two layers that no single operation computes, against twins written with operations.
     * Bilinear upsampling is A·x·Bᵀ with the interpolation matrices A (H·sh, H) and B (W·sw, W),
     * each row holding an output row's (column's) two weights. The transposed convolution is the
     * convolution it is the data gradient of, turned around: the input spread out by the stride
     * (zeros stacked between its rows and columns), the output padding added as zero rows and
     * columns at the end, the kernel's channel axes swapped within each group and its taps flipped
     * (two gathers), then a convolution with stride 1, the same dilation and groups, and padding
     * dilation·(kernel − 1) minus the layer's padding on each side (a crop where that is negative).
     * Both add their terms in another order than the layer, so every element agrees within 1e-5 of
     * the sum of its terms' magnitudes, bounded from the sizes: output (C/groups)·R·S·max|x|·max|w|
     * plus max|b| and input gradient (K/groups)·R·S·max|w|·max|g| for the convolution; max|x| and
     * the largest column sums of A and B times max|g| for the upsampling; weight gradient
     * N·H·W·max|x|·max|g| and bias gradient N·P·Q·max|g|.
     */
    @Test
    void transposedConvolutionAndBilinearUpsampling() {
        Cases.qt(1705).forAll(booleans(), Gens.transposedConv(true), Gens.upsample(), Gens.seeds())
                .checkAssert((convolution, t, u, seed) -> {
                    boolean training = new SplittableRandom(seed).nextBoolean();
                    agree(convolution ? transposedConvolution(t, seed) : bilinear(u, seed), training, seed);
                });
    }

    private static Pair bilinear(UpsampleConfig c, long seed) {
        Tensor rows = interpolation(c.height(), c.scaleHeight());
        Tensor columns = interpolation(c.width(), c.scaleWidth());
        Tensor columnsT = columns.transpose().contiguous();
        Function twin = in -> {
            Tape tape = in[0].tape();
            return tape.constant(rows).matmul(in[0]).matmul(tape.constant(columnsT));
        };
        Tensor x = Values.uniform(c.inputShape(), seed, -2, 2);
        return Pair.rounded("bilinear upsampling " + c, Upsample2d.bilinear(c.scaleHeight(), c.scaleWidth()), twin,
                x, maxAbs(x), largestColumnSum(rows) * largestColumnSum(columns));
    }

    /**
     * The (size·scale, size) matrix of linear interpolation with half-pixel centres (the
     * {@code Upsample2d} javadoc): output i samples the input at max(0, (i + 0.5)/scale − 0.5),
     * between the index below and the next (the last repeating at the edge).
     */
    private static Tensor interpolation(int size, int scale) {
        int out = size * scale;
        float[] a = new float[out * size];
        for (int i = 0; i < out; i++) {
            double source = Math.max(0.0, (i + 0.5) / scale - 0.5);
            int low = Math.min((int) source, size - 1);
            int high = Math.min(low + 1, size - 1);
            float lowWeight = (float) (1.0 - (source - low));
            a[i * size + low] += lowWeight;
            a[i * size + high] += 1f - lowWeight;
        }
        return Tensor.fromArray(a, out, size);
    }

    private static double largestColumnSum(Tensor matrix) {
        double largest = 0;
        for (int j = 0; j < matrix.dim(1); j++) {
            double sum = 0;
            for (int i = 0; i < matrix.dim(0); i++) {
                sum += Math.abs(matrix.get(i, j));
            }
            largest = Math.max(largest, sum);
        }
        return largest;
    }

    private static Pair transposedConvolution(TransposedConvConfig c, long seed) {
        ConvTranspose2d layer = ConvTransposeTest.layer(c, true, seed);
        int groups = c.groups();
        int in = c.inChannels() / groups;
        int out = c.outChannels() / groups;
        int r = c.kernelHeight();
        int s = c.kernelWidth();
        int top = c.dilationHeight() * (r - 1) - c.padTop();
        int bottom = c.dilationHeight() * (r - 1) - c.padBottom();
        int left = c.dilationWidth() * (s - 1) - c.padLeft();
        int right = c.dilationWidth() * (s - 1) - c.padRight();
        Shape kernel = Shape.of(c.outChannels(), in, r, s);
        Tensor flipRows = Tensor.zeros(kernel);
        Tensor flipColumns = Tensor.zeros(kernel);
        for (int k = 0; k < kernel.dim(0); k++) {
            for (int ch = 0; ch < in; ch++) {
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < s; j++) {
                        flipRows.set(k, ch, i, j, r - 1 - i);
                        flipColumns.set(k, ch, i, j, s - 1 - j);
                    }
                }
            }
        }
        ConvSpec spec = ConvSpec.DEFAULT.padding(Math.max(top, 0), Math.max(bottom, 0), Math.max(left, 0),
                Math.max(right, 0)).dilation(c.dilationHeight(), c.dilationWidth()).groups(groups);
        Function twin = v -> {
            Var x = spread(v[0], 2, c.strideHeight(), c.outputPaddingHeight());
            x = crop(spread(x, 3, c.strideWidth(), c.outputPaddingWidth()), top, bottom, left, right);
            Var w = v[1].reshape(groups, in, out, r, s).permute(0, 2, 1, 3, 4).reshape(c.outChannels(), in, r, s)
                    .gather(2, flipRows).gather(3, flipColumns);
            return Nn.conv2d(x, w, v[2], spec);
        };
        Tensor x = Values.uniform(c.inputShape(), seed, -2, 2);
        double maxW = maxAbs(layer.weight().value());
        return Pair.rounded("transposed convolution " + c, layer, twin, x,
                in * r * s * maxAbs(x) * maxW + maxAbs(layer.bias().value()), out * r * s * maxW,
                c.batch() * c.height() * c.width() * maxAbs(x), c.batch() * c.outHeight() * c.outWidth());
    }

    /**
     * x with stride − 1 rows of zeros after each row along {@code axis} (2 or 3) but the last, and
     * {@code extra} rows of zeros at the end.
     */
    private static Var spread(Var x, int axis, int stride, int extra) {
        Tape tape = x.tape();
        int[] dims = x.shape().dims();
        int size = dims[axis];
        if (stride > 1) {
            Var[] parts = new Var[stride];
            parts[0] = x;
            for (int i = 1; i < stride; i++) {
                parts[i] = tape.constant(Tensor.zeros(x.shape()));
            }
            dims[axis] = size * stride;
            x = Nn.stack(axis + 1, parts).reshape(dims).slice(axis, 0, (size - 1) * stride + 1);
        }
        if (extra > 0) {
            int[] zeros = x.shape().dims();
            zeros[axis] = extra;
            x = Nn.concat(axis, x, tape.constant(Tensor.zeros(zeros)));
        }
        return x;
    }

    /** x without the first −top rows, the last −bottom rows (and columns likewise) where those are negative. */
    private static Var crop(Var x, int top, int bottom, int left, int right) {
        int height = x.shape().dim(2);
        int width = x.shape().dim(3);
        return x.slice(2, Math.max(-top, 0), height - Math.max(-bottom, 0))
                .slice(3, Math.max(-left, 0), width - Math.max(-right, 0));
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
    private static Pair batchNorm(Shape shape, boolean training, long seed) {
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
        return new Pair("batch norm " + shape, bn, twin, x, false, maxAbs(bn.weight().value()) * largestInverseStd,
                false);
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
