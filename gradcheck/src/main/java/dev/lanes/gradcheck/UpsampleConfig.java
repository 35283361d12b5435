package dev.lanes.gradcheck;

import dev.lanes.tensor.Shape;

/**
 * Upsampling of an NCHW input (batch, channels, height, width) by integer factors, nearest or
 * bilinear: output (batch, channels, height * scaleHeight, width * scaleWidth). Built by
 * {@code Gens.upsample} (QuickTheories generators in gradcheck's tests).
 *
 * @param batch the number of images (or rows) in the batch, {@code >= 1}
 * @param channels the channels, {@code >= 1}
 * @param height the input height, {@code >= 1}
 * @param width the input width, {@code >= 1}
 * @param scaleHeight the integer factor along the height, {@code >= 1}
 * @param scaleWidth the integer factor along the width, {@code >= 1}
 * @param bilinear true for bilinear interpolation, false for nearest neighbour
 */
public record UpsampleConfig(int batch, int channels, int height, int width, int scaleHeight, int scaleWidth,
                             boolean bilinear) {

    /**
     * Checks the sizes.
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public UpsampleConfig {
        if (batch < 1 || channels < 1 || height < 1 || width < 1 || scaleHeight < 1 || scaleWidth < 1) {
            throw new IllegalArgumentException("upsampling sizes must be positive");
        }
    }

    /**
     * (batch, channels, height, width).
     *
     * @return the input shape (batch, channels, height, width)
     */
    public Shape inputShape() {
        return Shape.of(batch, channels, height, width);
    }

    @Override
    public String toString() {
        return "Upsample(" + (bilinear ? "bilinear" : "nearest") + ", n=" + batch + ", " + channels + "x" + height
                + "x" + width + ", scale " + scaleHeight + "x" + scaleWidth + ")";
    }
}
