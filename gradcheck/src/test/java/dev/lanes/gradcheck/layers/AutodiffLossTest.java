package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.Generate.enumValues;

import dev.lanes.autodiff.Autodiff;
import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Losses;
import dev.lanes.autodiff.Tape;
import dev.lanes.autodiff.Var;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Precision;
import dev.lanes.layers.loss.Loss;
import dev.lanes.layers.loss.MultiClassHinge;
import dev.lanes.layers.loss.Reduction;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every loss written with autodiff operations ({@link Losses}), on the cases of {@link LossTest}
 * (predictions clear of kinks and clamps), mean and sum reduction, 200 cases per loss: central
 * differences and forward/reverse agreement with respect to the prediction, and agreement with the
 * loss layer of the same name. The layers accumulate in double and the operations in float32, so
 * values and gradients agree to float rounding: within 1e-5 relative to the largest of the two
 * plus 1e-6 absolute for the value (its terms are bounded by a few units, and a sum of at most 60
 * terms rounds by at most 60·2⁻²⁴ ≈ 4e-6 of their total), and within 1e-5 relative plus 1e-7 for
 * each gradient element (a few roundings of terms below 10). A wrong formula differs by percent.
 * Hessian-vector products of every loss are checked against central differences of the gradient.
 */
class AutodiffLossTest {
    /**
     * The relative step of the central differences for binary cross-entropy: its third derivative
     * reaches about 400 at p = 0.95, where the default step (4.9e-3) leaves a truncation error of
     * 2%; at 1e-3 it is 0.06%.
     */
    static final double BCE_STEP = 1e-3;

    static Function function(LossTest.Case c, Tensor target, Reduction r) {
        return switch (c) {
            case MSE -> in -> Losses.mse(in[0], target, r);
            case L1 -> in -> Losses.mae(in[0], target, r);
            case CROSS_ENTROPY_INDICES, CROSS_ENTROPY_PROBABILITIES -> in -> Losses.softmaxCrossEntropy(in[0], target, r);
            case BCE -> in -> Losses.binaryCrossEntropy(in[0], target, r);
            case BCE_WITH_LOGITS -> in -> Losses.binaryCrossEntropyWithLogits(in[0], target, r);
            case HINGE -> in -> Losses.hinge(in[0], target, r);
            case HINGE_WESTON_WATKINS -> in -> Losses.multiClassHinge(in[0], target,
                    MultiClassHinge.Formulation.WESTON_WATKINS, r);
            case HINGE_CRAMMER_SINGER -> in -> Losses.multiClassHinge(in[0], target,
                    MultiClassHinge.Formulation.CRAMMER_SINGER, r);
        };
    }

    @ParameterizedTest
    @EnumSource(LossTest.Case.class)
    void gradients(LossTest.Case c) {
        Cases.qt(1671 + c.ordinal()).forAll(c.shapes(), enumValues(Reduction.class), Gens.seeds())
                .checkAssert((shape, reduction, seed) -> {
                    Tensor[] data = c.data(shape, seed);
                    Function f = function(c, data[1], reduction);
                    String name = c + " " + reduction + " " + shape;
                    double step = c == LossTest.Case.BCE ? BCE_STEP : Precision.FLOAT32.step();
                    GradCheck.autodiff(name, f).inputs(data[0]).relativeStep(step).seed(seed).check();
                    GradCheck.forwardReverse(name, f).inputs(data[0]).seed(seed).check();
                });
    }

    /**
     * Hessian-vector products of every loss with respect to the prediction against central
     * differences of its reverse-mode gradient (the same steps as the gradients above; the
     * piecewise-linear losses, away from their kinks, have a zero Hessian there).
     */
    @ParameterizedTest
    @EnumSource(LossTest.Case.class)
    void hessianVectorProducts(LossTest.Case c) {
        Cases.qt(1711 + c.ordinal()).forAll(c.shapes(), enumValues(Reduction.class), Gens.seeds())
                .checkAssert((shape, reduction, seed) -> {
                    Tensor[] data = c.data(shape, seed);
                    Function f = function(c, data[1], reduction);
                    double step = c == LossTest.Case.BCE ? BCE_STEP : Precision.FLOAT32.step();
                    GradCheck.function("hvp of " + c + " " + reduction + " " + shape,
                            x -> Autodiff.grad(f, x).get(0), (x, u) -> Autodiff.hvp(f, x, u))
                            .input(data[0]).relativeStep(step).seed(seed).check();
                });
    }

    @ParameterizedTest
    @EnumSource(LossTest.Case.class)
    void agreesWithTheLossLayer(LossTest.Case c) {
        Cases.qt(1681 + c.ordinal()).forAll(c.shapes(), enumValues(Reduction.class), Gens.seeds())
                .checkAssert((shape, reduction, seed) -> {
                    Tensor[] data = c.data(shape, seed);
                    Loss layer = c.loss(reduction);
                    float expected = layer.forward(data[0], data[1]);
                    Tensor expectedGradient = layer.backward();
                    Tape tape = new Tape();
                    Var p = tape.input(data[0]);
                    Var value = function(c, data[1], reduction).apply(p);
                    tape.backward(value);
                    float actual = value.value().item();
                    double tolerance = 1e-5 * Math.max(Math.abs(expected), Math.abs(actual)) + 1e-6;
                    if (!(Math.abs(actual - expected) <= tolerance)) {
                        throw new AssertionError(c + " " + reduction + " " + shape + " seed " + seed + ": value "
                                + actual + ", the layer's " + expected);
                    }
                    Tensor.assertAllClose(p.grad(), expectedGradient, 1e-5, 1e-7);
                });
    }
}
