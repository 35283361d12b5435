package dev.lanes.training;

/**
 * A model's answers for a batch of images: the most probable class of each and the probability
 * of every class, image by image.
 */
public final class Predictions {
    private final int[] labels;
    private final float[] probabilities;
    private final int classes;

    Predictions(int[] labels, float[] probabilities, int classes) {
        this.labels = labels;
        this.probabilities = probabilities;
        this.classes = classes;
    }

    /** The number of images. */
    public int count() {
        return labels.length;
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /** The most probable class of each image (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** The most probable class of image {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** The probabilities of image {@code i}, one per class (a copy). */
    public float[] probabilities(int i) {
        float[] row = new float[classes];
        System.arraycopy(probabilities, i * classes, row, 0, classes);
        return row;
    }

    /** Image {@code i}'s prediction. */
    public Prediction get(int i) {
        return new Prediction(labels[i], probabilities(i));
    }
}
