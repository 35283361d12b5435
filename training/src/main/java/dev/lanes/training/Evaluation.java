package dev.lanes.training;

import dev.lanes.training.metrics.ConfusionMatrix;

/**
 * A model's results on a dataset.
 *
 * @param loss      the mean loss per image
 * @param accuracy  the fraction classified correctly, in [0, 1]
 * @param confusion counts of (actual, predicted) pairs, with per-class precision and recall
 * @param seconds   the wall-clock time the evaluation took
 */
public record Evaluation(double loss, double accuracy, ConfusionMatrix confusion, double seconds) {
    /** {@return the number of images evaluated} */
    public long count() {
        return confusion.total();
    }
}
