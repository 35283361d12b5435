package dev.lanes.gradcheck;

import java.util.List;

/**
 * What the engine differentiates: variables it may perturb, an output it evaluates at their
 * current values, and vector-Jacobian products from the backward pass under test.
 */
interface Subject {
    String name();

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

    /** A subject whose name, variables and output dimensions are fixed when it is made. */
    abstract class Fixed implements Subject {
        private final String subjectName;
        private final List<Variable> subjectVariables;
        private final int[] subjectOutputDims;

        Fixed(String name, List<Variable> variables, int[] outputDims) {
            subjectName = name;
            subjectVariables = variables;
            subjectOutputDims = outputDims;
        }

        @Override
        public final String name() {
            return subjectName;
        }

        @Override
        public final List<Variable> variables() {
            return subjectVariables;
        }

        @Override
        public final int[] outputDims() {
            return subjectOutputDims;
        }
    }

    /** Vector-Jacobian products at one point. */
    interface Backward {
        /** dL/d(variable) for every variable, for the upstream gradient u = dL/d(output). */
        double[][] apply(double[] upstream);
    }
}
