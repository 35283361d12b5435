package dev.lanes.training.metrics;

/** Metrics on label arrays. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The fraction of {@code i < count} with {@code predicted[i] == actual[i]}; 0 when
     * {@code count} is 0.
     */
    public static double accuracy(int[] actual, int[] predicted, int count) {
        if (count < 0 || actual.length < count || predicted.length < count) {
            throw new IllegalArgumentException("count " + count + " exceeds actual.length " + actual.length
                    + " or predicted.length " + predicted.length);
        }
        return count == 0 ? 0 : (double) correct(actual, predicted, count) / count;
    }

    /** The number of {@code i < count} with {@code predicted[i] == actual[i]}. */
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

    /** A confusion matrix of the first {@code count} pairs. */
    public static ConfusionMatrix confusion(int classes, int[] actual, int[] predicted, int count) {
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        matrix.add(actual, predicted, count);
        return matrix;
    }
}
