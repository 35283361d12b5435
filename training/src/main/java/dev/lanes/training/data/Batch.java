package dev.lanes.training.data;

/**
 * One mini-batch, owned by its {@link DataLoader} and overwritten by the next call to
 * {@link DataLoader#next()}: copy out what must outlive the step.
 *
 * <p>{@link #images()} is {@code (capacity, channels, height, width)} row-major, of which the first
 * {@link #size()} images are valid; {@link #labels()} and {@link #indices()} likewise hold
 * {@code size()} valid entries. The arrays are the same objects for every batch of a loader.
 */
public final class Batch {
    private final float[] images;
    private final int[] labels;
    private final int[] indices;
    private final int channels;
    private final int height;
    private final int width;
    int size;
    int epoch;
    int number;

    Batch(int capacity, int channels, int height, int width) {
        this.images = new float[capacity * channels * height * width];
        this.labels = new int[capacity];
        this.indices = new int[capacity];
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /**
     * {@return the images, {@code (capacity, channels, height, width)}; the first {@code size()}
     * are valid}
     */
    public float[] images() {
        return images;
    }

    /** {@return the labels; the first {@code size()} are valid} */
    public int[] labels() {
        return labels;
    }

    /** {@return the dataset index of each image; the first {@code size()} are valid} */
    public int[] indices() {
        return indices;
    }

    /** {@return the number of valid images: the batch size, or less for a last partial batch} */
    public int size() {
        return size;
    }

    /** {@return the most images a batch holds (the loader's batch size)} */
    public int capacity() {
        return labels.length;
    }

    /**
     * Channels per image.
     *
     * @return the channels per image
     */
    public int channels() {
        return channels;
    }

    /**
     * Image height.
     *
     * @return the image height
     */
    public int height() {
        return height;
    }

    /**
     * Image width.
     *
     * @return the image width
     */
    public int width() {
        return width;
    }

    /**
     * Floats per image.
     *
     * @return the floats per image
     */
    public int imageSize() {
        return channels * height * width;
    }

    /** {@return the epoch this batch belongs to} */
    public int epoch() {
        return epoch;
    }

    /** {@return the batch's position in its epoch, from 0} */
    public int number() {
        return number;
    }
}
