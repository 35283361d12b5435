package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.autodiff.Autodiff;
import dev.lanes.autodiff.Function;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.reference.ActivationFunction;
import dev.lanes.kernels.Activation;
import dev.lanes.layers.ActivationLayer;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every activation of the kernels as an autodiff operation, with the parameters and inputs of
 * {@link ActivationTest} (values in [-4, 4) away from the kinks), 200 cases each picking the
 * activation: central differences, forward/reverse agreement, and Hessian-vector products against
 * central differences of the gradient (f = Σ c·act(x), c fixed).
 */
class AutodiffActivationTest {
    static Activation activation(ActivationFunction f) {
        return ((ActivationLayer) ActivationTest.layer(f)).activation();
    }

    @Test
    void everyActivation() {
        ActivationFunction[] all = ActivationFunction.values();
        Cases.qt(1611).forAll(integers().between(0, all.length - 1), Gens.shapes(0, 3, 4), Gens.seeds())
                .checkAssert((index, shape, seed) -> {
                    Activation activation = activation(all[index]);
                    Tensor x = ActivationTest.input(all[index], shape, seed);
                    Function f = in -> in[0].activation(activation);
                    String name = activation + " " + shape;
                    GradCheck.autodiff(name, f).inputs(x).seed(seed).check();
                    GradCheck.forwardReverse(name, f).inputs(x).seed(seed).check();
                });
    }

    @Test
    void hessianVectorProducts() {
        ActivationFunction[] all = ActivationFunction.values();
        Cases.qt(1613).forAll(integers().between(0, all.length - 1), Gens.shapes(1, 3, 4), Gens.seeds())
                .checkAssert((index, shape, seed) -> {
                    Activation activation = activation(all[index]);
                    Tensor c = Tensor.randn(shape, seed + 1);
                    Function f = in -> in[0].activation(activation).mul(in[0].tape().constant(c)).sum();
                    GradCheck.function("hvp of " + activation + " " + shape, x -> Autodiff.grad(f, x).get(0),
                            (x, u) -> Autodiff.hvp(f, x, u)).input(ActivationTest.input(all[index], shape, seed))
                            .seed(seed).check();
                });
    }
}
