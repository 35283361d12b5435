package dev.lanes.training.perceptron;

/**
 * What {@link Perceptron#train} did.
 *
 * @param converged       whether an epoch made no mistake (the examples are then separated)
 * @param epochs          the epochs run, the last one mistake-free when converged
 * @param mistakes        the mistakes (updates) of each output over all epochs
 * @param mistakesByEpoch the mistakes of all outputs together in each epoch
 */
public record PerceptronTraining(boolean converged, int epochs, long[] mistakes, long[] mistakesByEpoch) {
    /** {@return the mistakes of all outputs together} */
    public long totalMistakes() {
        long total = 0;
        for (long count : mistakes) {
            total += count;
        }
        return total;
    }

    /** {@return one line for a report, e.g. "converged after 7 epochs, 23 mistakes"} */
    public String describe() {
        return converged ? "converged after " + epochs + " epochs (" + totalMistakes() + " mistakes)"
                : "did not converge within " + epochs + " epochs (" + totalMistakes() + " mistakes, "
                + mistakesByEpoch[epochs - 1] + " in the last epoch)";
    }
}
