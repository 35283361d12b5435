package dev.lanes.training;

import dev.lanes.layers.loss.Loss;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.training.data.Batch;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.metrics.ConfusionMatrix;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.optim.Optimizers;
import dev.lanes.training.report.EpochRecord;
import dev.lanes.training.report.Progress;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Trains a {@link Model} with a loss and an optimizer: epochs of mini-batches, validation after
 * every epoch, early stopping, reports and checkpoints.
 *
 * <p><b>A step</b>: the loader's batch buffer is wrapped as an (n, c, h, w) tensor without
 * copying (the wrapper is made once per batch size), the labels are written into a reused
 * target tensor, then forward (training mode), loss, a check that the loss is finite, backward,
 * and {@link Optimizer#step()} (with {@linkplain TrainingOptions#adversarial adversarial training},
 * part of the batch is first replaced by adversarial images and the loss is the decks' weighted
 * one). Nothing is allocated in a steady-state step beyond what the
 * layers, the loss and the progress display do. The loss must be mean-reduced; the epoch's loss
 * is the mean over images.
 *
 * <p><b>After each epoch</b>: validation (inference mode) with loss, accuracy and the confusion
 * matrix; a line on the log; with an output folder, {@value #CHECKPOINT_FILE} (the full state:
 * weights, buffers, optimizer state, epoch), {@value #METRICS_FILE} and the PNG charts
 * {@value #LOSS_CHART} and {@value #ACCURACY_CHART}.
 *
 * <p><b>Early stopping</b> (patience p &gt; 0, with validation): the weights of the best epoch by
 * the monitored metric are kept in memory; training stops after p epochs without improvement,
 * and at the end the best weights are restored. {@value #MODEL_FILE} then holds the final
 * weights (the best epoch's with early stopping, else the last epoch's) and
 * {@value #CONFUSION_CHART} their validation confusion matrix.
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

    private final Model model;
    private final Optimizer optimizer;
    private final TrainingOptions options;
    private final ModelSnapshot lastGood;
    private final ModelSnapshot best;
    private final TrainingStep steps;
    private final TrainingReport report;

    /**
     * A trainer of {@code model} with {@code loss} (mean-reduced, taking class-index targets of
     * shape (n)) and {@code optimizer}, which must hold the model's parameters; or null for a
     * trainer that only {@linkplain #evaluate evaluates}.
     *
     * @param model the model to train
     * @param loss the loss, mean-reduced over class-index targets (n)
     * @param optimizer the optimizer of the model's parameters, or null for evaluation only
     * @param options the training settings
     */
    public Trainer(Model model, Loss loss, Optimizer optimizer, TrainingOptions options) {
        if (optimizer != null && !optimizer.parameters().equals(model.parameters())) {
            throw new IllegalArgumentException("the optimizer must hold the parameters of model " + model.name()
                    + " in the model's order");
        }
        this.model = model;
        this.optimizer = optimizer;
        this.options = options;
        this.lastGood = new ModelSnapshot(model);
        this.best = new ModelSnapshot(model);
        this.steps = new TrainingStep(model, loss, optimizer, options);
        this.report = new TrainingReport(model, optimizer, options);
    }

    /**
     * {@return a builder of a trainer for {@code model}, with named settings and defaults: softmax
     * cross-entropy, Adam at its usual learning rate, 10 epochs of batches of 32, seed 0, a line
     * per epoch on standard output, no files}
     *
     * <pre>{@code
     * Trainer trainer = Trainer.builder(model).epochs(20).batchSize(64).learningRate(0.01).build();
     * TrainingResult result = trainer.fit(train, validation);
     * }</pre>
     *
     * @param model the model to train
     */
    public static Builder builder(Model model) {
        return new Builder(model);
    }

    /** The settings of a {@link Trainer}; see {@link Trainer#builder}. */
    public static final class Builder {
        private final Model model;
        private final TrainingOptions options = new TrainingOptions();
        private Loss loss = new SoftmaxCrossEntropy();
        private String optimizer = "adam";
        private double learningRate = Double.NaN;
        private double momentum = 0.9;
        private double weightDecay;

        private Builder(Model model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /**
         * The loss, mean-reduced over class-index targets (default softmax cross-entropy).
         *
         * @param loss the loss
         * @return this builder
         */
        public Builder loss(Loss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /**
         * The optimizer by name, one of {@link Optimizers#NAMES} (default adam).
         *
         * @param name the optimizer's name
         * @return this builder
         */
        public Builder optimizer(String name) {
            if (!Optimizers.NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown optimizer '" + name + "'; choose one of "
                        + Optimizers.NAMES);
            }
            this.optimizer = name;
            return this;
        }

        /**
         * A constant learning rate (default: {@link Optimizers#defaultLearningRate} of the optimizer).
         *
         * @param learningRate the learning rate, {@code > 0}
         * @return this builder
         */
        public Builder learningRate(double learningRate) {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
            }
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Momentum of the momentum and nesterov optimizers (default 0.9).
         *
         * @param momentum the momentum, in [0, 1)
         * @return this builder
         */
        public Builder momentum(double momentum) {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            this.momentum = momentum;
            return this;
        }

        /**
         * L2 penalty, or adamw's decoupled weight decay (default 0).
         *
         * @param weightDecay the penalty or decay, {@code >= 0}
         * @return this builder
         */
        public Builder weightDecay(double weightDecay) {
            if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay must be at least 0, got " + weightDecay);
            }
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Epochs to train (default 10).
         *
         * @param epochs the number of epochs, {@code >= 1}
         * @return this builder
         */
        public Builder epochs(int epochs) {
            options.epochs(epochs);
            return this;
        }

        /**
         * Images per batch (default 32).
         *
         * @param batchSize the images per batch, {@code >= 1}
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            options.batchSize(batchSize);
            return this;
        }

        /**
         * Seeds the order of the training images (default 0); the model's own seed fixes its weights.
         *
         * @param seed the seed of the training images' order
         * @return this builder
         */
        public Builder seed(long seed) {
            options.seed(seed);
            return this;
        }

        /**
         * Early-stopping patience in epochs, with validation data (default 0: off).
         *
         * @param patience the epochs without improvement before stopping, {@code >= 0} (0: never
         *     stop early)
         * @return this builder
         */
        public Builder patience(int patience) {
            options.patience(patience);
            return this;
        }

        /**
         * Where the per-epoch lines go; null for nowhere (default standard output).
         *
         * @param log the stream for a line per epoch, or null for none
         * @return this builder
         */
        public Builder log(PrintStream log) {
            options.log(log);
            return this;
        }

        /**
         * No per-epoch lines and no progress bar.
         *
         * @return this builder
         */
        public Builder quiet() {
            options.log(null).progress((task, total) -> Progress.none());
            return this;
        }

        /**
         * A folder for checkpoints, metrics and charts (default none: nothing is written).
         *
         * @param directory the folder, or null for none
         * @return this builder
         */
        public Builder outputDirectory(Path directory) {
            options.outputDirectory(directory);
            return this;
        }

        /** {@return the trainer} */
        public Trainer build() {
            double rate = Double.isNaN(learningRate) ? Optimizers.defaultLearningRate(optimizer) : learningRate;
            Optimizer chosen = Optimizers.create(optimizer, model.parameters(),
                    new LearningRateSchedule.Constant(rate), momentum, weightDecay);
            return new Trainer(model, loss, chosen, options);
        }
    }

    /**
     * Trains on {@code train} without validation; see {@link #fit(Dataset, Dataset)}.
     *
     * @param train the training set
     * @return the epochs' records, the final epoch, whether it stopped early and the final validation
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     * @throws IOException               if a checkpoint or report cannot be written
     */
    public TrainingResult fit(Dataset train) throws IOException {
        return fit(train, (Dataset) null);
    }

    /**
     * Trains on {@code train}, validating on {@code validation} (may be null), with loaders of the
     * options' batch size and seed: the training images shuffled each epoch, the last partial
     * batch dropped when there is more than one batch (every step then weighs the same).
     *
     * @param train the training set
     * @param validation the validation set, or null for none
     * @return the epochs' records, the final epoch, whether it stopped early and the final validation
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     * @throws IOException               if a checkpoint or report cannot be written
     */
    public TrainingResult fit(Dataset train, Dataset validation) throws IOException {
        DataLoader trainLoader = DataLoader.builder(train).batchSize(options.batchSize).shuffle(true)
                .dropLast(train.count() > options.batchSize).seed(options.seed).build();
        return fit(trainLoader, validation == null ? null : evaluationLoader(validation));
    }

    /**
     * Evaluates the model on every image of {@code data}; see {@link #evaluate(DataLoader)}.
     *
     * @param data the images and labels
     * @return the mean loss, accuracy and confusion matrix
     */
    public Evaluation evaluate(Dataset data) {
        return evaluate(evaluationLoader(data));
    }

    private DataLoader evaluationLoader(Dataset data) {
        return DataLoader.builder(data).batchSize(options.batchSize).build();
    }

    /** The state of one {@link #fit} call. */
    private static final class Run {
        final List<EpochRecord> records = new ArrayList<>();
        final boolean earlyStopping;
        int lastGoodEpoch;
        Path lastCheckpoint;
        Evaluation lastValidation;
        int bestEpoch;
        long bestStep;
        double bestScore;
        Evaluation bestValidation;
        boolean stoppedEarly;

        Run(boolean earlyStopping) {
            this.earlyStopping = earlyStopping;
        }
    }

    /**
     * Trains for the configured epochs (or until early stopping) on {@code train}, validating on
     * {@code validation} (may be null: no validation and no early stopping).
     *
     * @param train the training set
     * @param validation the validation set, or null for none
     * @return the epochs' records, the final epoch, whether it stopped early and the final validation
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
        if (options.outputDirectory != null) {
            Files.createDirectories(options.outputDirectory);
        }
        Run run = new Run(options.patience > 0 && validation != null);
        lastGood.capture();
        for (int epoch = 1; epoch <= options.epochs; epoch++) {
            if (!epoch(run, epoch, train, validation)) {
                break;
            }
        }
        return finish(run, train.dataset());
    }

    /** Trains and validates one epoch, then records it; returns false when early stopping ends the run. */
    private boolean epoch(Run run, int epoch, DataLoader train, DataLoader validation) throws IOException {
        double learningRate = optimizer.learningRate();
        EpochStatistics statistics;
        Evaluation validated = null;
        try {
            statistics = trainEpoch(epoch, train);
            if (validation != null) {
                validated = evaluate(validation);
                if (!Double.isFinite(validated.loss())) {
                    throw new Diverged("the validation loss became " + validated.loss() + " after epoch " + epoch
                            + " (step " + optimizer.steps() + ")", optimizer.steps());
                }
            }
        } catch (Diverged e) {
            lastGood.restore();
            String kept = run.lastCheckpoint == null ? "no checkpoint was written (no epoch completed)"
                    : "the last good checkpoint is " + run.lastCheckpoint + " (end of epoch " + run.lastGoodEpoch + ")";
            String restored = run.lastGoodEpoch == 0 ? "the initial weights" : "the weights of epoch " + run.lastGoodEpoch;
            throw new TrainingDivergedException("training stopped: " + e.getMessage() + "; the model holds " + restored
                    + " and " + kept, epoch, e.step, run.lastCheckpoint);
        }
        EpochRecord record = new EpochRecord(epoch, statistics.loss, statistics.accuracy,
                validated == null ? Double.NaN : validated.loss(), validated == null ? Double.NaN : validated.accuracy(),
                learningRate, statistics.seconds, statistics.images / statistics.seconds);
        run.records.add(record);
        lastGood.capture();
        run.lastGoodEpoch = epoch;
        run.lastValidation = validated;
        boolean improved = run.earlyStopping && trackBest(run, epoch, validated);
        Path checkpoint = report.epochEnded(epoch, run.records);
        if (checkpoint != null) {
            run.lastCheckpoint = checkpoint;
        }
        report.log(record, validated, improved);
        if (run.earlyStopping && epoch - run.bestEpoch >= options.patience && epoch < options.epochs) {
            run.stoppedEarly = true;
            report.log(String.format(Locale.ROOT, "early stopping: no improvement of the %s for %d epochs; restoring the"
                    + " weights of epoch %d", monitorName(), options.patience, run.bestEpoch));
            return false;
        }
        return true;
    }

    /** Keeps the weights of the best epoch so far; returns whether this epoch is the new best. */
    private boolean trackBest(Run run, int epoch, Evaluation validated) {
        double score = options.monitor == TrainingOptions.Monitor.VALIDATION_LOSS ? -validated.loss()
                : validated.accuracy();
        if (run.bestValidation != null && score <= run.bestScore) {
            return false;
        }
        run.bestScore = score;
        run.bestEpoch = epoch;
        run.bestStep = optimizer.steps();
        run.bestValidation = validated;
        best.capture();
        return true;
    }

    /** Restores the best weights with early stopping; writes the final model and its confusion chart. */
    private TrainingResult finish(Run run, Dataset trainData) throws IOException {
        int finalEpoch = run.lastGoodEpoch;
        long finalStep = optimizer.steps();
        Evaluation finalValidation = run.lastValidation;
        if (run.earlyStopping) {
            finalEpoch = run.bestEpoch;
            finalStep = run.bestStep;
            finalValidation = run.bestValidation;
            if (run.bestEpoch != run.lastGoodEpoch) {
                best.restore();
                if (!run.stoppedEarly) {
                    report.log("restoring the weights of epoch " + run.bestEpoch + ", the best by " + monitorName());
                }
            }
        }
        report.finished(finalEpoch, finalStep, finalValidation, trainData);
        return new TrainingResult(List.copyOf(run.records), finalEpoch, run.stoppedEarly, finalValidation);
    }

    private String monitorName() {
        return options.monitor == TrainingOptions.Monitor.VALIDATION_LOSS ? "validation loss" : "validation accuracy";
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

    private EpochStatistics trainEpoch(int epoch, DataLoader train) throws Diverged {
        long start = System.nanoTime();
        train.startEpoch(epoch - 1);
        ConfusionMatrix trainConfusion = steps.trainConfusion();
        trainConfusion.reset();
        double lossSum = 0;
        long images = 0;
        int batches = train.batchesPerEpoch();
        try (Progress progress = options.progress.create(String.format(Locale.ROOT, "epoch %d/%d", epoch,
                options.epochs), train.imagesPerEpoch())) {
            while (train.hasNext()) {
                Batch batch = train.next();
                int size = batch.size();
                float value = steps.train(batch);
                if (!Float.isFinite(value)) {
                    long step = optimizer.steps() + 1;
                    throw new Diverged(String.format(Locale.ROOT, "the training loss became %s at epoch %d, step %d "
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
     * Evaluates the model in inference mode on every image of {@code loader} (its epoch 0
     * order): mean loss, accuracy and the confusion matrix (a new object).
     *
     * @param loader the loader
     * @return the mean loss, accuracy and confusion matrix
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
            lossSum += (double) steps.evaluate(batch, confusion) * size;
            images += size;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Evaluation(images == 0 ? Double.NaN : lossSum / images, confusion.accuracy(), confusion, seconds);
    }

    private void checkLoader(DataLoader loader, String what) {
        Shape expected = model.inputShape();
        Dataset dataset = loader.dataset();
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
}
