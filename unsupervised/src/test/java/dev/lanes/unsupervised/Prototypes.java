package dev.lanes.unsupervised;

import java.util.SplittableRandom;

/**
 * Synthetic labelled binary images: {@code classes} random prototypes of {@code size} pixels
 * (each pixel on with probability 0.4), and rows that copy a prototype with every pixel flipped
 * with probability {@code flip}. Row i belongs to class i % classes.
 */
record Prototypes(float[] images, int[] labels, float[] prototypes, int count, int size) {

    static Prototypes generate(int classes, int size, int count, double flip, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] prototypes = new float[classes * size];
        for (int i = 0; i < prototypes.length; i++) {
            prototypes[i] = random.nextDouble() < 0.4 ? 1 : 0;
        }
        float[] images = new float[count * size];
        int[] labels = new int[count];
        for (int row = 0; row < count; row++) {
            labels[row] = row % classes;
            for (int i = 0; i < size; i++) {
                float pixel = prototypes[labels[row] * size + i];
                images[row * size + i] = random.nextDouble() < flip ? 1 - pixel : pixel;
            }
        }
        return new Prototypes(images, labels, prototypes, count, size);
    }

    /** The clean prototype of each row, (count, size). */
    float[] cleanRows() {
        float[] clean = new float[count * size];
        for (int row = 0; row < count; row++) {
            System.arraycopy(prototypes, labels[row] * size, clean, row * size, size);
        }
        return clean;
    }

    static double meanSquaredError(float[] a, float[] b, int rows) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum / rows;
    }
}
