package dev.lanes.unsupervised;

/**
 * Parallel Gibbs chains of an {@link Rbm}: block Gibbs sampling, all hidden units given the
 * visible ones, then all visible units given the hidden ones.
 *
 * <p>Each chain holds a visible state v, the hidden probabilities p = P(h = 1 | v) and a hidden
 * state h drawn from p. A {@link #run step} draws v from P(v | h) (keeping clamped units at their
 * values), then computes p for the new v and draws h from it; {@link #visibleMeans()} keeps
 * E[v | h] of the last step. The chains are rows of (chains, V) and (chains, H) arrays; the
 * randomness comes from one seeded stream, so a run is reproducible.
 *
 * <p>A chain whose probabilities or Gaussian states become NaN or infinite (parameters that
 * diverged in training) stops the run with a {@link ChainDivergedException}.
 */
public final class GibbsSampler {
    private final Rbm rbm;
    private final int chains;
    private final UnitSampler sampler;
    private final float[] visibleStates;
    private final float[] visibleMeans;
    private final float[] hiddenProbabilities;
    private final float[] hiddenStates;
    private final float[] clampedValues;
    private boolean[] clamped;
    private int active;
    private long steps;

    /**
     * {@code chains} chains, not started.
     *
     * @param rbm the RBM the chains sample
     * @param chains the number of chains, {@code >= 1}
     * @param seed the seed of the chains' random draws
     */
    public GibbsSampler(Rbm rbm, int chains, long seed) {
        if (chains < 1) {
            throw new IllegalArgumentException("GibbsSampler: chains must be positive, got " + chains);
        }
        this.rbm = rbm;
        this.chains = chains;
        this.sampler = new UnitSampler(seed);
        this.visibleStates = new float[chains * rbm.visible()];
        this.visibleMeans = new float[chains * rbm.visible()];
        this.hiddenProbabilities = new float[chains * rbm.hidden()];
        this.hiddenStates = new float[chains * rbm.hidden()];
        this.clampedValues = new float[chains * rbm.visible()];
    }

    /** {@return the number of chains this sampler holds} */
    public int capacity() {
        return chains;
    }

    /** {@return the chains in use since the last start} */
    public int active() {
        return active;
    }

    /**
     * Gibbs steps run since the last start.
     *
     * @return the number of Gibbs steps since the last start
     */
    public long steps() {
        return steps;
    }

    /**
     * Starts the first n chains at the rows of v (n, V); the values are not checked here (see
     * {@link #startChecked}). Computes their hidden probabilities and draws hidden states.
     *
     * @param v the visible values, row-major, (n, V) from {@code offV}
     * @param offV the index in {@code v} of the first row's first value
     * @param n the number of chains started, in [1, capacity]
     */
    public void start(float[] v, int offV, int n) {
        if (n < 1 || n > chains) {
            throw new IllegalArgumentException("GibbsSampler: can start 1 to " + chains + " chains, got " + n);
        }
        Matrices.requireRows(rbm.name(), "chain start", v, offV, n, rbm.visible());
        System.arraycopy(v, offV, visibleStates, 0, n * rbm.visible());
        System.arraycopy(v, offV, clampedValues, 0, n * rbm.visible());
        active = n;
        steps = 0;
        drawHidden(true);
    }

    /**
     * As {@link #start}, after checking the values as the units require (binary for Bernoulli).
     *
     * @param v the visible values, row-major, (n, V) from {@code offV}
     * @param offV the index in {@code v} of the first row's first value
     * @param n the number of chains started, in [1, capacity]
     */
    public void startChecked(float[] v, int offV, int n) {
        rbm.checkVisible(v, offV, n, false);
        start(v, offV, n);
    }

    /**
     * Starts every chain at a random visible state: uniform binary for Bernoulli units, N(b, I) for
     * Gaussian units.
     */
    public void startRandom() {
        int size = chains * rbm.visible();
        if (rbm.units() == VisibleUnits.BERNOULLI) {
            for (int i = 0; i < size; i++) {
                visibleStates[i] = sampler.uniform() < 0.5f ? 1f : 0f;
            }
        } else {
            float[] b = rbm.visibleBias().value().data();
            for (int row = 0; row < chains; row++) {
                System.arraycopy(b, 0, visibleMeans, row * rbm.visible(), rbm.visible());
            }
            sampler.gaussian(visibleStates, 0, visibleMeans, 0, size);
        }
        System.arraycopy(visibleStates, 0, clampedValues, 0, size);
        active = chains;
        steps = 0;
        drawHidden(true);
    }

