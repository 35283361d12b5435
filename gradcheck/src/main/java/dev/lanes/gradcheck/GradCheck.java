package dev.lanes.gradcheck;

import dev.lanes.gradcheck.reference.ReferenceLayer;
import dev.lanes.gradcheck.reference.ReferenceLoss;
import dev.lanes.layers.Layer;
import dev.lanes.layers.loss.Loss;

/**
 * Gradient checks: central differences of a forward pass against its backward pass.
 *
 * <pre>{@code
 * @Test
 * void myLayerBackwardIsRight() {
 *     GradCheck.layer(new MyLayer(4, 3)).input(2, 4).seed(42).check();   // throws on failure
 * }
 * }</pre>
 *
 * <p>A check evaluates the subject at perturbed points and compares, either every entry of the
 * Jacobian ({@link Mode#FULL}, small shapes) or random directions u^T J v ({@link Mode#DIRECTIONS},
 * large shapes); {@link Mode#AUTO} picks by size. Steps and tolerances default to values derived
 * from the arithmetic ({@link Precision}: float32 for layers, losses and tensor functions, double
 * for {@link #doubleFunction} and the {@code reference} implementations). A failure throws
 * {@link GradCheckFailure} (an {@link AssertionError}) naming the subject, the variable, the index,
 * the numeric and analytic values, the error, the tolerance and the seed; a pass returns a
 * {@link GradCheckResult} with the largest error.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /**
     * Checks a float32 layer with respect to its input and every parameter.
     *
     * @param layer the layer to check
     * @return the check, to configure and run
     */
    public static LayerCheck layer(Layer layer) {
        return new LayerCheck(layer);
    }

    /**
     * Checks a float32 loss with respect to its prediction.
     *
     * @param loss the loss to check
     * @return the check, to configure and run
     */
    public static LossCheck loss(Loss loss) {
        return new LossCheck(loss);
    }

    /**
     * Checks a float32 function of one tensor given as forward and vector-Jacobian product.
     *
     * @param name the name of the checked function, in failure messages
     * @param forward the function
     * @param vjp its vector-Jacobian product, the derivative under test
     * @return the check, to configure and run
     */
    public static FunctionCheck function(String name, FunctionCheck.Forward forward, FunctionCheck.Vjp vjp) {
        return new FunctionCheck(name, forward, vjp);
    }

    /**
     * Checks the reverse-mode gradients of a function written with autodiff operations against
     * central differences, with respect to every input.
     *
     * @param name the name of the checked function, in failure messages
     * @param function the function, written with autodiff operations
     * @return the check, to configure and run
     */
    public static AutodiffCheck autodiff(String name, dev.lanes.autodiff.Function function) {
        return new AutodiffCheck(name, function);
    }

    /**
     * Checks that forward mode and reverse mode of a function written with autodiff operations
     * agree: uᵀ(J·v) against (uᵀ·J)·v for random u and v, no finite differences.
     *
     * @param name the name of the checked function, in failure messages
     * @param function the function, written with autodiff operations
     * @return the check, to configure and run
     */
    public static ForwardReverseCheck forwardReverse(String name, dev.lanes.autodiff.Function function) {
        return new ForwardReverseCheck(name, function);
    }

    /**
     * Checks a double-precision function of named inputs given as forward and vector-Jacobian product.
     *
     * @param name the name of the checked function, in failure messages
     * @param forward the function
     * @param vjp its vector-Jacobian product, the derivative under test
     * @return the check, to configure and run
     */
    public static DoubleFunctionCheck doubleFunction(String name, DoubleFunctionCheck.Forward forward,
                                                     DoubleFunctionCheck.Vjp vjp) {
        return new DoubleFunctionCheck(name, forward, vjp);
    }

    /**
     * Checks a double-precision reference layer with respect to its input and every parameter.
     *
     * @param layer the layer to check
     * @return the check, to configure and run
     */
    public static ReferenceLayerCheck layer(ReferenceLayer layer) {
        return new ReferenceLayerCheck(layer);
    }

    /**
     * Checks a double-precision reference loss with respect to its prediction.
     *
     * @param loss the loss to check
     * @return the check, to configure and run
     */
    public static ReferenceLossCheck loss(ReferenceLoss loss) {
        return new ReferenceLossCheck(loss);
    }
}
