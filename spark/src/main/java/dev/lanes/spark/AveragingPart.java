package dev.lanes.spark;

import java.io.Serializable;

/** What one task of an averaging period returns: its state after the local steps and its loss. */
record AveragingPart(int partition, OptimizerState state, double lossSum, int images, int correct,
                     long computeNanos) implements Serializable {
    private static final long serialVersionUID = 1L;
}