    /**
     * Holds the visible units where {@code mask} is true at the values the chains were started
     * with (the observed part of incomplete data); null releases them all.
     *
     * @param mask true for each visible unit to hold, (V), or null to release all
     */
    public void clamp(boolean[] mask) {
        if (mask != null && mask.length != rbm.visible()) {
            throw new IllegalArgumentException(rbm.name() + ": clamp mask needs " + rbm.visible() + " entries, got "
                    + mask.length);
        }
        clamped = mask == null ? null : mask.clone();
    }

    /**
     * Runs {@code count} Gibbs steps on the active chains.
     *
     * @param count the number of Gibbs steps, {@code >= 0}
     */
    public void run(int count) {
        requireStarted();
        for (int t = 0; t < count; t++) {
            step(true);
        }
    }

    /**
     * Runs {@code count} steps, the last one without drawing the hidden states: for statistics
     * that use only the hidden probabilities (contrastive divergence's negative phase, whose
     * chains restart at the next batch). The stream moves on as if they were drawn, so whatever
     * is drawn next is the same as after {@link #run}; {@link #hiddenStates()} is stale until the
     * next step or start.
     */
    void runForStatistics(int count) {
        requireStarted();
        for (int t = 0; t < count; t++) {
            step(t + 1 < count);
        }
    }

    private void requireStarted() {
        if (active == 0) {
            throw new IllegalStateException(rbm.name() + ": start the chains before running them");
        }
    }

    /** One step: v ~ P(v | h) (clamped units kept), then p = P(h | v), and h ~ p if asked. */
    private void step(boolean drawHiddenStates) {
        int n = active;
        int size = n * rbm.visible();
        rbm.visibleInputs(visibleMeans, 0, hiddenStates, 0, n);
        float check = rbm.units() == VisibleUnits.BERNOULLI
                ? sampler.sigmoidBernoulli(visibleStates, 0, visibleMeans, 0, size, true)
                : sampler.gaussian(visibleStates, 0, visibleMeans, 0, size);
        if (!Float.isFinite(check)) {
            throw new ChainDivergedException(rbm.name() + ": the Gibbs chains diverged at step " + (steps + 1)
                    + " (visible means or states became NaN or infinite); the parameters hold non-finite or "
                    + "exploding values");
        }
        if (clamped != null) {
            restoreClamped(n);
        }
        steps++;
        drawHidden(drawHiddenStates);
    }

    private void restoreClamped(int n) {
        int columns = rbm.visible();
        for (int row = 0; row < n; row++) {
            int start = row * columns;
            for (int i = 0; i < columns; i++) {
                if (clamped[i]) {
                    visibleStates[start + i] = clampedValues[start + i];
                }
            }
        }
    }

    private void drawHidden(boolean drawStates) {
        rbm.hiddenInputs(hiddenProbabilities, 0, visibleStates, 0, active);
        float check = sampler.sigmoidBernoulli(hiddenStates, 0, hiddenProbabilities, 0, active * rbm.hidden(),
                drawStates);
        if (!Float.isFinite(check)) {
            throw new ChainDivergedException(rbm.name() + ": the Gibbs chains diverged at step " + steps
                    + " (hidden probabilities became NaN); the parameters or the visible states hold non-finite "
                    + "values");
        }
    }

    /**
     * {@return the visible states, (capacity, V), of which the first {@link #active()} rows are in
     * use (live array)}
     */
    public float[] visibleStates() {
        return visibleStates;
    }

    /**
     * E[v | h] of the last step, (capacity, V) (live array; zero before the first step).
     *
     * @return E[v | h], (capacity, V), the live array
     */
    public float[] visibleMeans() {
        return visibleMeans;
    }

    /**
     * P(h = 1 | v) for the current visible states, (capacity, H) (live array).
     *
     * @return P(h = 1 | v), (capacity, H), the live array
     */
    public float[] hiddenProbabilities() {
        return hiddenProbabilities;
    }

    /** {@return the hidden states, (capacity, H) (live array)} */
    public float[] hiddenStates() {
        return hiddenStates;
    }
}
