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

    /** Epochs, at least 1; default 10. */
    public RbmTrainingOptions epochs(int value) {
        epochs = atLeast("epochs", value, 1);
        return this;
    }

    /** Images per mini-batch (and persistent chains), at least 1; default 100. */
    public RbmTrainingOptions batchSize(int value) {
        batchSize = atLeast("batchSize", value, 1);
        return this;
    }

    /** The learning rate, positive and finite; default 0.1. */
    public RbmTrainingOptions learningRate(float value) {
        if (!(value > 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException("RBM training: learningRate must be positive and finite, got " + value);
        }
        learningRate = value;
        return this;
    }

    /** Whether the learning rate falls linearly from its value in epoch 1 to 1/epochs of it in the last. */
    public RbmTrainingOptions annealLearningRate(boolean value) {
        annealLearningRate = value;
        return this;
    }

    /** k, the Gibbs steps per update (CD-k, PCD-k), at least 1; default 1. */
    public RbmTrainingOptions gibbsSteps(int value) {
        gibbsSteps = atLeast("gibbsSteps", value, 1);
        return this;
    }

    /**
     * Persistent contrastive divergence (Tieleman, 2008): the negative-phase chains carry on from
     * update to update instead of restarting at the data; default false (CD-k).
     */
    public RbmTrainingOptions persistent(boolean value) {
        persistent = value;
        return this;
    }

    /** Momentum after the first epochs, in [0, 1); default 0.9. */
    public RbmTrainingOptions momentum(float value) {
        momentum = fraction("momentum", value);
        return this;
    }

    /** Momentum during the first {@code epochs} epochs, in [0, 1); default 0.5 for 5 epochs. */
    public RbmTrainingOptions initialMomentum(float value, int epochs) {
        initialMomentum = fraction("initialMomentum", value);
        initialMomentumEpochs = atLeast("initialMomentum epochs", epochs, 0);
        return this;
    }

    /** L2 weight decay on the weights (not the biases), at least 0; default 2e-4. */
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
     */
    public RbmTrainingOptions acceptProbabilities(boolean value) {
        acceptProbabilities = value;
        return this;
    }

    /** Rows (from the first) on which each epoch's reconstruction error is measured; default 1000. */
    public RbmTrainingOptions monitorRows(int value) {
        monitorRows = atLeast("monitorRows", value, 1);
        return this;
    }

    /** The seed of the shuffles and the Gibbs chains; default 0. */
    public RbmTrainingOptions seed(long value) {
        seed = value;
        return this;
    }

    /** Where a line per epoch goes; null (default) for nowhere. */
    public RbmTrainingOptions log(PrintStream value) {
        log = value;
        return this;
    }

    /** An independent copy of these settings (the log stream is shared). */
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

    /** One line: the method and the settings, e.g. {@code CD-1, batch 100, lr 0.1, ...}. */
    public String describe() {
        return (persistent ? "PCD-" : "CD-") + gibbsSteps + ", batch " + batchSize + ", learning rate " + learningRate
                + (annealLearningRate ? " (annealed)" : "") + ", momentum " + initialMomentum + " for "
                + initialMomentumEpochs + " epochs then " + momentum + ", weight decay " + weightDecay + ", "
                + epochs + " epochs, seed " + seed;
    }
}
