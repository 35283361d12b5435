package dev.lanes.training.search;

import java.util.Locale;

/**
 * The decks' diagnosis from training and validation accuracy: the bias is how far the training
 * accuracy falls short of the attainable one, the variance how far the validation accuracy falls
 * short of the training accuracy. With the decks' examples (attainable 100%): 99% / 89% is high
 * variance (overfitting), 90% / 89% high bias (underfitting), 89% / 78% both. A gap counts as
 * high above {@value #THRESHOLD_POINTS} percentage points, which separates the decks' examples.
 *
 * @param trainAccuracy      in [0, 1]
 * @param validationAccuracy in [0, 1]
 * @param attainable         the accuracy a model could reach (the decks take 100%)
 */
public record BiasVariance(double trainAccuracy, double validationAccuracy, double attainable) {
    /** The gap in percentage points above which bias or variance counts as high. */
    public static final double THRESHOLD_POINTS = 5;

    /**
     * {@return the diagnosis against an attainable accuracy of 100%}
     *
     * @param trainAccuracy the training accuracy, in [0, 1]
     * @param validationAccuracy the validation accuracy, in [0, 1]
     */
    public static BiasVariance of(double trainAccuracy, double validationAccuracy) {
        return new BiasVariance(trainAccuracy, validationAccuracy, 1.0);
    }

    /** {@return the bias in percentage points: attainable − training accuracy} */
    public double biasPoints() {
        return 100 * (attainable - trainAccuracy);
    }

    /** {@return the variance in percentage points: training − validation accuracy} */
    public double variancePoints() {
        return 100 * (trainAccuracy - validationAccuracy);
    }

    /** {@return whether the bias is high} */
    public boolean highBias() {
        return biasPoints() > THRESHOLD_POINTS;
    }

    /** {@return whether the variance is high} */
    public boolean highVariance() {
        return variancePoints() > THRESHOLD_POINTS;
    }

    /** {@return the decks' words for the case} */
    public String verdict() {
        if (highBias() && highVariance()) {
            return "high bias and high variance";
        }
        return highBias() ? "high bias (underfitting)" : highVariance() ? "high variance (overfitting)"
                : "low bias and low variance";
    }

    /** {@return the decks' remedies for the case} */
    public String advice() {
        String bias = "try a bigger network, train longer, change the architecture (more data will not help)";
        String variance = "take a bigger training set, regularize, change the architecture";
        if (highBias() && highVariance()) {
            return bias + "; then " + variance;
        }
        return highBias() ? bias : highVariance() ? variance : "keep it";
    }

    /** {@return one line: both accuracies, both gaps, the verdict and the advice} */
    public String describe() {
        return String.format(Locale.ROOT, "training %.2f%%, validation %.2f%%: bias %.1f points, variance %.1f points:"
                        + " %s; %s", 100 * trainAccuracy, 100 * validationAccuracy, biasPoints(), variancePoints(),
                verdict(), advice());
    }
}
