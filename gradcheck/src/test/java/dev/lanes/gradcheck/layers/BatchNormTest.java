package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.Generate.booleans;
import static org.quicktheories.generators.Generate.range;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.BatchNormReference;
import dev.lanes.layers.BatchNorm;
import dev.lanes.layers.BatchNorm1d;
import dev.lanes.layers.BatchNorm2d;
import dev.lanes.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * BatchNorm1d and BatchNorm2d in training mode (batch statistics) and inference mode (running
 * statistics, set to random values first), affine or not. Inputs are spread within each channel
 * ({@link Values#distinctPerChannel}, gap 0.5) so the batch variance stays well above 0.
 */
class BatchNormTest {
    /** (N, C) with N >= 2: a batch variance needs two values per channel. */
    static Gen<Shape> shapes1d() {
        return in -> Shape.of(range(2, 4).generate(in), range(1, 4).generate(in));
    }

    /** (N, C, H, W) with N*H*W >= 2. */
    static Gen<Shape> shapes2d() {
        return in -> {
            int n = range(1, 2).generate(in);
            int c = range(1, 3).generate(in);
            int h = range(1, 3).generate(in);
            int w = range(n * h >= 2 ? 1 : 2, 3).generate(in);
            return Shape.of(n, c, h, w);
        };
    }

    static BatchNorm layer(Shape shape, boolean affine, long seed) {
        int c = shape.dim(1);
        BatchNorm bn = shape.rank() == 2 ? new BatchNorm1d(c, 0.1f, 1e-5f, affine)
                : new BatchNorm2d(c, 0.1f, 1e-5f, affine);
        if (affine) {
            Twins.randomize(bn.weight(), seed + 1, 0.5, 2);
            Twins.randomize(bn.bias(), seed + 2, -1, 1);
        }
        Twins.randomize(bn.runningMean(), seed + 3, -1, 1);
        Twins.randomize(bn.runningVar(), seed + 4, 0.5, 2);
        return bn;
    }

    private static void gradients(Gen<Shape> shapes, long qtSeed) {
        Cases.qt(qtSeed).forAll(shapes, booleans(), Gens.trainingModes(), Gens.seeds())
                .checkAssert((shape, affine, training, seed) -> GradCheck.layer(layer(shape, affine, seed))
                        .input(Values.distinctPerChannel(shape, seed, 0.5)).training(training).seed(seed).check());
    }

    private static void laws(Gen<Shape> shapes, long qtSeed) {
        Cases.qt(qtSeed).forAll(shapes, booleans(), Gens.trainingModes(), Gens.seeds())
                .checkAssert((shape, affine, training, seed) -> {
                    BatchNorm bn = layer(shape, affine, seed);
                    BatchNormReference reference = Twins.of(bn);
                    LayerLaws.check(bn, reference, Values.distinctPerChannel(shape, seed, 0.5), training, seed,
                            () -> { });
                });
    }

    @Test
    void gradients1d() {
        gradients(shapes1d(), 231);
    }

    @Test
    void gradients2d() {
        gradients(shapes2d(), 232);
    }

    @Test
    void laws1d() {
        laws(shapes1d(), 233);
    }

    @Test
    void laws2d() {
        laws(shapes2d(), 234);
    }

    @Test
    void runningStatisticsFollowTheReference() {
        Cases.qt(235).forAll(shapes2d().mix(shapes1d()), Gens.seeds())
                .checkAssert((shape, seed) -> {
                    BatchNorm bn = layer(shape, true, seed);
                    BatchNormReference reference = Twins.of(bn);
                    for (int step = 0; step < 3; step++) {
                        var x = Values.distinctPerChannel(shape, seed + step, 0.5);
                        bn.forward(x, true);
                        reference.forward(LayerLaws.values(x), shape.dims(), true);
                    }
                    String context = bn.name() + " at " + shape + ", seed " + seed;
                    LayerLaws.assertClose(context + ": running mean", bn.runningMean(), reference.runningMean());
                    LayerLaws.assertClose(context + ": running variance", bn.runningVar(), reference.runningVar());
                });
    }
}
