package dev.lanes.training.adversarial;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.gradcheck.GradCheck;
import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.AvgPool2d;
import dev.lanes.layers.Conv2d;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.Layer;
import dev.lanes.layers.MaxPool2d;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.Sequential;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The input gradient against central differences of the loss, and its side effects. */
class InputGradientTest {

    /** A small smooth network: conv 3x3 → tanh → average pool → dense, (n, 1, 4, 4) to 3 classes. */
    static Sequential smooth(long seed) {
        return Sequential.builder(Shape.of(1, 4, 4))
                .add("conv", Conv2d.builder(1, 2, 3).padding(1).seed(seed).build())
                .add("tanh", ActivationLayer.tanh())
                .add("pool", new AvgPool2d(2))
                .add("flatten", new Flatten())
                .add("fc", new Dense(8, 3, seed + 1))
                .build();
    }

    /** The loss as a one-element tensor, and its input gradient times the upstream gradient. */
    private static void check(Layer network, Tensor input, Tensor target, long seed, boolean full) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        InputGradient gradient = new InputGradient(network, loss);
        var check = GradCheck.function("loss of " + network.name() + " by its input",
                x -> Tensor.fromArray(new float[] {loss.forward(network.forward(x, false), target)}, 1),
                (x, g) -> {
                    Tensor dx = Tensor.zeros(x.shape());
                    gradient.compute(dx, x, target);
                    return dx.mul(g.get(0));
                }).input(input).seed(seed);
        (full ? check.fullJacobian() : check.randomDirections(6)).check();
    }

    @Test
    void matchesCentralDifferencesOnASmoothNetwork() {
        Tensor input = Tensor.randn(Shape.of(3, 1, 4, 4), 5);
        check(smooth(3), input, Tensor.fromArray(new float[] {0, 2, 1}, 3), 17, true);
    }

    @Test
    void matchesCentralDifferencesThroughReluAndMaxPooling() {
        // The default CNN's kinds of layers, small enough for the full Jacobian: a step on one
        // input moves few units, so at random normal inputs it rarely crosses a kink (a random
        // direction through all of the default CNN's 784 inputs crosses several).
        Sequential network = Sequential.builder(Shape.of(1, 6, 6))
                .add("conv", Conv2d.builder(1, 3, 3).padding(1).seed(21).build())
                .add("relu", ActivationLayer.relu())
                .add("pool", new MaxPool2d(2))
                .add("flatten", new Flatten())
                .add("fc", new Dense(27, 4, 22))
                .build();
        check(network, Tensor.randn(Shape.of(2, 1, 6, 6), 8), Tensor.fromArray(new float[] {3, 1}, 2), 19, true);
    }

    @Test
    void leavesTheParameterGradientsAsTheyWere() {
        Sequential network = smooth(9);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor input = Tensor.randn(Shape.of(2, 1, 4, 4), 6);
        Tensor target = Tensor.fromArray(new float[] {1, 0}, 2);
        loss.forward(network.forward(input, true), target);
        network.backward(loss.backward());
        Tensor[] before = new Tensor[network.parameters().size()];
        for (int p = 0; p < before.length; p++) {
            before[p] = network.parameters().get(p).grad().copy();
        }
        Tensor dx = Tensor.zeros(input.shape());
        float value = new InputGradient(network, loss).compute(dx, input, target);
        assertTrue(value > 0 && Float.isFinite(value));
        for (int p = 0; p < before.length; p++) {
            Parameter parameter = network.parameters().get(p);
            assertNull(Tensor.mismatch(parameter.grad(), before[p], 0, 0), parameter.name() + " changed");
            assertTrue(before[p].abs().sum() > 0, parameter.name() + " had no gradient to keep");
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new InputGradient(network, loss)
                .compute(Tensor.zeros(2, 16), input, target)).getMessage().contains("gradient is (2, 16)"));
    }
}
