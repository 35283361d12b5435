package dev.lanes.training;

import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.report.Charts;
import dev.lanes.training.report.EpochRecord;
import dev.lanes.training.report.MetricsCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link Trainer} run writes: with an output folder, after every epoch the checkpoint, the
 * metrics and the charts, and at the end the final model and its validation confusion chart; and
 * the lines on the log.
 */
final class TrainingReport {
    private final Model model;
    private final Optimizer optimizer;
    private final TrainingOptions options;

    TrainingReport(Model model, Optimizer optimizer, TrainingOptions options) {
        this.model = model;
        this.optimizer = optimizer;
        this.options = options;
    }

    /**
     * Writes the full state after {@code epoch} ({@value Trainer#CHECKPOINT_FILE}), the metrics of
     * {@code records} and their charts; returns the checkpoint, or null without an output folder.
     */
    Path epochEnded(int epoch, List<EpochRecord> records) throws IOException {
        Path output = options.outputDirectory;
        if (output == null) {
            return null;
        }
        Path checkpoint = output.resolve(Trainer.CHECKPOINT_FILE);
        ModelCheckpoint.save(checkpoint, model, optimizer, metadata(epoch, optimizer.steps()));
        MetricsCsv.write(output.resolve(Trainer.METRICS_FILE), records);
        if (options.charts) {
            Charts.lossCurves(output.resolve(Trainer.LOSS_CHART), records, subject());
            Charts.accuracyCurves(output.resolve(Trainer.ACCURACY_CHART), records, subject());
        }
        return checkpoint;
    }

    /**
     * Writes the final weights ({@value Trainer#MODEL_FILE}, of epoch {@code epoch} and step
     * {@code step}) and, when there was validation, their confusion chart with the class names of
     * {@code trainData}.
     */
    void finished(int epoch, long step, Evaluation validation, Dataset trainData) throws IOException {
        Path output = options.outputDirectory;
        if (output == null) {
            return;
        }
        ModelCheckpoint.save(output.resolve(Trainer.MODEL_FILE), model, null, metadata(epoch, step));
        if (validation != null && options.charts) {
            Charts.confusionMatrix(output.resolve(Trainer.CONFUSION_CHART), validation.confusion(),
                    trainData.classNames(), String.format(Locale.ROOT, "Validation: %s; epoch %d, accuracy"
                            + " %.2f%% of %,d images", subject(), epoch, 100 * validation.accuracy(),
                            validation.confusion().total()));
        }
    }

    /** What the charts say was trained: the options' subject, else the model's name. */
    private String subject() {
        return options.subject == null ? model.name() : options.subject;
    }

    private Map<String, String> metadata(int epoch, long step) {
        Map<String, String> metadata = new LinkedHashMap<>(options.metadata);
        metadata.put("epoch", Integer.toString(epoch));
        metadata.put("step", Long.toString(step));
        return metadata;
    }

    /** The epoch's line: its losses, accuracies, learning rate and speed, and {@code *} for a new best. */
    void log(EpochRecord record, Evaluation validated, boolean best) {
        if (options.log == null) {
            return;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "epoch %2d/%d  train loss %.4f acc %.2f%%", record.epoch(), options.epochs, record.trainLoss(),
                100 * record.trainAccuracy()));
        if (validated != null) {
            line.append(String.format(Locale.ROOT, "  validation loss %.4f acc %.2f%%", validated.loss(),
                    100 * validated.accuracy()));
        }
        line.append(String.format(Locale.ROOT, "  lr %.3g  %.1f s  %.0f img/s", record.learningRate(),
                record.seconds(), record.imagesPerSecond()));
        if (best) {
            line.append("  *");
        }
        options.log.println(line);
    }

    void log(String text) {
        if (options.log != null) {
            options.log.println(text);
        }
    }
}
