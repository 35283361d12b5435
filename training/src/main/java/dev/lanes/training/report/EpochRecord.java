package dev.lanes.training.report;

/**
 * The metrics of one training epoch. Validation values are {@code NaN} when there was no
 * validation set.
 *
 * @param epoch              the epoch number, from 1
 * @param trainLoss          the mean training loss over the epoch's batches
 * @param trainAccuracy      the training accuracy in [0, 1]
 * @param validationLoss     the mean validation loss, or NaN
 * @param validationAccuracy the validation accuracy in [0, 1], or NaN
 * @param learningRate       the learning rate at the end of the epoch
 * @param seconds            the epoch's wall-clock time
 * @param imagesPerSecond    training images per second
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                          double validationAccuracy, double learningRate, double seconds, double imagesPerSecond) {

    /** {@return whether the record has validation values} */
    public boolean hasValidation() {
        return !Double.isNaN(validationLoss) || !Double.isNaN(validationAccuracy);
    }
}
