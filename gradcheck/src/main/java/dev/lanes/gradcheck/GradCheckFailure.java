package dev.lanes.gradcheck;

import java.util.Locale;

/**
 * A gradient check that failed: the analytic gradient (backward pass) disagrees with central
 * differences beyond the tolerance. An {@link AssertionError}, so test frameworks report it as a
 * test failure; the message names the subject, the variable, the index, both values, the error,
 * the tolerance and the seed that reproduces the check.
 */
public final class GradCheckFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient GradCheckResult result;
    private final transient Comparison failure;
    /** The number of comparisons that failed. */
    private final long failing;

    GradCheckFailure(GradCheckResult result, Comparison failure, long failing) {
        super(message(result, failure, failing));
        this.result = result;
        this.failure = failure;
        this.failing = failing;
    }

    private static String message(GradCheckResult result, Comparison c, long failing) {
        return String.format(Locale.ROOT, "gradient check failed for %s%n"
                        + "  variable:  %s%n"
                        + "  where:     %s%n"
                        + "  numeric:   %.9g   (central difference, step %.3g)%n"
                        + "  analytic:  %.9g   (backward)%n"
                        + "  error:     %.3g > tolerance %.3g (roundoff part %.3g)%n"
                        + "  %d of %d comparisons failed (%s, %s); this is the worst; seed %d",
                result.subject(), c.variable(), c.index(), c.numeric(), c.step(), c.analytic(), c.error(),
                c.tolerance(), c.roundoff(), failing, result.comparisons(), result.mode(), result.precision(),
                result.seed());
    }

    /** {@return the layer, loss or function name} */
    public String subject() {
        return result.subject();
    }

    /**
     * {@return the variable of the worst failing comparison: "input", a parameter name, or a
     * function input}
     */
    public String variable() {
        return failure.variable();
    }

    /** {@return the worst failing comparison (largest error / tolerance)} */
    public Comparison worst() {
        return failure;
    }

    /** {@return the seed of the check's random choices} */
    public long seed() {
        return result.seed();
    }

    /** {@return how many comparisons failed} */
    public long failingComparisons() {
        return failing;
    }

    /** {@return the summary over all comparisons} */
    public GradCheckResult result() {
        return result;
    }
}
