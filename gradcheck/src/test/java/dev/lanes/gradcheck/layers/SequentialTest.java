package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.Generate.booleans;
import static org.quicktheories.generators.Generate.range;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.ConvConfig;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.AvgPool2dReference;
import dev.lanes.gradcheck.reference.DenseReference;
import dev.lanes.gradcheck.reference.DropoutReference;
import dev.lanes.gradcheck.reference.FlattenReference;
import dev.lanes.gradcheck.reference.ReferenceLayer;
import dev.lanes.gradcheck.reference.SequentialReference;
import dev.lanes.kernels.Activation;
import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.AvgPool2d;
import dev.lanes.layers.BatchNorm1d;
import dev.lanes.layers.Conv2d;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Dropout;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.Layer;
import dev.lanes.layers.MaxPool2d;
import dev.lanes.layers.PoolWindow;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Sequential models built from generated parts: a perceptron (dense, batch norm, dropout, dense)
 * and a small CNN (convolution, average pooling, flatten, dense). The models' gradients, for the
 * input and every parameter of every layer, and the layer laws against a sequential reference of
 * the layers' twins. Dropout masks are fixed with {@link Dropout#setCalls} and, for the
 * reference, read off a forward of ones with the same call count (the mask depends only on seed,
 * call count and index).
 */
class SequentialTest {
    /** A model, its reference, its input and what fixes its randomness. */
    record Model(Sequential model, ReferenceLayer reference, Tensor input, Runnable fix, String description) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Gen<Model> perceptrons() {
        return in -> {
            int batch = range(3, 4).generate(in);
            int features = range(1, 4).generate(in);
            int hidden = range(1, 4).generate(in);
            int out = range(1, 3).generate(in);
            boolean norm = booleans().generate(in);
            int tenths = range(0, 5).generate(in);
            long seed = Gens.seeds().generate(in);
            Dense first = new Dense(features, hidden, true, seed);
            Twins.randomize(first.bias(), seed + 1, -1, 1);
            Dense last = new Dense(hidden, out, true, seed + 2);
            Twins.randomize(last.bias(), seed + 3, -1, 1);
            Dropout dropout = new Dropout(tenths / 10f, seed + 4);
            List<Layer> layers = new ArrayList<>(List.of(first));
            List<ReferenceLayer> twins = new ArrayList<>(List.of(Twins.of(first)));
            if (norm) {
                BatchNorm1d bn = new BatchNorm1d(hidden);
                layers.add(bn);
                twins.add(Twins.of(bn));
            }
            layers.add(dropout);
            twins.add(new DropoutReference(tenths / 10.0).mask(mask(dropout, Shape.of(batch, hidden))));
            layers.add(last);
            twins.add(Twins.of(last));
            Sequential model = new Sequential(Shape.of(features), layers.toArray(Layer[]::new));
            return new Model(model, new SequentialReference(twins), Values.uniform(Shape.of(batch, features), seed,
                    -2, 2), () -> dropout.setCalls(0), "perceptron n=" + batch + " " + features + " -> " + hidden
                    + (norm ? " -> batch norm" : "") + " -> dropout " + tenths / 10.0 + " -> " + out + ", seed " + seed);
        };
    }

