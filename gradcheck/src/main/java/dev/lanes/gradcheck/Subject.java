package dev.lanes.gradcheck;

import java.util.List;

/**
 * What the engine differentiates: variables it may perturb, an output it evaluates at their
 * current values, and vector-Jacobian products from the backward pass under test.
 */
interface Subject {
    String name();

    Precision precision();

    List<Variable> variables();

    int[] outputDims();

    /** The output at the current values of the variables, as a fresh array. */
    double[] evaluate();

    /**
     * Prepares backward passes at the current values (a layer runs its forward here); then
     * {@link Backward#apply} may be called any number of times until the next evaluate.
     */
    Backward backwardAtCurrentPoint();

    /** Restores whatever the check changed besides the variables (parameter gradients). */
    default void finish() {
    }

    /** Vector-Jacobian products at one point. */
    interface Backward {
        /** dL/d(variable) for every variable, for the upstream gradient u = dL/d(output). */
        double[][] apply(double[] upstream);
    }
}
