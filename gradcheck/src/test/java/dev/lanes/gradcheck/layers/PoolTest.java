package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.Generate.booleans;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.PoolConfig;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.AvgPool2dReference;
import dev.lanes.gradcheck.reference.GlobalPoolReference;
import dev.lanes.gradcheck.reference.MaxPool2dReference;
import dev.lanes.layers.AvgPool2d;
import dev.lanes.layers.GlobalAvgPool2d;
import dev.lanes.layers.GlobalMaxPool2d;
import dev.lanes.layers.MaxPool2d;
import dev.lanes.layers.PoolWindow;
import org.junit.jupiter.api.Test;

/**
 * Max, average and global pooling over generated windows (stride, asymmetric padding, dilation,
 * ceil mode). Max-pool inputs are pairwise 1/16 apart within each plane ({@link Values#distinct}),
 * and the checks use an absolute step of 1/128: no window holds a tie, and no perturbation, of
 * one coordinate or of all at once along a random direction, can move an argmax. Max pooling is
 * piecewise linear, so the small step costs no accuracy.
 */
class PoolTest {
    static final double MAX_POOL_STEP = Values.DEFAULT_GAP / 8;

    static PoolWindow window(PoolConfig c) {
        return PoolWindow.of(c.kernelHeight(), c.kernelWidth()).stride(c.strideHeight(), c.strideWidth())
                .padding(c.padTop(), c.padBottom(), c.padLeft(), c.padRight())
                .dilation(c.dilationHeight(), c.dilationWidth()).ceilMode(c.ceilMode());
    }

    static MaxPool2dReference maxTwin(PoolConfig c) {
        return new MaxPool2dReference(c.kernelHeight(), c.kernelWidth(), c.strideHeight(), c.strideWidth(),
                c.padTop(), c.padBottom(), c.padLeft(), c.padRight(), c.dilationHeight(), c.dilationWidth(),
                c.ceilMode());
    }

    static AvgPool2dReference avgTwin(PoolConfig c, boolean includePad) {
        return new AvgPool2dReference(c.kernelHeight(), c.kernelWidth(), c.strideHeight(), c.strideWidth(),
                c.padTop(), c.padBottom(), c.padLeft(), c.padRight(), c.dilationHeight(), c.dilationWidth(),
                c.ceilMode(), includePad);
    }

    @Test
    void maxPoolGradients() {
        Cases.qt(251).forAll(Gens.pool(true, true), Gens.trainingModes(), Gens.seeds())
                .checkAssert((c, training, seed) -> GradCheck.layer(new MaxPool2d(window(c)))
                        .input(Values.distinct(c.inputShape(), seed)).step(MAX_POOL_STEP).training(training)
                        .seed(seed).check());
    }

    @Test
    void maxPoolLaws() {
        Cases.qt(252).forAll(Gens.pool(true, true), Gens.trainingModes(), Gens.seeds())
                .checkAssert((c, training, seed) -> LayerLaws.check(new MaxPool2d(window(c)), maxTwin(c),
                        Values.distinct(c.inputShape(), seed), training, seed, () -> { }));
    }

    @Test
    void avgPoolGradients() {
        Cases.qt(253).forAll(Gens.pool(true, true), booleans(), Gens.trainingModes(), Gens.seeds())
                .checkAssert((c, includePad, training, seed) -> GradCheck.layer(new AvgPool2d(window(c), includePad))
                        .input(Values.uniform(c.inputShape(), seed, -2, 2)).training(training).seed(seed).check());
    }

    @Test
    void avgPoolLaws() {
        Cases.qt(254).forAll(Gens.pool(true, true), booleans(), Gens.trainingModes(), Gens.seeds())
                .checkAssert((c, includePad, training, seed) -> LayerLaws.check(new AvgPool2d(window(c), includePad),
                        avgTwin(c, includePad), Values.uniform(c.inputShape(), seed, -2, 2), training, seed,
                        () -> { }));
    }

    @Test
    void globalMaxPoolGradients() {
        Cases.qt(255).forAll(Gens.images(5), Gens.trainingModes(), Gens.seeds())
                .checkAssert((shape, training, seed) -> GradCheck.layer(new GlobalMaxPool2d())
                        .input(Values.distinct(shape, seed)).step(MAX_POOL_STEP).training(training).seed(seed)
                        .check());
    }

    @Test
    void globalMaxPoolLaws() {
        Cases.qt(256).forAll(Gens.images(5), Gens.trainingModes(), Gens.seeds())
                .checkAssert((shape, training, seed) -> LayerLaws.check(new GlobalMaxPool2d(),
                        GlobalPoolReference.max(false), Values.distinct(shape, seed), training, seed, () -> { }));
    }

    @Test
    void globalAvgPoolGradients() {
        Cases.qt(257).forAll(Gens.images(5), Gens.trainingModes(), Gens.seeds())
                .checkAssert((shape, training, seed) -> GradCheck.layer(new GlobalAvgPool2d())
                        .input(Values.uniform(shape, seed, -2, 2)).training(training).seed(seed).check());
    }

    @Test
    void globalAvgPoolLaws() {
        Cases.qt(258).forAll(Gens.images(5), Gens.trainingModes(), Gens.seeds())
                .checkAssert((shape, training, seed) -> LayerLaws.check(new GlobalAvgPool2d(),
                        GlobalPoolReference.average(false), Values.uniform(shape, seed, -2, 2), training, seed,
                        () -> { }));
    }
}
