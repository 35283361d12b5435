package dev.lanes.training.metrics;

/**
 * Counts of (actual class, predicted class) pairs, and the metrics derived from them.
 *
 * <p>Row = actual class, column = predicted class. Precision of class c is
 * {@code TP / (TP + FP)} (column c), recall is {@code TP / (TP + FN)} (row c). When the
 * denominator is 0 (class c never predicted, or never present) the value is defined as 0, as
 * scikit-learn's {@code zero_division} default does; {@link #accuracy()} of an empty matrix is 0
 * too. Accumulate batch by batch with {@link #add}; no allocation.
 */
public final class ConfusionMatrix {
    private final int classes;
    private final long[] counts;
    private long total;

    /**
     * An empty matrix for {@code classes} classes.
     *
     * @param classes the number of classes, {@code >= 1}
     */
    public ConfusionMatrix(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /** {@return the number of classes} */
    public int classes() {
        return classes;
    }

    /**
     * Counts one (actual, predicted) pair.
     *
     * @param actual the actual class
     * @param predicted the predicted class
     */
    public void add(int actual, int predicted) {
        checkClass(actual, "actual");
        checkClass(predicted, "predicted");
        counts[actual * classes + predicted]++;
        total++;
    }

    /**
     * Counts the first {@code count} pairs of {@code actual[i]}, {@code predicted[i]}.
     *
     * @param actual the actual class
     * @param predicted the predicted class
     * @param count the number of pairs to count
     * @throws IllegalArgumentException if an array is shorter than {@code count} or a class is out
     *                                  of range (nothing is counted then)
     */
    public void add(int[] actual, int[] predicted, int count) {
        if (count < 0 || actual.length < count || predicted.length < count) {
            throw new IllegalArgumentException("count " + count + " exceeds actual.length " + actual.length
                    + " or predicted.length " + predicted.length);
        }
        for (int i = 0; i < count; i++) {
            // The message is built only on failure: this runs for every image of every batch.
            if (actual[i] < 0 || actual[i] >= classes) {
                checkClass(actual[i], "actual[" + i + "]");
            }
            if (predicted[i] < 0 || predicted[i] >= classes) {
                checkClass(predicted[i], "predicted[" + i + "]");
            }
        }
        for (int i = 0; i < count; i++) {
            counts[actual[i] * classes + predicted[i]]++;
        }
        total += count;
    }

    /** Clears all counts. */
    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
    }

    /**
     * {@return how many items of class {@code actual} were predicted as {@code predicted}}
     *
     * @param actual the actual class
     * @param predicted the predicted class
     */
    public long count(int actual, int predicted) {
        checkClass(actual, "actual");
        checkClass(predicted, "predicted");
        return counts[actual * classes + predicted];
    }

    /** {@return all counts, {@code [actual][predicted]} (a copy)} */
    public long[][] counts() {
        long[][] copy = new long[classes][classes];
        for (int a = 0; a < classes; a++) {
            System.arraycopy(counts, a * classes, copy[a], 0, classes);
        }
        return copy;
    }

    /** {@return the number of pairs counted} */
    public long total() {
        return total;
    }

    /** {@return the fraction of pairs on the diagonal; 0 for an empty matrix} */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += counts[c * classes + c];
        }
        return ratio(correct, total);
    }

    /**
     * TP / (TP + FP) for class {@code c}; 0 when c was never predicted.
     *
     * @param c the class
     * @return the precision of class {@code c}, in [0, 1]
     */
    public double precision(int c) {
        checkClass(c, "class");
        long predicted = 0;
        for (int a = 0; a < classes; a++) {
            predicted += counts[a * classes + c];
        }
        return ratio(counts[c * classes + c], predicted);
    }

    /**
     * TP / (TP + FN) for class {@code c}; 0 when c never occurred.
     *
     * @param c the class
     * @return the recall of class {@code c}, in [0, 1]
     */
    public double recall(int c) {
        checkClass(c, "class");
        long actual = 0;
        for (int p = 0; p < classes; p++) {
            actual += counts[c * classes + p];
        }
        return ratio(counts[c * classes + c], actual);
    }

    /** {@return the unweighted mean of {@link #precision} over the classes} */
    public double macroPrecision() {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += precision(c);
        }
        return sum / classes;
    }

    /** {@return the unweighted mean of {@link #recall} over the classes} */
    public double macroRecall() {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += recall(c);
        }
        return sum / classes;
    }

    /**
     * {@return the matrix as aligned text: a header row of predicted classes and one row per actual
     * class, each row led by the class name}
     *
     * @param names one name per class, or {@code null} for the numbers
     */
    public String format(java.util.List<String> names) {
        if (names != null && names.size() != classes) {
            throw new IllegalArgumentException("names has " + names.size() + " entries for " + classes + " classes");
        }
        int nameWidth = 6;
        int cellWidth = Math.max(5, Long.toString(total).length() + 1);
        for (int c = 0; c < classes; c++) {
            nameWidth = Math.max(nameWidth, name(names, c).length());
        }
        StringBuilder out = new StringBuilder(String.format("%-" + nameWidth + "s", "actual"));
        for (int p = 0; p < classes; p++) {
            out.append(String.format("%" + cellWidth + "d", p));
        }
        out.append("   <- predicted\n");
        for (int a = 0; a < classes; a++) {
            out.append(String.format("%-" + nameWidth + "s", name(names, a)));
            for (int p = 0; p < classes; p++) {
                out.append(String.format("%" + cellWidth + "d", counts[a * classes + p]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String name(java.util.List<String> names, int c) {
        return names == null ? Integer.toString(c) : c + " " + names.get(c);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    private void checkClass(int c, String what) {
        if (c < 0 || c >= classes) {
            throw new IllegalArgumentException(what + " is " + c + ", outside 0.." + (classes - 1));
        }
    }
}
