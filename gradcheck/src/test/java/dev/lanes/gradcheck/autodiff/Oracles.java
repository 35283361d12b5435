package dev.lanes.gradcheck.autodiff;

import dev.lanes.autodiff.Function;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.tensor.Tensor;

/** Both oracles on one function at one point: central differences and forward/reverse agreement. */
final class Oracles {
    private Oracles() {
    }

    static void check(String name, Function f, long seed, Tensor... inputs) {
        GradCheck.autodiff(name, f).inputs(inputs).seed(seed).check();
        GradCheck.forwardReverse(name, f).inputs(inputs).seed(seed).check();
    }

    /**
     * As {@link #check} with the full Jacobian only up to outputs x inputs = {@code limit}, random
     * directions above (the larger convolutions).
     */
    static void checkWithLimit(String name, Function f, long seed, long limit, Tensor... inputs) {
        GradCheck.autodiff(name, f).inputs(inputs).fullJacobianLimit(limit).seed(seed).check();
        GradCheck.forwardReverse(name, f).inputs(inputs).seed(seed).check();
    }

    /** As {@link #check} with central differences of an absolute step h (to stay between kinks). */
    static void checkWithStep(String name, Function f, long seed, double h, Tensor... inputs) {
        GradCheck.autodiff(name, f).inputs(inputs).step(h).seed(seed).check();
        GradCheck.forwardReverse(name, f).inputs(inputs).seed(seed).check();
    }
}
