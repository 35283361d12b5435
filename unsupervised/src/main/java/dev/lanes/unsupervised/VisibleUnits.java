package dev.lanes.unsupervised;

/** The kind of an RBM's visible units; hidden units are always binary (Bernoulli). */
public enum VisibleUnits {
    /**
     * Binary units: {@code P(v_i = 1 | h) = σ(b_i + Σ_j W_ji h_j)}, energy term {@code −b_i v_i}.
     * Data must be 0 or 1 (or, where a trainer allows it, probabilities in [0, 1]).
     */
    BERNOULLI,
    /**
     * Real-valued units with unit variance: {@code v_i | h ~ N(b_i + Σ_j W_ji h_j, 1)}, energy term
     * {@code (v_i − b_i)² / 2}. Data should be standardised (zero mean, unit variance per unit), as
     * the variance is fixed at 1.
     */
    GAUSSIAN
}
