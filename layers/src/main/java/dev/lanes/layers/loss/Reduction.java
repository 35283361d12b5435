package dev.lanes.layers.loss;

/** How a loss combines the per-element (or per-example) losses of a batch. */
public enum Reduction {
    /** The mean over the batch (and over elements for elementwise losses). */
    MEAN,
    /** The sum. */
    SUM
}
