package dev.lanes.unsupervised;

import java.io.PrintStream;

/**
 * Settings of {@link Autoencoder#fit}: fluent setters; defaults 10 epochs, mini-batches of 100,
 * Adam with learning rate 10⁻³, no noise, seed 0, no log.
 */
public final class AutoencoderOptions {
    private int epochs = 10;
    private int batchSize = 100;
    private double learningRate = 1e-3;
    private double noise;
    private long seed;
    private PrintStream log;

    /** The defaults; the setters change them. */
    public AutoencoderOptions() {
    }

    /**
     * Epochs, at least 1.
     *
     * @param value the number of epochs, at least 1
     * @return these options
     */
    public AutoencoderOptions epochs(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("Autoencoder training: epochs must be at least 1, got " + value);
        }
        epochs = value;
        return this;
    }

    /**
     * Rows per mini-batch, at least 1.
     *
     * @param value the rows per mini-batch, at least 1
     * @return these options
     */
    public AutoencoderOptions batchSize(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("Autoencoder training: batchSize must be at least 1, got " + value);
        }
        batchSize = value;
        return this;
    }

    /**
     * Adam's learning rate, positive and finite.
     *
     * @param value Adam's learning rate, positive and finite
     * @return these options
     */
    public AutoencoderOptions learningRate(double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("Autoencoder training: learningRate must be positive and finite, got "
                    + value);
        }
        learningRate = value;
        return this;
    }

    /**
     * The probability, in [0, 1), that masking noise sets an input value to 0 (a denoising
     * autoencoder); 0 for none.
     *
     * @param value the masking probability, in [0, 1)
     * @return these options
     */
    public AutoencoderOptions noise(double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("Autoencoder training: noise must be in [0, 1), got " + value);
        }
        noise = value;
        return this;
    }

    /**
     * The seed of the shuffles and the noise.
     *
     * @param value the seed of the shuffles and the noise
     * @return these options
     */
    public AutoencoderOptions seed(long value) {
        seed = value;
        return this;
    }

    /**
     * Where a line per epoch goes; null for nowhere.
     *
     * @param value the stream for a line per epoch, or null for none
     * @return these options
     */
    public AutoencoderOptions log(PrintStream value) {
        log = value;
        return this;
    }

    int epochs() {
        return epochs;
    }

    int batchSize() {
        return batchSize;
    }

    double learningRate() {
        return learningRate;
    }

    double noise() {
        return noise;
    }

    long seed() {
        return seed;
    }

    PrintStream log() {
        return log;
    }

    /** {@return one line of the settings} */
    public String describe() {
        return epochs + " epochs, batch " + batchSize + ", Adam " + learningRate
                + (noise > 0 ? ", masking noise " + noise : "") + ", seed " + seed;
    }
}
