package dev.lanes.training.adversarial;

import java.util.Arrays;

/**
 * How a model's inputs relate to pixels in [0, 1]: channel c holds (p − mean[c]) / std[c], the
 * normalization {@code lanes train} applies. Attacks measure ε in pixel units (ε = 8/255 moves a
 * pixel by at most 8 grey levels) and keep every adversarial pixel in [0, 1]; in the model's units
 * that is a step of ε / std[c] and the box [(0 − mean[c]) / std[c], (1 − mean[c]) / std[c]].
 */
public final class PixelScale {
    private final float[] mean;
    private final float[] std;

    /**
     * The scale of inputs normalized with {@code mean} and {@code std} (one entry per channel).
     *
     * @param mean the normalization mean of each channel
     * @param std the normalization standard deviation of each channel
     * @throws IllegalArgumentException if the lengths differ or an entry is not finite, or a std not positive
     */
    public PixelScale(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one entry per channel, have " + mean.length
                    + " and " + std.length);
        }
        for (int c = 0; c < std.length; c++) {
            if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("channel " + c + ": mean " + mean[c] + " must be finite and std "
                        + std[c] + " positive and finite");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * Inputs that are the pixels themselves (mean 0, std 1) in {@code channels} channels.
     *
     * @param channels the number of channels
     * @return the scale
     */
    public static PixelScale identity(int channels) {
        float[] std = new float[channels];
        Arrays.fill(std, 1f);
        return new PixelScale(new float[channels], std);
    }

    /** {@return the number of channels} */
    public int channels() {
        return mean.length;
    }

    /**
     * {@return the input value of pixel value {@code pixel} in channel {@code channel}}
     *
     * @param channel the channel, from 0
     * @param pixel the pixel value
     */
    public float input(int channel, float pixel) {
        return (pixel - mean[channel]) / std[channel];
    }

    /**
     * {@return the pixel value of input value {@code input} in channel {@code channel}}
     *
     * @param channel the channel, from 0
     * @param input the input value
     */
    public float pixel(int channel, float input) {
        return input * std[channel] + mean[channel];
    }

    /**
     * {@return a distance of {@code pixels} in pixel units as a distance in channel {@code
     * channel}'s input units}
     *
     * @param channel the channel, from 0
     * @param pixels the distance in pixel units
     */
    public float inputDistance(int channel, float pixels) {
        return pixels / std[channel];
    }
}
