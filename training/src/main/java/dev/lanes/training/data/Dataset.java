package dev.lanes.training.data;

import java.util.Arrays;
import java.util.List;

/**
 * Images and their class labels in memory: images {@code (count, channels, height, width)}
 * row-major floats, labels {@code (count)} ints in {@code 0..classes-1}.
 *
 * <p>Read from IDX files, pixel values are scaled from 0..255 to [0, 1];
 * {@link #normalized(float[], float[])} then gives {@code (x - mean) / std} per channel. Every
 * method that changes something returns a new dataset; a dataset itself is never modified after
 * it is built (the arrays passed to {@link #of} are copied).
 */
public final class Dataset {
    private final float[] images;
    private final int[] labels;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;
    private final List<String> classNames;
    private final float[] zeroValue;

    private Dataset(float[] images, int[] labels, int channels, int height, int width, int classes,
                    List<String> classNames, float[] zeroValue) {
        this.images = images;
        this.labels = labels;
        this.count = labels.length;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        this.classNames = classNames;
        this.zeroValue = zeroValue;
    }

    /**
     * {@return a dataset of the given images (copied) and labels (copied)}
     *
     * @param images     {@code (labels.length, channels, height, width)} row-major
     * @param labels the class of each image, in [0, classes)
     * @param channels the channels per image, {@code >= 1}
     * @param height the image height, {@code >= 1}
     * @param width the image width, {@code >= 1}
     * @param classes the number of classes, {@code >= 1}
     * @param classNames one name per class, or {@code null} for "0", "1", ...
     * @throws IllegalArgumentException if a size does not match or a label is out of range
     */
    public static Dataset of(float[] images, int[] labels, int channels, int height, int width,
                             int classes, List<String> classNames) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("channels, height and width must be positive, got "
                    + channels + ", " + height + ", " + width);
        }
        if (classes <= 0) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        long expected = (long) labels.length * channels * height * width;
        if (images.length != expected) {
            throw new IllegalArgumentException("images.length is " + images.length + " but "
                    + labels.length + " images of (" + channels + ", " + height + ", " + width + ") need " + expected);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] is " + labels[i] + ", outside 0.." + (classes - 1));
            }
        }
        List<String> names = classNames == null ? defaultNames(classes) : List.copyOf(classNames);
        if (names.size() != classes) {
            throw new IllegalArgumentException("classNames has " + names.size() + " entries for " + classes + " classes");
        }
        return new Dataset(images.clone(), labels.clone(), channels, height, width, classes, names,
                new float[channels]);
    }

    /**
     * {@return a one-channel dataset from an IDX image file {@code (count, rows, columns)} and an
     * IDX label file {@code (count)}; pixels are scaled to [0, 1] ({@code value / 255})}
     *
     * @param images the IDX image file (count, rows, columns) of unsigned bytes
     * @param labels the IDX label file (count)
     * @param classes the number of classes
     * @param classNames one name per class
     * @throws IdxFormatException if the shapes or counts do not match or a label is
     *                            {@code >= classes} (the message names both files)
     */
    public static Dataset fromIdx(IdxArray images, IdxArray labels, int classes, List<String> classNames)
            throws IdxFormatException {
        Idx.requireRank(images, 3, "images (count, rows, columns)");
        Idx.requireRank(labels, 1, "labels (count)");
        int count = images.dim(0);
        if (labels.dim(0) != count) {
            throw new IdxFormatException(images.source() + " holds " + count + " images but "
                    + labels.source() + " holds " + labels.dim(0) + " labels");
        }
        int[] labelValues = new int[count];
        for (int i = 0; i < count; i++) {
            labelValues[i] = labels.unsigned(i);
            if (labelValues[i] >= classes) {
                throw new IdxFormatException(labels.source() + ": label " + i + " is " + labelValues[i]
                        + ", outside 0.." + (classes - 1));
            }
        }
        float[] pixels = new float[images.data().length];
        byte[] raw = images.data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (raw[i] & 0xFF) / 255f;
        }
        List<String> names = classNames == null ? defaultNames(classes) : List.copyOf(classNames);
        if (names.size() != classes) {
            throw new IllegalArgumentException("classNames has " + names.size() + " entries for " + classes + " classes");
        }
        return new Dataset(pixels, labelValues, 1, images.dim(1), images.dim(2), classes, names, new float[1]);
    }

    private static List<String> defaultNames(int classes) {
        String[] names = new String[classes];
        for (int c = 0; c < classes; c++) {
            names[c] = Integer.toString(c);
        }
        return List.of(names);
    }

    /** {@return the number of images} */
    public int count() {
        return count;
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
     * Image height in pixels.
     *
     * @return the image height in pixels
     */
    public int height() {
        return height;
    }

    /**
     * Image width in pixels.
     *
     * @return the image width in pixels
     */
    public int width() {
        return width;
    }

    /**
     * Floats per image: {@code channels * height * width}.
     *
     * @return the floats per image
     */
    public int imageSize() {
        return channels * height * width;
    }

    /** {@return the number of classes} */
    public int classes() {
        return classes;
    }

    /** {@return one name per class} */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * {@return the label of image {@code i}}
     *
     * @param i the image's index, in [0, count)
     */
    public int label(int i) {
        return labels[i];
    }

    /** {@return all labels (a copy)} */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Image {@code i} as {@code (channels, height, width)} (a copy).
     *
     * @param i the image's index, in [0, count)
     * @return the image (channels, height, width), a copy
     */
    public float[] image(int i) {
        return Arrays.copyOfRange(images, i * imageSize(), (i + 1) * imageSize());
    }

    /**
     * Copies image {@code i} into {@code destination} at {@code offset}.
     *
     * @param i the image's index, in [0, count)
     * @param destination the array the image is copied into
     * @param offset the index in {@code destination} of the image's first value
     */
    public void copyImage(int i, float[] destination, int offset) {
        System.arraycopy(images, i * imageSize(), destination, offset, imageSize());
    }

    /**
     * {@return the value that a zero pixel (black, the background of MNIST-like images) has in
     * channel {@code channel} after normalization: 0 until {@link #normalized} is applied, then
     * {@code -mean / std}} Shifts fill the uncovered border with it.
     *
     * @param channel the channel, from 0
     */
    public float zeroValue(int channel) {
        return zeroValue[channel];
    }

    /** {@return the number of images of each class} */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** {@return the mean of each channel over all images (accumulated in double)} */
    public float[] channelMeans() {
        float[] means = new float[channels];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < count; n++) {
                int base = (n * channels + c) * plane;
                for (int i = 0; i < plane; i++) {
                    sum += images[base + i];
                }
            }
            means[c] = (float) (sum / ((double) count * plane));
        }
        return means;
    }

    /**
     * {@return the population standard deviation of each channel over all images (two passes, in
     * double)}
     */
    public float[] channelStds() {
        float[] means = channelMeans();
        float[] stds = new float[channels];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < count; n++) {
                int base = (n * channels + c) * plane;
                for (int i = 0; i < plane; i++) {
                    double d = images[base + i] - means[c];
                    sum += d * d;
                }
            }
            stds[c] = (float) Math.sqrt(sum / ((double) count * plane));
        }
        return stds;
    }

    /**
     * {@return a copy with every value {@code x} of channel {@code c} replaced by {@code (x -
     * mean[c]) / std[c]}} Normalize a test set with the training set's statistics.
     *
     * @param mean the mean of each channel
     * @param std the standard deviation of each channel, {@code > 0}
     * @throws IllegalArgumentException if the arrays do not have one finite entry per channel or a
     *                                  {@code std} entry is not positive
     */
    public Dataset normalized(float[] mean, float[] std) {
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("mean and std need " + channels + " entries, have "
                    + mean.length + " and " + std.length);
        }
        for (int c = 0; c < channels; c++) {
            if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("channel " + c + ": mean " + mean[c] + " must be finite and std "
                        + std[c] + " positive and finite");
            }
        }
        float[] result = new float[images.length];
        float[] zero = new float[channels];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            zero[c] = (zeroValue[c] - mean[c]) / std[c];
        }
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < channels; c++) {
                int base = (n * channels + c) * plane;
                for (int i = 0; i < plane; i++) {
                    result[base + i] = (images[base + i] - mean[c]) / std[c];
                }
            }
        }
        return new Dataset(result, labels, channels, height, width, classes, classNames, zero);
    }

    /**
     * {@return the images at {@code indices}, in that order (an index may repeat)}
     *
     * @param indices the images' indices, each in [0, count)
     * @throws IllegalArgumentException if an index is outside {@code 0..count-1}
     */
    public Dataset subset(int[] indices) {
        int size = imageSize();
        float[] subsetImages = new float[indices.length * size];
        int[] subsetLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (index < 0 || index >= count) {
                throw new IllegalArgumentException("indices[" + i + "] is " + index + ", outside 0.." + (count - 1));
            }
            System.arraycopy(images, index * size, subsetImages, i * size, size);
            subsetLabels[i] = labels[index];
        }
        return new Dataset(subsetImages, subsetLabels, channels, height, width, classes, classNames, zeroValue);
    }

    /**
     * {@return the same images with other labels (e.g. a model's predictions, to train a
     * substitute)}
     *
     * @param newLabels one label per image, in [0, classes)
     * @throws IllegalArgumentException if there is not one label in range per image
     */
    public Dataset withLabels(int[] newLabels) {
        if (newLabels.length != count) {
            throw new IllegalArgumentException(count + " images but " + newLabels.length + " labels");
        }
        for (int i = 0; i < count; i++) {
            if (newLabels[i] < 0 || newLabels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] is " + newLabels[i] + ", outside 0.."
                        + (classes - 1));
            }
        }
        return new Dataset(images, newLabels.clone(), channels, height, width, classes, classNames, zeroValue);
    }

    /** The backing image array, for the loader's copies (never handed out). */
    float[] imageArray() {
        return images;
    }

    /** The backing label array, for the loader's copies (never handed out). */
    int[] labelArray() {
        return labels;
    }

    @Override
    public String toString() {
        return "Dataset[" + count + " images (" + channels + ", " + height + ", " + width + "), "
                + classes + " classes]";
    }
}
