package dev.lanes.gradcheck.layers;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.ActivationFunction;
import dev.lanes.gradcheck.reference.ActivationReference;
import dev.lanes.gradcheck.reference.SoftmaxReference;
import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.Layer;
import dev.lanes.layers.LogSoftmax;
import dev.lanes.layers.Softmax;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every activation layer, and softmax and log-softmax, over shapes of rank 1 to 3: gradient
 * checks and the layer laws against the double references, 200 cases each. Inputs lie in
 * [-4, 4) at least 0.05 from the function's kinks (0 for the ReLU family, step and softsign, ±3
 * for hard sigmoid and hard swish, the threshold of thresholded ReLU). Leaky ReLU uses slope 0.05,
 * ELU and CELU alpha 0.7, thresholded ReLU threshold 0.7, so a parameter mix-up shows.
 */
class ActivationTest {
    static final float SLOPE = 0.05f;
    static final float ALPHA = 0.7f;

    static Layer layer(ActivationFunction f) {
        return switch (f) {
            case STEP -> ActivationLayer.step();
            case IDENTITY -> ActivationLayer.identity();
            case SIGMOID -> ActivationLayer.sigmoid();
            case TANH -> ActivationLayer.tanh();
            case RELU -> ActivationLayer.relu();
            case LEAKY_RELU -> ActivationLayer.leakyRelu(SLOPE);
            case ELU -> ActivationLayer.elu(ALPHA);
            case SELU -> ActivationLayer.selu();
            case GELU_TANH -> ActivationLayer.geluTanh();
            case GELU_ERF -> ActivationLayer.geluErf();
            case SOFTPLUS -> ActivationLayer.softplus();
            case SOFTSIGN -> ActivationLayer.softsign();
            case HARD_SIGMOID -> ActivationLayer.hardSigmoid();
            case HARD_SWISH -> ActivationLayer.hardSwish();
            case MISH -> ActivationLayer.mish();
            case CELU -> ActivationLayer.celu(ALPHA);
            case THRESHOLDED_RELU -> ActivationLayer.thresholdedRelu(ALPHA);
        };
    }

    static ActivationReference reference(ActivationFunction f) {
        return new ActivationReference(f, f == ActivationFunction.LEAKY_RELU ? SLOPE : ALPHA);
    }

    static Tensor input(ActivationFunction f, Shape shape, long seed) {
        double[] kinks = f == ActivationFunction.THRESHOLDED_RELU ? new double[] {ALPHA} : f.kinks();
        return Values.awayFrom(shape, seed, -4, 4, Values.DEFAULT_MARGIN, kinks);
    }

    @ParameterizedTest
    @EnumSource(ActivationFunction.class)
    void gradients(ActivationFunction f) {
        Cases.qt(281 + f.ordinal()).forAll(Gens.shapes(1, 3, 4), Gens.trainingModes(), Gens.seeds())
                .checkAssert((shape, training, seed) -> GradCheck.layer(layer(f)).input(input(f, shape, seed))
                        .training(training).seed(seed).check());
    }

    @ParameterizedTest
    @EnumSource(ActivationFunction.class)
    void laws(ActivationFunction f) {
        Cases.qt(301 + f.ordinal()).forAll(Gens.shapes(1, 3, 4), Gens.trainingModes(), Gens.seeds())
                .checkAssert((shape, training, seed) -> LayerLaws.check(layer(f), reference(f),
                        input(f, shape, seed), training, seed, () -> { }));
    }

    @ParameterizedTest(name = "log-softmax: {0}")
    @ValueSource(booleans = {false, true})
    void softmaxGradients(boolean log) {
        Cases.qt(log ? 293 : 291).forAll(Gens.shapes(1, 3, 5), Gens.seeds()).checkAssert((shape, seed) ->
                GradCheck.layer(log ? new LogSoftmax() : new Softmax()).input(Values.uniform(shape, seed, -3, 3))
                        .seed(seed).check());
    }

    @ParameterizedTest(name = "log-softmax: {0}")
    @ValueSource(booleans = {false, true})
    void softmaxLaws(boolean log) {
        Cases.qt(log ? 294 : 292).forAll(Gens.shapes(1, 3, 5), Gens.seeds()).checkAssert((shape, seed) ->
                LayerLaws.check(log ? new LogSoftmax() : new Softmax(), log ? SoftmaxReference.logSoftmax()
                        : SoftmaxReference.softmax(), Values.uniform(shape, seed, -3, 3), true, seed, () -> { }));
    }
}
