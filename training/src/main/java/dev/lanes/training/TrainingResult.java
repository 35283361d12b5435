package dev.lanes.training;

import dev.lanes.training.report.EpochRecord;
import java.util.List;

/**
 * What {@link Trainer#fit} did.
 *
 * @param epochs         one record per completed epoch
 * @param finalEpoch      the epoch whose weights the model holds at the end: the best by the
 *                        monitored validation metric with early stopping, else the last one
 * @param stoppedEarly    whether early stopping ended training before the last epoch
 * @param finalValidation the validation results of the final weights, or null without validation
 */
public record TrainingResult(List<EpochRecord> epochs, int finalEpoch, boolean stoppedEarly,
                             Evaluation finalValidation) {
}
