package dev.lanes.training.data;

import java.util.SplittableRandom;

/** Small synthetic datasets for the data tests. */
final class TestData {
    private TestData() {
    }

    /**
     * {@code count} images of (channels, height, width) whose first pixel is the image's index
     * (so a batch shows which image it holds) and whose other pixels are random; labels cycle
     * through the classes.
     */
    static Dataset indexed(int count, int channels, int height, int width, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = channels * height * width;
        float[] images = new float[count * size];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            for (int i = 0; i < size; i++) {
                images[n * size + i] = (float) random.nextDouble();
            }
            images[n * size] = n;
            labels[n] = n % classes;
        }
        return Dataset.of(images, labels, channels, height, width, classes, null);
    }
}
