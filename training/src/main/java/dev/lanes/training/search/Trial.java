package dev.lanes.training.search;

import java.util.List;

/**
 * One finished training run of a search.
 *
 * @param stage              0 for the default settings, 1 for the coarse stage, 2.. for the fine stages
 * @param configuration      the configuration's number within its stage
 * @param repeat             the run's number among the configuration's repeats (initialisations)
 * @param seed               the seed of the run (weights, order of the images)
 * @param values             one value per parameter of the space, in its order (empty for the defaults)
 * @param result             what the run measured
 */
public record Trial(int stage, int configuration, int repeat, long seed, List<String> values, Result result) {
    /**
     * What one training run measured.
     *
     * @param trainAccuracy      accuracy on (a sample of) the training images, weights as at the end
     * @param validationAccuracy accuracy on the validation images
     * @param validationLoss     mean loss on the validation images
     * @param epochs             epochs trained
     * @param seconds            wall-clock time of the run
     */
    public record Result(double trainAccuracy, double validationAccuracy, double validationLoss, int epochs,
                         double seconds) {
    }

    /** Copies the values. */
    public Trial {
        values = List.copyOf(values);
    }

    /**
     * {@return the stage's name: default, coarse, fine 1, fine 2, ...}
     *
     * @param stage the stage, from 0 (the defaults)
     */
    public static String stageName(int stage) {
        return stage == 0 ? "default" : stage == 1 ? "coarse" : "fine " + (stage - 1);
    }
}
