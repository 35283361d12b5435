package dev.lanes.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What one task of a step returns: the tree nodes it covers as (lo, hi) pairs with their
 * gradient sums, the sum over its chunks of loss times images, the images and right answers of its chunks, and how
 * long it computed.
 *
 * @param partition the task's partition: its worker index
 * @param nodes the tree nodes it covers, as (lo, hi) pairs
 * @param sums the gradient sum of each node
 * @param lossSum the sum over its chunks of loss times images
 * @param images the images it computed
 * @param correct how many of them it classified right
 * @param computeNanos the nanoseconds it spent computing
 */
record StepPart(int partition, int[] nodes, List<float[]> sums, double lossSum, int images, int correct,
                long computeNanos) implements Serializable {
    private static final long serialVersionUID = 1L;
}
