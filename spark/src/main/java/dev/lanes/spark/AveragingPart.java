package dev.lanes.spark;

import java.io.Serializable;

/**
 * What one task of an averaging period returns: its state after the local steps and its loss.
 *
 * @param partition the task's partition: its worker index
 * @param state the worker's weights, slots and steps after its local steps
 * @param lossSum the sum over its chunks of loss times images
 * @param images the images it computed
 * @param correct how many of them it classified right
 * @param computeNanos the nanoseconds it spent computing
 */
record AveragingPart(int partition, OptimizerState state, double lossSum, int images, int correct,
                     long computeNanos) implements Serializable {
    private static final long serialVersionUID = 1L;
}
