package dev.lanes.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What one task of a step returns: the tree nodes it covers as (lo, hi) pairs with their
 * gradient sums, the sum over its chunks of loss times images, the images and right answers of its chunks, and how
 * long it computed.
 */
record StepPart(int partition, int[] nodes, List<float[]> sums, double lossSum, int images, int correct,
                long computeNanos) implements Serializable {
    private static final long serialVersionUID = 1L;
}
