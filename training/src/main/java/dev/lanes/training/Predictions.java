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

    /** {@return the number of images} */
    public int count() {
        return labels.length;
    }

    /** {@return the number of classes} */
    public int classes() {
        return classes;
    }

    /** {@return the most probable class of each image (a copy)} */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * {@return the most probable class of image {@code i}}
     *
     * @param i the image, in [0, count)
     */
    public int label(int i) {
        return labels[i];
    }

    /**
     * {@return the probabilities of image {@code i}, one per class (a copy)}
     *
     * @param i the image, in [0, count)
     */
    public float[] probabilities(int i) {
        float[] row = new float[classes];
        System.arraycopy(probabilities, i * classes, row, 0, classes);
        return row;
    }

    /**
     * Image {@code i}'s prediction.
     *
     * @param i the image, in [0, count)
     * @return image {@code i}'s class and probabilities
     */
    public Prediction get(int i) {
        return new Prediction(labels[i], probabilities(i));
    }
}
