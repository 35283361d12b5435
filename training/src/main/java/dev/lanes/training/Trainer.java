package dev.lanes.training;

import dev.lanes.layers.Layer;
import dev.lanes.layers.loss.Loss;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.data.Batch;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.metrics.ConfusionMatrix;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.report.Charts;
import dev.lanes.training.report.EpochRecord;
import dev.lanes.training.report.MetricsCsv;
import dev.lanes.training.report.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link Model} with a loss and an optimizer: epochs of mini-batches, validation after
 * every epoch, early stopping, reports and checkpoints.
 *
 * <p><b>A step</b>: the loader's batch buffer is wrapped as an (n, c, h, w) tensor without
 * copying (the wrapper is made once per batch size), the labels are written into a reused
 * target tensor, then forward (training mode), loss, a check that the loss is finite, backward,
 * and {@link Optimizer#step()}. Nothing is allocated in a steady-state step beyond what the
 * layers, the loss and the progress display do. The loss must be mean-reduced; the epoch's loss
 * is the mean over images.
 *
 * <p><b>After each epoch</b>: validation (inference mode) with loss, accuracy and the confusion
 * matrix; a line on the log; with an output folder, {@value #CHECKPOINT_FILE} (the full state:
 * weights, buffers, optimizer state, epoch), {@value #METRICS_FILE} and the PNG charts
 * {@value #LOSS_CHART}, {@value #ACCURACY_CHART} and {@value #CONFUSION_CHART}.
 *
 * <p><b>Early stopping</b> (patience p &gt; 0, with validation): the weights of the best epoch by
 * the monitored metric are kept in memory; training stops after p epochs without improvement,
 * and at the end the best weights are restored. {@value #MODEL_FILE} then holds the final
 * weights.
 *
 * <p><b>A non-finite loss</b> (training or validation) stops training with a
 * {@link TrainingDivergedException} naming the epoch and the step; the model is set back to the
 * last good state (the end of the previous epoch), which is also what {@value #CHECKPOINT_FILE}
 * holds: it is not overwritten.
 */
public final class Trainer {
    /** The full state after the last completed epoch. */
    public static final String CHECKPOINT_FILE = "checkpoint.safetensors";
    /** The final weights (the best epoch's with early stopping). */
    public static final String MODEL_FILE = "model.safetensors";
    /** Per-epoch metrics. */
    public static final String METRICS_FILE = "metrics.csv";
    /** Loss curves. */
    public static final String LOSS_CHART = "loss.png";
    /** Accuracy curves. */
    public static final String ACCURACY_CHART = "accuracy.png";
    /** The validation confusion matrix of the final weights. */
    public static final String CONFUSION_CHART = "confusion_validation.png";

    /** What early stopping watches. */
    public enum Monitor {
        /** Lower validation loss is better. */
        VALIDATION_LOSS,
        /** Higher validation accuracy is better. */
        VALIDATION_ACCURACY
    }

    /** Makes the progress display of one epoch. */
    @FunctionalInterface
    public interface ProgressFactory {
        /** A display for {@code totalImages} images. */
        Progress create(String task, long totalImages);
    }

    /** Settings of a training run; fluent setters, sensible defaults. */
    public static final class Options {
        private int epochs = 10;
        private int patience;
        private Monitor monitor = Monitor.VALIDATION_LOSS;
        private Path outputDirectory;
        private boolean charts = true;
        private PrintStream log = System.out;
        private ProgressFactory progress = Progress::auto;
        private final Map<String, String> metadata = new LinkedHashMap<>();

        /** Epochs to train (at least 1); default 10. */
        public Options epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Early-stopping patience in epochs; 0 (the default) turns early stopping off. */
        public Options patience(int patience) {
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be at least 0, got " + patience);
            }
            this.patience = patience;
            return this;
        }

        /** The metric early stopping watches; default validation loss. */
        public Options monitor(Monitor monitor) {
            this.monitor = java.util.Objects.requireNonNull(monitor, "monitor");
            return this;
        }

        /** The folder for checkpoints and reports (created if needed); null (default) for none. */
        public Options outputDirectory(Path directory) {
            this.outputDirectory = directory;
            return this;
        }

        /** Whether to draw the PNG charts (default true; needs an output folder). */
        public Options charts(boolean charts) {
            this.charts = charts;
            return this;
        }

        /** Where the per-epoch lines go; null for nowhere. Default standard output. */
        public Options log(PrintStream log) {
            this.log = log;
            return this;
        }

        /** The progress display per epoch; default a bar when in a terminal, else none. */
        public Options progress(ProgressFactory progress) {
            this.progress = java.util.Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** Adds a metadata entry to every checkpoint (seed, data normalization, ...). */
        public Options metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        /** The number of epochs. */
        public int epochs() {
            return epochs;
        }
    }

    private final Model model;
    private final Layer network;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Options options;
    private final ModelSnapshot lastGood;
    private final ModelSnapshot best;
    private final ConfusionMatrix trainConfusion;
    private Tensor fullInput;
    private Tensor partialInput;
    private float[] targetValues;
    private Tensor fullTarget;
    private Tensor partialTarget;
    private int[] predictions;

    /**
     * A trainer of {@code model} with {@code loss} (mean-reduced, taking class-index targets of
     * shape (n)) and {@code optimizer}, which must hold the model's parameters; or null for a
     * trainer that only {@linkplain #evaluate evaluates}.
     */
    public Trainer(Model model, Loss loss, Optimizer optimizer, Options options) {
        if (optimizer != null && !optimizer.parameters().equals(model.parameters())) {
            throw new IllegalArgumentException("the optimizer must hold the parameters of model " + model.name()
                    + " in the model's order");
        }
        this.model = model;
        this.network = model.network();
        this.loss = loss;
        this.optimizer = optimizer;
        this.options = options;
        this.lastGood = new ModelSnapshot(model);
        this.best = new ModelSnapshot(model);
        this.trainConfusion = new ConfusionMatrix(model.classes());
    }

    /**
     * Trains for the configured epochs (or until early stopping) on {@code train}, validating on
     * {@code validation} (may be null: no validation and no early stopping).
     *
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     * @throws IOException               if a checkpoint or report cannot be written
     */
    public TrainingResult fit(DataLoader train, DataLoader validation) throws IOException {
        if (optimizer == null) {
            throw new IllegalStateException("this trainer has no optimizer: it can only evaluate");
        }
        checkLoader(train, "train");
        if (validation != null) {
            checkLoader(validation, "validation");
        }
        Path output = options.outputDirectory;
        if (output != null) {
            Files.createDirectories(output);
        }
        List<EpochRecord> records = new ArrayList<>();
        boolean earlyStopping = options.patience > 0 && validation != null;
        lastGood.capture();
        int lastGoodEpoch = 0;
        Path lastCheckpoint = null;
        int bestEpoch = 0;
        long bestStep = 0;
        double bestScore = Double.NaN;
        Evaluation bestValidation = null;
        Evaluation lastValidation = null;
        boolean stoppedEarly = false;
        for (int epoch = 1; epoch <= options.epochs; epoch++) {
            double learningRate = optimizer.learningRate();
            EpochStatistics statistics;
            Evaluation validated = null;
            try {
                statistics = trainEpoch(epoch, train);
                if (validation != null) {
                    validated = evaluate(validation);
                    if (!Double.isFinite(validated.loss())) {
                        throw diverged("the validation loss became " + validated.loss() + " after epoch " + epoch
                                + " (step " + optimizer.steps() + ")", optimizer.steps());
                    }
                }
            } catch (Diverged e) {
                lastGood.restore();
                String kept = lastCheckpoint == null ? "no checkpoint was written (no epoch completed)"
                        : "the last good checkpoint is " + lastCheckpoint + " (end of epoch " + lastGoodEpoch + ")";
                String restored = lastGoodEpoch == 0 ? "the initial weights" : "the weights of epoch " + lastGoodEpoch;
                throw new TrainingDivergedException("training stopped: " + e.getMessage() + "; the model holds "
                        + restored + " and " + kept, epoch, e.step, lastCheckpoint);
            }
            EpochRecord record = new EpochRecord(epoch, statistics.loss, statistics.accuracy,
                    validated == null ? Double.NaN : validated.loss(),
                    validated == null ? Double.NaN : validated.accuracy(), learningRate, statistics.seconds,
                    statistics.images / statistics.seconds);
            records.add(record);
            lastGood.capture();
            lastGoodEpoch = epoch;
            lastValidation = validated;
            boolean improved = false;
            if (earlyStopping) {
                double score = options.monitor == Monitor.VALIDATION_LOSS ? -validated.loss() : validated.accuracy();
                if (bestValidation == null || score > bestScore) {
                    bestScore = score;
                    bestEpoch = epoch;
                    bestStep = optimizer.steps();
                    bestValidation = validated;
                    improved = true;
                    best.capture();
                }
            }
            if (output != null) {
                lastCheckpoint = output.resolve(CHECKPOINT_FILE);
                ModelCheckpoint.save(lastCheckpoint, model, optimizer, metadata(epoch));
                writeReports(output, records, validated);
            }
            log(record, validated, improved && earlyStopping);
            if (earlyStopping && epoch - bestEpoch >= options.patience && epoch < options.epochs) {
                stoppedEarly = true;
                log(String.format(Locale.ROOT, "early stopping: no improvement of the %s for %d epochs; restoring the"
                        + " weights of epoch %d", monitorName(), options.patience, bestEpoch));
                break;
            }
        }
        // The final weights: the best epoch's with early stopping, else the last epoch's.
        int finalEpoch = lastGoodEpoch;
        long finalStep = optimizer.steps();
        Evaluation finalValidation = lastValidation;
        if (earlyStopping) {
            finalEpoch = bestEpoch;
            finalStep = bestStep;
            finalValidation = bestValidation;
            if (bestEpoch != lastGoodEpoch) {
                best.restore();
                if (!stoppedEarly) {
                    log("restoring the weights of epoch " + bestEpoch + ", the best by " + monitorName());
                }
            }
        }
        if (output != null) {
            Map<String, String> metadata = new LinkedHashMap<>(options.metadata);
            metadata.put("epoch", Integer.toString(finalEpoch));
            metadata.put("step", Long.toString(finalStep));
            ModelCheckpoint.save(output.resolve(MODEL_FILE), model, null, metadata);
            if (finalValidation != null && options.charts) {
                Charts.confusionMatrix(output.resolve(CONFUSION_CHART), finalValidation.confusion(),
                        train.dataset().classNames(), "Validation confusion matrix (epoch " + finalEpoch + ")");
            }
        }
        return new TrainingResult(List.copyOf(records), finalEpoch, stoppedEarly, finalValidation);
    }

    private String monitorName() {
        return options.monitor == Monitor.VALIDATION_LOSS ? "validation loss" : "validation accuracy";
    }

    private Map<String, String> metadata(int epoch) {
        Map<String, String> metadata = new LinkedHashMap<>(options.metadata);
        metadata.put("epoch", Integer.toString(epoch));
        metadata.put("step", Long.toString(optimizer.steps()));
        return metadata;
    }

    private void writeReports(Path output, List<EpochRecord> records, Evaluation validated) throws IOException {
        MetricsCsv.write(output.resolve(METRICS_FILE), records);
        if (options.charts) {
            Charts.lossCurves(output.resolve(LOSS_CHART), records);
            Charts.accuracyCurves(output.resolve(ACCURACY_CHART), records);
        }
    }

    private record EpochStatistics(double loss, double accuracy, long images, double seconds) {
    }

    /** A non-finite loss inside an epoch; turned into a TrainingDivergedException by fit. */
    private static final class Diverged extends Exception {
        private static final long serialVersionUID = 1L;
        private final long step;

        Diverged(String message, long step) {
            super(message, null, false, false);
            this.step = step;
        }
    }

    private static Diverged diverged(String message, long step) {
        return new Diverged(message, step);
    }

    private EpochStatistics trainEpoch(int epoch, DataLoader train) throws Diverged {
        long start = System.nanoTime();
        train.startEpoch(epoch - 1);
        trainConfusion.reset();
        double lossSum = 0;
        long images = 0;
        int batches = train.batchesPerEpoch();
        try (Progress progress = options.progress.create(String.format(Locale.ROOT, "epoch %d/%d", epoch,
                options.epochs), train.imagesPerEpoch())) {
            while (train.hasNext()) {
                Batch batch = train.next();
                int size = batch.size();
                float value = step(batch);
                if (!Float.isFinite(value)) {
                    long step = optimizer.steps() + 1;
                    throw diverged(String.format(Locale.ROOT, "the training loss became %s at epoch %d, step %d "
                            + "(batch %d of %d in the epoch)", value, epoch, step, batch.number() + 1, batches), step);
                }
                lossSum += (double) value * size;
                images += size;
                progress.advance(size);
                if ((batch.number() & 15) == 15) {
                    progress.message(String.format(Locale.ROOT, "loss %.4f", lossSum / images));
                }
            }
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        return new EpochStatistics(lossSum / images, trainConfusion.accuracy(), images, seconds);
    }

    /**
     * One training step on {@code batch}: forward, loss, and when the loss is finite backward and
     * the optimizer step; returns the loss. With a non-finite loss nothing is updated.
     */
    private float step(Batch batch) {
        int size = batch.size();
        Tensor input = input(batch);
        Tensor target = target(batch);
        Tensor output = network.forward(input, true);
        float value = loss.forward(output, target);
        if (!Float.isFinite(value)) {
            optimizer.zeroGrad();
            return value;
        }
        predict(output, size);
        trainConfusion.add(batch.labels(), predictions, size);
        network.backward(loss.backward());
        optimizer.step();
        return value;
    }

    /**
     * Evaluates the model in inference mode on every image of {@code loader} (its epoch 0
     * order): mean loss, accuracy and the confusion matrix. The matrix is a new object.
     */
    public Evaluation evaluate(DataLoader loader) {
        checkLoader(loader, "evaluation");
        long start = System.nanoTime();
        ConfusionMatrix confusion = new ConfusionMatrix(model.classes());
        double lossSum = 0;
        long images = 0;
        loader.startEpoch(0);
        while (loader.hasNext()) {
            Batch batch = loader.next();
            int size = batch.size();
            Tensor output = network.forward(input(batch), false);
            float value = loss.forward(output, target(batch));
            lossSum += (double) value * size;
            images += size;
            predict(output, size);
            confusion.add(batch.labels(), predictions, size);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Evaluation(images == 0 ? Double.NaN : lossSum / images, confusion.accuracy(), confusion, seconds);
    }

    /** The batch's images as an (n, c, h, w) view of the loader's buffer (no copy). */
    private Tensor input(Batch batch) {
        int size = batch.size();
        if (fullInput == null || fullInput.data() != batch.images()) {
            fullInput = wrap(batch.images(), batch.capacity(), batch);
            partialInput = null;
        }
        if (size == batch.capacity()) {
            return fullInput;
        }
        if (partialInput == null || partialInput.dim(0) != size) {
            partialInput = wrap(batch.images(), size, batch);
        }
        return partialInput;
    }

    private static Tensor wrap(float[] images, int count, Batch batch) {
        Shape shape = Shape.of(count, batch.channels(), batch.height(), batch.width());
        return Tensor.wrap(images, 0, shape, shape.contiguousStrides());
    }

    /** The labels as class indices in a reused (n) tensor. */
    private Tensor target(Batch batch) {
        int size = batch.size();
        int capacity = batch.capacity();
        if (targetValues == null || targetValues.length < capacity) {
            targetValues = new float[capacity];
            fullTarget = null;
            partialTarget = null;
            predictions = new int[capacity];
        }
        int[] labels = batch.labels();
        for (int i = 0; i < size; i++) {
            targetValues[i] = labels[i];
        }
        if (size == capacity) {
            if (fullTarget == null || fullTarget.dim(0) != capacity) {
                fullTarget = Tensor.wrap(targetValues, 0, Shape.of(capacity), new int[] {1});
            }
            return fullTarget;
        }
        if (partialTarget == null || partialTarget.dim(0) != size) {
            partialTarget = Tensor.wrap(targetValues, 0, Shape.of(size), new int[] {1});
        }
        return partialTarget;
    }

    /** predictions[i] = the first index of the largest score in row i of the (n, classes) output. */
    private void predict(Tensor output, int size) {
        float[] data = output.data();
        int offset = output.offset();
        int rowStride = output.stride(0);
        int columnStride = output.stride(1);
        int classes = output.dim(1);
        for (int i = 0; i < size; i++) {
            int row = offset + i * rowStride;
            int best = 0;
            float bestValue = data[row];
            for (int c = 1; c < classes; c++) {
                float value = data[row + c * columnStride];
                if (value > bestValue) {
                    bestValue = value;
                    best = c;
                }
            }
            predictions[i] = best;
        }
    }

    private void checkLoader(DataLoader loader, String what) {
        Shape expected = model.inputShape();
        var dataset = loader.dataset();
        if (dataset.channels() != expected.dim(0) || dataset.height() != expected.dim(1)
                || dataset.width() != expected.dim(2)) {
            throw new IllegalArgumentException("the " + what + " images are (" + dataset.channels() + ", "
                    + dataset.height() + ", " + dataset.width() + ") but model " + model.name() + " takes "
                    + expected);
        }
        if (dataset.classes() != model.classes()) {
            throw new IllegalArgumentException("the " + what + " data has " + dataset.classes() + " classes but model "
                    + model.name() + " outputs " + model.classes());
        }
    }

    private void log(EpochRecord record, Evaluation validated, boolean best) {
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

    private void log(String text) {
        if (options.log != null) {
            options.log.println(text);
        }
    }
}
