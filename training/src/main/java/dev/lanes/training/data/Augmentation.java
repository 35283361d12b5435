package dev.lanes.training.data;

import java.util.random.RandomGenerator;

/**
 * Random image augmentation applied to each mini-batch: a shift of up to {@code maxShift}
 * pixels in each direction (the uncovered border filled with the value of a zero pixel) and a
 * horizontal flip with probability {@code flipProbability}.
 *
 * <p>For each image, in batch order, the random stream is read in a fixed order: the vertical
 * shift, the horizontal shift (both only when {@code maxShift > 0}), then the flip draw (only when
 * {@code flipProbability > 0}). The same stream therefore gives the same batch.
 *
 * @param maxShift        the largest shift in pixels, 0 for none; each of dy and dx is uniform in
 *                        {@code -maxShift..maxShift}
 * @param flipProbability the probability of a horizontal (left-right) flip, in [0, 1]
 */
public record Augmentation(int maxShift, double flipProbability) {
    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(0, 0);

    /** Checks the ranges. */
    public Augmentation {
        if (maxShift < 0) {
            throw new IllegalArgumentException("maxShift must be at least 0, got " + maxShift);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flipProbability must be in [0, 1], got " + flipProbability);
        }
    }

    /** {@return whether this augmentation changes anything} */
    public boolean isIdentity() {
        return maxShift == 0 && flipProbability == 0;
    }

    /**
     * Augments {@code count} images in place.
     *
     * <p>images is {@code (count, channels, height, width)} row-major starting at {@code offset};
     * {@code fill[c]} is the value written into the border a shift uncovers in channel c.
     *
     * @param images the images (count, channels, height, width), row-major
     * @param offset the index in {@code images} of the first image
     * @param count the number of images
     * @param channels the channels per image
     * @param height the image height
     * @param width the image width
     * @param fill the value written into uncovered border pixels, one per channel
     * @param random the random source of the shifts and flips
     */
    public void apply(float[] images, int offset, int count, int channels, int height, int width,
                      float[] fill, RandomGenerator random) {
        if (fill.length != channels) {
            throw new IllegalArgumentException("fill has " + fill.length + " entries for " + channels + " channels");
        }
        long needed = (long) count * channels * height * width;
        if (offset < 0 || count < 0 || offset + needed > images.length) {
            throw new IllegalArgumentException("images.length " + images.length + " is too short for " + count
                    + " images of (" + channels + ", " + height + ", " + width + ") at offset " + offset);
        }
        int plane = height * width;
        for (int n = 0; n < count; n++) {
            int dy = 0;
            int dx = 0;
            if (maxShift > 0) {
                dy = random.nextInt(2 * maxShift + 1) - maxShift;
                dx = random.nextInt(2 * maxShift + 1) - maxShift;
            }
            boolean flip = flipProbability > 0 && random.nextDouble() < flipProbability;
            for (int c = 0; c < channels; c++) {
                int planeOffset = offset + (n * channels + c) * plane;
                if (dy != 0 || dx != 0) {
                    shift(images, planeOffset, height, width, dy, dx, fill[c]);
                }
                if (flip) {
                    flipHorizontal(images, planeOffset, height, width);
                }
            }
        }
    }

    /**
     * Shifts one image plane in place: afterwards {@code out[y][x] = in[y - dy][x - dx]} where that
     * pixel exists and {@code fill} elsewhere. Positive dy moves the content down, positive dx to
     * the right. A shift of at least the plane's size leaves only fill.
     *
     * <p>plane is {@code (height, width)} row-major starting at {@code offset}.
     *
     * @param plane the array holding the plane (height, width), row-major
     * @param offset the index in {@code plane} of the plane's first pixel
     * @param height the image height
     * @param width the image width
     * @param dy the rows to move down (negative: up)
     * @param dx the columns to move right (negative: left)
     * @param fill the value of uncovered pixels
     */
    public static void shift(float[] plane, int offset, int height, int width, int dy, int dx, float fill) {
        checkPlane(plane, offset, height, width);
        int keptColumns = width - Math.abs(dx);
        // Rows are visited away from the direction of motion, so each source row is read before
        // it is overwritten; within a row System.arraycopy handles the overlap itself.
        for (int step = 0; step < height; step++) {
            int y = dy > 0 ? height - 1 - step : step;
            int row = offset + y * width;
            int sourceY = y - dy;
            if (sourceY < 0 || sourceY >= height || keptColumns <= 0) {
                java.util.Arrays.fill(plane, row, row + width, fill);
                continue;
            }
            int sourceRow = offset + sourceY * width;
            if (dx >= 0) {
                System.arraycopy(plane, sourceRow, plane, row + dx, keptColumns);
                java.util.Arrays.fill(plane, row, row + dx, fill);
            } else {
                System.arraycopy(plane, sourceRow - dx, plane, row, keptColumns);
                java.util.Arrays.fill(plane, row + keptColumns, row + width, fill);
            }
        }
    }

    /**
     * Mirrors one image plane left to right in place: {@code out[y][x] = in[y][width - 1 - x]}.
     *
     * <p>plane is {@code (height, width)} row-major starting at {@code offset}.
     *
     * @param plane the array holding the plane (height, width), row-major
     * @param offset the index in {@code plane} of the plane's first pixel
     * @param height the image height
     * @param width the image width
     */
    public static void flipHorizontal(float[] plane, int offset, int height, int width) {
        checkPlane(plane, offset, height, width);
        for (int y = 0; y < height; y++) {
            int left = offset + y * width;
            int right = left + width - 1;
            while (left < right) {
                float swap = plane[left];
                plane[left++] = plane[right];
                plane[right--] = swap;
            }
        }
    }

    private static void checkPlane(float[] plane, int offset, int height, int width) {
        if (height < 0 || width < 0 || offset < 0 || offset + (long) height * width > plane.length) {
            throw new IllegalArgumentException("plane.length " + plane.length + " is too short for ("
                    + height + ", " + width + ") at offset " + offset);
        }
    }
}
