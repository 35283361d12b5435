package dev.lanes.gradcheck;

/**
 * The options every check shares; each setter returns the check itself, so calls chain.
 * Defaults come from the {@link Precision} of the subject (see there for why).
 *
 * @param <B> the concrete check
 */
public abstract class AbstractCheck<B extends AbstractCheck<B>> {
    /** The default {@link #fullJacobianLimit}: outputs x inputs up to which AUTO checks every entry. */
    public static final long DEFAULT_FULL_LIMIT = 40_000;
    /**
     * The default number of random directions in {@link Mode#DIRECTIONS}: with 16, one entry of a
     * (32, 2001) input gradient that is wrong by about its own size is caught at 19 or more of 20
     * seeds (GradCheckTest), where 4 caught it at about a third.
     */
    public static final int DEFAULT_DIRECTIONS = 16;
    /** The default number of random single entries per variable {@link Mode#DIRECTIONS} also checks. */
    public static final int DEFAULT_PROBES = 8;

    private final Precision precision;
    private long seed = 42;
    private Mode mode = Mode.AUTO;
    private double relativeStep;
    private double fixedStep = Double.NaN;
    private double relativeTolerance;
    private double absoluteTolerance;
    private double roundoffFactor;
    private int directions = DEFAULT_DIRECTIONS;
    private int probes = DEFAULT_PROBES;
    private long fullJacobianLimit = DEFAULT_FULL_LIMIT;

    AbstractCheck(Precision precision) {
        this.precision = precision;
        this.relativeStep = precision.step();
        this.relativeTolerance = precision.relativeTolerance();
        this.absoluteTolerance = precision.absoluteTolerance();
        this.roundoffFactor = precision.roundoffFactor();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The seed of the random inputs, directions and output weights (printed in every failure); default 42.
     *
     * @param seed the seed of the random directions and probes; a failure message prints it
     * @return this check
     */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /**
     * {@link Mode#FULL}, {@link Mode#DIRECTIONS} or {@link Mode#AUTO} (the default).
     *
     * @param mode full Jacobian, random directions or automatic
     * @return this check
     */
    public B mode(Mode mode) {
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        return self();
    }

    /**
     * Shorthand for {@code mode(Mode.FULL)}.
     *
     * @return this check
     */
    public B fullJacobian() {
        return mode(Mode.FULL);
    }

    /**
     * Shorthand for {@code mode(Mode.DIRECTIONS).directions(count)}.
     *
     * @param count the number of random directions, {@code >= 1}
     * @return this check
     */
    public B randomDirections(int count) {
        return mode(Mode.DIRECTIONS).directions(count);
    }

    /**
     * How many random directions {@link Mode#DIRECTIONS} tries per variable (default 16).
     *
     * @param count the number of random directions, {@code >= 1}
     * @return this check
     */
    public B directions(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("directions must be at least 1, got " + count);
        }
        this.directions = count;
        return self();
    }

    /**
     * How many random single entries of each variable {@link Mode#DIRECTIONS} checks after the
     * directions, each against a central difference in that coordinate alone (the last entry is
     * always checked too); default 8, 0 turns the probes off (the last entry included).
     *
     * @param count the number of random probes per direction, {@code >= 1}
     * @return this check
     */
    public B probes(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("probes must be non-negative, got " + count);
        }
        this.probes = count;
        return self();
    }

    /**
     * Outputs x inputs up to which {@link Mode#AUTO} checks the full Jacobian (default 40,000).
     *
     * @param limit the largest outputs x inputs checked in full
     * @return this check
     */
    public B fullJacobianLimit(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("fullJacobianLimit must be non-negative, got " + limit);
        }
        this.fullJacobianLimit = limit;
        return self();
    }

    /**
     * An absolute step: every coordinate moves by exactly {@code h} (after rounding to the
     * precision). Use it to stay inside a region between kinks that you know is wider than 2h.
     *
     * @param h the absolute step, {@code > 0}
     * @return this check
     */
    public B step(double h) {
        requirePositive("step", h);
        this.fixedStep = h;
        return self();
    }

    /**
     * The relative step h0: coordinate x moves by h0 * max(1, |x|) (the default, h0 = cbrt(eps)).
     *
     * @param h0 the step relative to max(1, |x|), {@code > 0}
     * @return this check
     */
    public B relativeStep(double h0) {
        requirePositive("relativeStep", h0);
        this.relativeStep = h0;
        this.fixedStep = Double.NaN;
        return self();
    }

    /**
     * The relative and absolute parts of the tolerance (see {@link Precision}).
     *
     * @param relative the relative tolerance
     * @param absolute the absolute tolerance
     * @return this check
     */
    public B tolerance(double relative, double absolute) {
        requireNonNegative("relative tolerance", relative);
        requireNonNegative("absolute tolerance", absolute);
        this.relativeTolerance = relative;
        this.absoluteTolerance = absolute;
        return self();
    }

    /**
     * The multiple of eps * magnitude / step allowed for roundoff (see {@link Precision}); 0 turns it off.
     *
     * @param factor the multiple of the estimated rounding error allowed beyond the tolerance
     * @return this check
     */
    public B roundoffFactor(double factor) {
        requireNonNegative("roundoffFactor", factor);
        this.roundoffFactor = factor;
        return self();
    }

    Settings settings() {
        return new Settings(seed, mode, relativeStep, fixedStep, relativeTolerance, absoluteTolerance, roundoffFactor,
                directions, probes, fullJacobianLimit, precision);
    }

    long seedValue() {
        return seed;
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be non-negative and finite, got " + value);
        }
    }
}