    /** Mask number 0 of a dropout layer, read off a forward of ones. */
    static boolean[] mask(Dropout dropout, Shape shape) {
        dropout.setCalls(0);
        float[] y = dropout.forward(Tensor.ones(shape), true).toArray();
        dropout.setCalls(0);
        boolean[] keep = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            keep[i] = y[i] != 0;
        }
        return keep;
    }

    static Gen<Model> cnns() {
        return in -> {
            ConvConfig c = Gens.conv().generate(in);
            int window = range(1, Math.min(2, Math.min(c.outHeight(), c.outWidth()))).generate(in);
            int out = range(1, 3).generate(in);
            long seed = Gens.seeds().generate(in);
            Conv2d conv = ConvTest.conv(c, true, seed);
            AvgPool2d pool = new AvgPool2d(PoolWindow.of(window), true);
            int p = c.outHeight() / window;
            int q = c.outWidth() / window;
            Dense dense = new Dense(c.outChannels() * p * q, out, true, seed + 7);
            Twins.randomize(dense.bias(), seed + 8, -1, 1);
            Sequential model = new Sequential(Shape.of(c.inChannels(), c.height(), c.width()), conv, pool,
                    new Flatten(), dense);
            SequentialReference reference = new SequentialReference(List.of(ConvTest.twin(conv, c),
                    new AvgPool2dReference(window, window, window, window, 0, 0, 0, 0, 1, 1, false, true),
                    new FlattenReference(), Twins.of(dense)));
            return new Model(model, reference, Values.uniform(c.inputShape(), seed, -2, 2), () -> { },
                    "cnn " + c + " -> avg pool " + window + " -> flatten -> dense " + out + ", seed " + seed);
        };
    }

    static Gen<Model> models() {
        return perceptrons().mix(cnns());
    }

    @Test
    void gradients() {
        Cases.qt(261).forAll(models(), Gens.trainingModes()).checkAssert((m, training) -> GradCheck.layer(m.model())
                .input(m.input()).training(training).beforeForward(m.fix()).check());
    }

    /**
     * A CNN with the kinks that smooth models lack: convolution, ReLU, 2x2 max pooling, flatten,
     * dense. Finite differences across a kink mean nothing, so a case is kept only if, at its
     * input and parameters, every ReLU input is farther from 0, and every pooling window's
     * largest value farther above its second, than one step of the check can move them (the
     * first seed from {@code seed} on that qualifies is used).
     */
    static Model kinkedCnn(long seed, int batch) {
        for (long s = seed; ; s++) {
            SplittableRandom random = new SplittableRandom(s);
            int channels = 1 + random.nextInt(2);
            int kernel = 2;
            int side = 5 + random.nextInt(2) * 2;
            Conv2d conv = new Conv2d(channels, 2, kernel, s);
            Twins.randomize(conv.bias(), s + 1, -0.5, 0.5);
            int pooled = (side - kernel + 1) / 2;
            Dense dense = new Dense(2 * pooled * pooled, 2, true, s + 2);
            Tensor x = Values.kinkFree(Shape.of(batch, channels, side, side), s + 3);
            if (clearOfKinks(conv, x)) {
                Sequential model = new Sequential(Shape.of(channels, side, side), conv,
                        new ActivationLayer(Activation.RELU), new MaxPool2d(2), new Flatten(), dense);
                return new Model(model, null, x, () -> { }, "cnn " + channels + "x" + side + "x" + side
                        + " -> conv 2x2 -> relu -> max pool 2 -> dense 2, seed " + s + " (from " + seed + ")");
            }
        }
    }

    /**
     * Whether the check's steps (one coordinate at a time, each by at most h0 max(1, |v|)) stay
     * clear of the kinks: one step changes a convolution output by at most
     * h0 max(|w| max(1, |x|), |x| max(1, |w|), max(1, |b|)) over the elements it touches, bounded
     * here by the largest of each (with a factor 1.5 for the rounding of the perturbed values).
     */
    private static boolean clearOfKinks(Conv2d conv, Tensor x) {
        float[] z = conv.forward(x, false).toArray();
        double maxX = max(x.toArray());
        double maxW = max(conv.weight().value().toArray());
        double maxB = max(conv.bias().value().toArray());
        double reach = 1.5 * Math.cbrt(0x1p-23) * Math.max(Math.max(maxW * Math.max(1, maxX), maxX * Math.max(1, maxW)),
                Math.max(1, maxB));
        for (float v : z) {
            if (Math.abs(v) <= reach) {
                return false;
            }
        }
        Shape shape = conv.outputShape(x.shape());
        int height = shape.dim(2);
        int width = shape.dim(3);
        for (int plane = 0; plane < shape.dim(0) * shape.dim(1); plane++) {
            for (int p = 0; p + 1 < height; p += 2) {
                for (int q = 0; q + 1 < width; q += 2) {
                    double[] window = new double[4];
                    for (int k = 0; k < 4; k++) {
                        window[k] = Math.max(0, z[plane * height * width + (p + k / 2) * width + q + k % 2]);
                    }
                    java.util.Arrays.sort(window);
                    if (window[3] - window[2] <= 2 * reach) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static double max(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    @Test
    void gradientsThroughReluAndMaxPool() {
        Cases.qt(263).forAll(Gens.seeds(), Gens.batchSizes(), Gens.trainingModes())
                .checkAssert((seed, batch, training) -> {
                    Model m = kinkedCnn(seed, batch);
                    GradCheck.layer(m.model()).input(m.input()).training(training).fullJacobian().seed(seed).check();
                });
    }

    @Test
    void laws() {
        Cases.qt(262).forAll(models(), Gens.trainingModes()).checkAssert((m, training) -> LayerLaws.check(m.model(),
                m.reference(), m.input(), training, 0, m.fix()));
    }
}
