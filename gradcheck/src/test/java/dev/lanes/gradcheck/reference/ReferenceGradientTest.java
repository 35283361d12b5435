package dev.lanes.gradcheck.reference;

import static org.quicktheories.generators.Generate.booleans;
import static org.quicktheories.generators.Generate.enumValues;
import static org.quicktheories.generators.Generate.range;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.ConvConfig;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.PoolConfig;
import dev.lanes.gradcheck.TransposedConvConfig;
import dev.lanes.gradcheck.Values;
import dev.lanes.kernels.ConvGeometry;
import dev.lanes.layers.loss.Reduction;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The second oracle checked by the first: every reference layer and loss against central
 * differences at double tolerance (step cbrt(2^-52) ~ 6e-6 relative, tolerance 1e-6 relative),
 * 200 generated cases each.
 */
class ReferenceGradientTest {

    static double[] values(Tensor t) {
        return Reference.toDouble(t.toArray());
    }

    static double[] normal(int size, long seed, double std) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = std * (random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5) * 2;
        }
        return out;
    }

    @Test
    void dense() {
        Cases.qt(101).forAll(Gens.dense(), Gens.seeds(), booleans())
                .checkAssert((c, seed, withBias) -> {
                    DenseReference layer = new DenseReference(c.inFeatures(), c.outFeatures(),
                            normal(c.inFeatures() * c.outFeatures(), seed + 1, 0.5),
                            withBias ? normal(c.outFeatures(), seed + 2, 0.5) : null);
                    GradCheck.layer(layer).input(values(Values.uniform(c.inputShape(), seed, -2, 2)),
                            c.inputShape().dims()).seed(seed).check();
                });
    }

    static Conv2dReference conv(ConvConfig c, long seed, boolean bias) {
        return new Conv2dReference(c.geometry(), normal(c.weightShape().size(), seed + 1, 0.5),
                bias ? normal(c.outChannels(), seed + 2, 0.5) : null);
    }

    @Test
    void conv2d() {
        Cases.qt(102).forAll(Gens.conv(true), Gens.seeds(), booleans())
                .checkAssert((c, seed, withBias) -> GradCheck.layer(conv(c, seed, withBias))
                        .input(values(Values.uniform(c.inputShape(), seed, -2, 2)), c.inputShape().dims())
                        .seed(seed).check());
    }

    static ConvTranspose2dReference transposedConv(TransposedConvConfig c, double[] weight, double[] bias) {
        return new ConvTranspose2dReference(c.inChannels(), c.outChannels(), c.kernelHeight(), c.kernelWidth(),
                c.strideHeight(), c.strideWidth(), c.padTop(), c.padBottom(), c.padLeft(), c.padRight(),
                c.outputPaddingHeight(), c.outputPaddingWidth(), c.dilationHeight(), c.dilationWidth(), c.groups(),
                weight, bias);
    }

    @Test
    void convTranspose2d() {
        Cases.qt(115).forAll(Gens.transposedConv(true), Gens.seeds(), booleans())
                .checkAssert((c, seed, withBias) -> GradCheck.layer(transposedConv(c,
                                normal(c.weightShape().size(), seed + 1, 0.5),
                                withBias ? normal(c.outChannels(), seed + 2, 0.5) : null))
                        .input(values(Values.uniform(c.inputShape(), seed, -2, 2)), c.inputShape().dims())
                        .seed(seed).check());
    }

    /**
     * The two references, written independently, are adjoint: {@code <conv(z), x> = <z, convT(x)>}
     * for the convolution from the transposed one's output size back to its input size, with the
     * same weights and no bias.
     */
    @Test
    void convTranspose2dIsTheAdjointOfConv2d() {
        Cases.qt(116).forAll(Gens.transposedConv(true), Gens.seeds()).checkAssert((c, seed) -> {
            double[] weight = normal(c.weightShape().size(), seed + 1, 0.5);
            ConvGeometry geometry = ConvGeometry.builder().inChannels(c.outChannels()).outChannels(c.inChannels())
                    .kernel(c.kernelHeight(), c.kernelWidth()).stride(c.strideHeight(), c.strideWidth())
                    .padding(c.padTop(), c.padBottom(), c.padLeft(), c.padRight())
                    .dilation(c.dilationHeight(), c.dilationWidth()).groups(c.groups()).template();
            Conv2dReference conv = new Conv2dReference(geometry, weight, null);
            double[] x = normal(c.inputShape().size(), seed + 2, 1);
            double[] z = normal(c.outputShape().size(), seed + 3, 1);
            double left = dot(conv.forward(z, c.outputShape().dims(), true), x);
            double right = dot(z, transposedConv(c, weight, null).forward(x, c.inputShape().dims(), true));
            if (Math.abs(left - right) > 1e-12 * (1 + Math.abs(left))) {
                throw new AssertionError(c + ", seed " + seed + ": <conv(z), x> = " + left + " but <z, convT(x)> = "
                        + right);
            }
        });
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Test
    void upsample2d() {
        Cases.qt(117).forAll(Gens.upsample(), Gens.seeds())
                .checkAssert((c, seed) -> GradCheck.layer(new Upsample2dReference(c.bilinear(), c.scaleHeight(),
                                c.scaleWidth())).input(values(Values.uniform(c.inputShape(), seed, -2, 2)),
                                c.inputShape().dims()).seed(seed).check());
    }

    @Test
    void maxPool2d() {
        Cases.qt(103).forAll(Gens.pool(true, true), Gens.seeds())
                .checkAssert((c, seed) -> GradCheck.layer(maxPool(c))
                        .input(values(Values.distinct(c.inputShape(), seed)), c.inputShape().dims()).seed(seed)
                        .check());
    }

    static MaxPool2dReference maxPool(PoolConfig c) {
        return new MaxPool2dReference(c.kernelHeight(), c.kernelWidth(), c.strideHeight(), c.strideWidth(),
                c.padTop(), c.padBottom(), c.padLeft(), c.padRight(), c.dilationHeight(), c.dilationWidth(),
                c.ceilMode());
    }

    @Test
    void avgPool2d() {
        Cases.qt(104).forAll(Gens.pool(true, true), Gens.seeds(), booleans())
                .checkAssert((c, seed, includePad) -> GradCheck.layer(new AvgPool2dReference(c.kernelHeight(),
                                c.kernelWidth(), c.strideHeight(), c.strideWidth(), c.padTop(), c.padBottom(),
                                c.padLeft(), c.padRight(), c.dilationHeight(), c.dilationWidth(), c.ceilMode(),
                                includePad))
                        .input(values(Values.uniform(c.inputShape(), seed, -2, 2)), c.inputShape().dims()).seed(seed)
                        .check());
    }

    @Test
    void globalPools() {
        Cases.qt(105).forAll(Gens.images(4), Gens.seeds(), booleans(), booleans())
                .checkAssert((shape, seed, max, keep) -> GradCheck.layer(max ? GlobalPoolReference.max(keep)
                                : GlobalPoolReference.average(keep))
                        .input(values(Values.distinct(shape, seed)), shape.dims()).seed(seed).check());
    }

    @Test
    void flatten() {
        Cases.qt(106).forAll(Gens.shapes(1, 4, 3), Gens.seeds())
                .checkAssert((shape, seed) -> GradCheck.layer(new FlattenReference())
                        .input(values(Values.uniform(shape, seed, -2, 2)), shape.dims()).seed(seed).check());
    }

    @Test
    void activations() {
        Cases.qt(107, 4)
                .forAll(enumValues(ActivationFunction.class), Gens.shapes(1, 3, 4), Gens.seeds())
                .checkAssert((f, shape, seed) -> GradCheck.layer(new ActivationReference(f, f
                                == ActivationFunction.ELU ? 0.7 : 0.05))
                        .input(values(Values.awayFrom(shape, seed, -4, 4, Values.DEFAULT_MARGIN, f.kinks())),
                                shape.dims()).seed(seed).check());
    }

    @Test
    void softmaxAndLogSoftmax() {
        Cases.qt(108).forAll(Gens.shapes(1, 3, 5), Gens.seeds(), booleans())
                .checkAssert((shape, seed, log) -> GradCheck.layer(log ? SoftmaxReference.logSoftmax()
                                : SoftmaxReference.softmax())
                        .input(values(Values.uniform(shape, seed, -3, 3)), shape.dims()).seed(seed).check());
    }

    @Test
    void dropoutWithAFixedMask() {
        Cases.qt(109).forAll(Gens.shapes(1, 3, 4), Gens.seeds(), range(0, 4),
                booleans()).checkAssert((shape, seed, tenths, training) -> {
                    boolean[] keep = new boolean[shape.size()];
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; i < keep.length; i++) {
                        keep[i] = random.nextDouble() >= tenths / 10.0;
                    }
                    GradCheck.layer(new DropoutReference(tenths / 10.0).mask(keep)).training(training)
                            .input(values(Values.uniform(shape, seed, -2, 2)), shape.dims()).seed(seed).check();
                });
    }

    @Test
    void batchNorm() {
        Cases.qt(110).forAll(batchNormShapes(), Gens.seeds(), booleans())
                .checkAssert((shape, seed, training) -> {
                    int c = shape.dim(1);
                    BatchNormReference layer = new BatchNormReference(c, 1e-5, 0.1, normal(c, seed + 1, 1),
                            normal(c, seed + 2, 1), normal(c, seed + 3, 0.5), uniform(c, seed + 4, 0.5, 2));
                    GradCheck.layer(layer).training(training)
                            .input(values(Values.distinctPerChannel(shape, seed, 0.5)), shape.dims()).seed(seed)
                            .check();
                });
    }

    /** (N, C) with N >= 2, or (N, C, H, W) with N*H*W >= 2: a batch variance needs two values. */
    static org.quicktheories.core.Gen<Shape> batchNormShapes() {
        return in -> {
            boolean image = booleans().generate(in);
            int n = range(image ? 1 : 2, 3).generate(in);
            int c = range(1, 3).generate(in);
            if (!image) {
                return Shape.of(n, c);
            }
            int h = range(1, 3).generate(in);
            int w = range(n * h >= 2 ? 1 : 2, 3).generate(in);
            return Shape.of(n, c, h, w);
        };
    }

    static double[] uniform(int size, long seed, double low, double high) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = random.nextDouble(low, high);
        }
        return out;
    }

    @Test
    void sequential() {
        Cases.qt(111).forAll(Gens.dense(), range(1, 4), Gens.seeds())
                .checkAssert((c, hidden, seed) -> {
                    SequentialReference net = new SequentialReference(List.of(
                            new DenseReference(c.inFeatures(), hidden, normal(hidden * c.inFeatures(), seed + 1, 0.7),
                                    normal(hidden, seed + 2, 0.3)),
                            new ActivationReference(ActivationFunction.TANH),
                            new DenseReference(hidden, c.outFeatures(), normal(hidden * c.outFeatures(), seed + 3, 0.7),
                                    null),
                            SoftmaxReference.logSoftmax()));
                    GradCheck.layer(net).input(values(Values.uniform(c.inputShape(), seed, -2, 2)),
                            c.inputShape().dims()).seed(seed).check();
                });
    }

    @Test
    void elementwiseLosses() {
        Cases.qt(112, 5).forAll(enumValues(ElementwiseLossReference.Kind.class),
                enumValues(Reduction.class), Gens.shapes(1, 3, 4), Gens.seeds()).checkAssert((kind, reduction, shape,
                seed) -> {
                    Tensor target;
                    Tensor prediction;
                    switch (kind) {
                        case BCE -> {
                            target = Values.uniform(shape, seed + 1, 0, 1);
                            prediction = Values.probabilities(shape, seed, 0.05);
                        }
                        case BCE_WITH_LOGITS -> {
                            target = Values.bits(shape, seed + 1);
                            prediction = Values.uniform(shape, seed, -4, 4);
                        }
                        case HINGE -> {
                            target = Values.signs(shape, seed + 1);
                            prediction = Values.hingeScores(target, seed, Values.DEFAULT_MARGIN);
                        }
                        case L1 -> {
                            target = Values.uniform(shape, seed + 1, -2, 2);
                            prediction = Values.awayFromTarget(target, seed, Values.DEFAULT_MARGIN);
                        }
                        default -> {
                            target = Values.uniform(shape, seed + 1, -2, 2);
                            prediction = Values.uniform(shape, seed, -2, 2);
                        }
                    }
                    GradCheck.loss(new ElementwiseLossReference(kind, reduction)).prediction(values(prediction),
                            shape.dims()).target(values(target)).seed(seed).check();
                });
    }

    @Test
    void softmaxCrossEntropy() {
        Cases.qt(113).forAll(Gens.matrices(5), enumValues(Reduction.class),
                booleans(), Gens.seeds()).checkAssert((shape, reduction, indices, seed) -> {
                    Tensor labels = Values.classIndices(shape.dim(0), shape.dim(1), seed + 1);
                    double[] target = indices ? values(labels) : values(Values.oneHot(labels, shape.dim(1)));
                    GradCheck.loss(new SoftmaxCrossEntropyReference(reduction, indices))
                            .prediction(values(Values.uniform(shape, seed, -3, 3)), shape.dims()).target(target)
                            .seed(seed).check();
                });
    }

    @Test
    void multiClassHinge() {
        Cases.qt(114).forAll(Gens.matrices(5), enumValues(Reduction.class),
                booleans(), Gens.seeds()).checkAssert((shape, reduction, perClass, seed) -> {
                    Tensor labels = Values.classIndices(shape.dim(0), shape.dim(1), seed + 1);
                    Tensor scores = Values.multiHingeScores(labels, shape.dim(1), seed, Values.DEFAULT_MARGIN);
                    GradCheck.loss(perClass ? MultiClassHingeReference.westonWatkins(reduction, 1, seed % 2 == 0)
                                    : MultiClassHingeReference.crammerSinger(reduction, 1))
                            .prediction(values(scores), shape.dims()).target(values(labels)).seed(seed).check();
                });
    }
}
