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
import dev.lanes.layers.AvgPool2d;
import dev.lanes.layers.BatchNorm1d;
import dev.lanes.layers.Conv2d;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Dropout;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.Layer;
import dev.lanes.layers.PoolWindow;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void laws() {
        Cases.qt(262).forAll(models(), Gens.trainingModes()).checkAssert((m, training) -> LayerLaws.check(m.model(),
                m.reference(), m.input(), training, 0, m.fix()));
    }
}
