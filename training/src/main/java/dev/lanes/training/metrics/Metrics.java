package dev.lanes.training.metrics;

/** Metrics on label arrays. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * {@return the fraction of {@code i < count} with {@code predicted[i] == actual[i]}; 0 when
     * {@code count} is 0}
     *
     * @param actual the actual classes
     * @param predicted the predicted classes
     * @param count the number of pairs, from the first
     */
    public static double accuracy(int[] actual, int[] predicted, int count) {
        if (count < 0 || actual.length < count || predicted.length < count) {
            throw new IllegalArgumentException("count " + count + " exceeds actual.length " + actual.length
                    + " or predicted.length " + predicted.length);
        }
        return count == 0 ? 0 : (double) correct(actual, predicted, count) / count;
    }

    /**
     * {@return the number of {@code i < count} with {@code predicted[i] == actual[i]}}
     *
     * @param actual the actual classes
     * @param predicted the predicted classes
     * @param count the number of pairs, from the first
     */
    public static int correct(int[] actual, int[] predicted, int count) {
        if (count < 0 || actual.length < count || predicted.length < count) {
            throw new IllegalArgumentException("count " + count + " exceeds actual.length " + actual.length
                    + " or predicted.length " + predicted.length);
        }
        int correct = 0;
        for (int i = 0; i < count; i++) {
            if (actual[i] == predicted[i]) {
                correct++;
            }
        }
        return correct;
    }

    /**
     * {@return a confusion matrix of the first {@code count} pairs}
     *
     * @param classes the number of classes
     * @param actual the actual classes
     * @param predicted the predicted classes
     * @param count the number of pairs, from the first
     */
    public static ConfusionMatrix confusion(int classes, int[] actual, int[] predicted, int count) {
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        matrix.add(actual, predicted, count);
        return matrix;
    }
}
