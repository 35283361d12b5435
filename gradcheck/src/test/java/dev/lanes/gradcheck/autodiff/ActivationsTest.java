package dev.lanes.gradcheck.autodiff;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.ActivationFunction;
import dev.lanes.kernels.Activation;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every activation of the kernels as an operation, over generated shapes, with values in [-4, 4)
 * away from the function's kinks: central differences and forward/reverse agreement, 200 cases
 * (each picks the activation). Leaky ReLU uses slope 0.05 and ELU alpha 0.7.
 */
class ActivationsTest {
    static Activation activation(ActivationFunction f) {
        return switch (f) {
            case STEP -> Activation.STEP;
            case IDENTITY -> Activation.IDENTITY;
            case SIGMOID -> Activation.SIGMOID;
            case TANH -> Activation.TANH;
            case RELU -> Activation.RELU;
            case LEAKY_RELU -> Activation.leakyRelu(0.05f);
            case ELU -> Activation.elu(0.7f);
            case SELU -> Activation.SELU;
            case GELU_TANH -> Activation.GELU_TANH;
            case GELU_ERF -> Activation.GELU_ERF;
            case SOFTPLUS -> Activation.SOFTPLUS;
            case SOFTSIGN -> Activation.SOFTSIGN;
            case HARD_SIGMOID -> Activation.HARD_SIGMOID;
        };
    }

    static Tensor input(ActivationFunction f, Shape shape, long seed) {
        return Values.awayFrom(shape, seed, -4, 4, Values.DEFAULT_MARGIN, f.kinks());
    }

    @Test
    void everyActivation() {
        ActivationFunction[] all = ActivationFunction.values();
        Cases.qt(1611).forAll(integers().between(0, all.length - 1), Gens.shapes(0, 3, 4), Gens.seeds())
                .checkAssert((index, shape, seed) -> {
                    ActivationFunction f = all[index];
                    Activation activation = activation(f);
                    Oracles.check(activation + " " + shape, in -> in[0].activation(activation), seed,
                            input(f, shape, seed));
                });
    }
}
