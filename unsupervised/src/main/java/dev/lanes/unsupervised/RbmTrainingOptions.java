package dev.lanes.unsupervised;

import java.io.PrintStream;

/**
 * Settings of an {@link RbmTrainer}: fluent setters, defaults after Hinton's practical guide
 * (2010) for binary data: mini-batches of 100, learning rate 0.1, momentum 0.5 for the first 5
 * epochs then 0.9, weight decay 2·10⁻⁴ on the weights, CD-1.
 */
public final class RbmTrainingOptions {
    private int epochs = 10;
    private int batchSize = 100;
    private float learningRate = 0.1f;
    private boolean annealLearningRate;
    private int gibbsSteps = 1;
    private boolean persistent;
    private float initialMomentum = 0.5f;
    private int initialMomentumEpochs = 5;
    private float momentum = 0.9f;
    private float weightDecay = 2e-4f;
    private boolean acceptProbabilities;
    private int monitorRows = 1000;
    private long seed;
    private PrintStream log;

    /** The defaults; the setters change them. */
    public RbmTrainingOptions() {
    }

    /**
     * Epochs, at least 1; default 10.
     *
     * @param value the number of epochs, at least 1
     * @return these options
     */
    public RbmTrainingOptions epochs(int value) {
        epochs = atLeast("epochs", value, 1);
        return this;
    }

    /**
     * Images per mini-batch (and persistent chains), at least 1; default 100.
     *
     * @param value the rows per mini-batch, at least 1
     * @return these options
     */
    public RbmTrainingOptions batchSize(int value) {
        batchSize = atLeast("batchSize", value, 1);
        return this;
    }

    /**
     * The learning rate, positive and finite; default 0.1.
     *
     * @param value the learning rate, positive and finite
     * @return these options
     */
    public RbmTrainingOptions learningRate(float value) {
        if (!(value > 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException("RBM training: learningRate must be positive and finite, got " + value);
        }
        learningRate = value;
        return this;
    }

    /**
     * Whether the learning rate falls linearly from its value in epoch 1 to 1/epochs of it in the last.
     *
     * @param value true to anneal, false for a constant rate
     * @return these options
     */
    public RbmTrainingOptions annealLearningRate(boolean value) {
        annealLearningRate = value;
        return this;
    }

    /**
     * k, the Gibbs steps per update (CD-k, PCD-k), at least 1; default 1.
     *
     * @param value k, at least 1
     * @return these options
     */
    public RbmTrainingOptions gibbsSteps(int value) {
        gibbsSteps = atLeast("gibbsSteps", value, 1);
        return this;
    }

    /**
     * Persistent contrastive divergence (Tieleman, 2008): the negative-phase chains carry on from
     * update to update instead of restarting at the data; default false (CD-k).
     *
     * @param value true for PCD, false for CD
     * @return these options
     */
    public RbmTrainingOptions persistent(boolean value) {
        persistent = value;
        return this;
    }

    /**
     * Momentum after the first epochs, in [0, 1); default 0.9.
     *
     * @param value the momentum, in [0, 1)
     * @return these options
     */
    public RbmTrainingOptions momentum(float value) {
        momentum = fraction("momentum", value);
        return this;
    }

    /**
     * Momentum during the first {@code epochs} epochs, in [0, 1); default 0.5 for 5 epochs.
     *
     * @param value the momentum, in [0, 1)
     * @param epochs the number of epochs with it, at least 0
     * @return these options
     */
    public RbmTrainingOptions initialMomentum(float value, int epochs) {
        initialMomentum = fraction("initialMomentum", value);
        initialMomentumEpochs = atLeast("initialMomentum epochs", epochs, 0);
        return this;
    }

    /**
     * L2 weight decay on the weights (not the biases), at least 0; default 2e-4.
     *
     * @param value the L2 coefficient, at least 0
     * @return these options
     */
    public RbmTrainingOptions weightDecay(float value) {
        if (!(value >= 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException("RBM training: weightDecay must be finite and at least 0, got " + value);
        }
        weightDecay = value;
        return this;
    }

    /**
     * Whether Bernoulli units accept data in [0, 1] rather than only 0 and 1: the hidden
     * probabilities a deep belief network passes to the RBM above. Default false.
     *
     * @param value true to accept values in [0, 1]
     * @return these options
     */
    public RbmTrainingOptions acceptProbabilities(boolean value) {
        acceptProbabilities = value;
        return this;
    }

    /**
     * Rows (from the first) on which each epoch's reconstruction error is measured; default 1000.
     *
     * @param value the number of rows, at least 1
     * @return these options
     */
    public RbmTrainingOptions monitorRows(int value) {
        monitorRows = atLeast("monitorRows", value, 1);
        return this;
    }

    /**
     * The seed of the shuffles and the Gibbs chains; default 0.
     *
     * @param value the seed of the shuffles and the chains
     * @return these options
     */
    public RbmTrainingOptions seed(long value) {
        seed = value;
        return this;
    }

    /**
     * Where a line per epoch goes; null (default) for nowhere.
     *
     * @param value the stream for a line per epoch, or null for none
     * @return these options
     */
    public RbmTrainingOptions log(PrintStream value) {
        log = value;
        return this;
    }

    /**
     * An independent copy of these settings (the log stream is shared).
     *
     * @return the copy
     */
    public RbmTrainingOptions copy() {
        RbmTrainingOptions copy = new RbmTrainingOptions();
        copy.epochs = epochs;
        copy.batchSize = batchSize;
        copy.learningRate = learningRate;
        copy.annealLearningRate = annealLearningRate;
        copy.gibbsSteps = gibbsSteps;
        copy.persistent = persistent;
        copy.initialMomentum = initialMomentum;
        copy.initialMomentumEpochs = initialMomentumEpochs;
        copy.momentum = momentum;
        copy.weightDecay = weightDecay;
        copy.acceptProbabilities = acceptProbabilities;
        copy.monitorRows = monitorRows;
        copy.seed = seed;
        copy.log = log;
        return copy;
    }

    private static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("RBM training: " + name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static float fraction(String name, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("RBM training: " + name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    int epochs() {
        return epochs;
    }

    int batchSize() {
        return batchSize;
    }

    float learningRate() {
        return learningRate;
    }

    /** The learning rate of an epoch (from 1). */
    float epochLearningRate(int epoch) {
        return annealLearningRate ? learningRate * (epochs - epoch + 1) / epochs : learningRate;
    }

    /** The momentum of an epoch (from 1). */
    float epochMomentum(int epoch) {
        return epoch <= initialMomentumEpochs ? initialMomentum : momentum;
    }

    int gibbsSteps() {
        return gibbsSteps;
    }

    boolean persistent() {
        return persistent;
    }

    float weightDecay() {
        return weightDecay;
    }

    boolean acceptProbabilities() {
        return acceptProbabilities;
    }

    int monitorRows() {
        return monitorRows;
    }

    long seed() {
        return seed;
    }

    PrintStream log() {
        return log;
    }

    /**
     * {@return one line: the method and the settings, e.g. {@code CD-1, batch 100, lr 0.1, ...}}
     */
    public String describe() {
        return (persistent ? "PCD-" : "CD-") + gibbsSteps + ", batch " + batchSize + ", learning rate " + learningRate
                + (annealLearningRate ? " (annealed)" : "") + ", momentum " + initialMomentum + " for "
                + initialMomentumEpochs + " epochs then " + momentum + ", weight decay " + weightDecay + ", "
                + epochs + " epochs, seed " + seed;
    }
}
