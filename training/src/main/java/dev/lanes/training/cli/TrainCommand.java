package dev.lanes.training.cli;

import dev.lanes.kernels.KernelProvider;
import dev.lanes.kernels.Parallel;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.training.Evaluation;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingDivergedException;
import dev.lanes.training.TrainingResult;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.DataSource;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.Splits;
import dev.lanes.training.models.Flops;
import dev.lanes.training.models.Models;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.optim.Optimizers;
import dev.lanes.training.report.Charts;
import dev.lanes.training.report.LineProgress;
import dev.lanes.training.report.Progress;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code lanes train}: trains a model on Fashion-MNIST and reports its test accuracy. */
final class TrainCommand implements Command {
    /** The file with the final results, beside the checkpoints. */
    static final String RESULTS_FILE = "results.txt";
    /** The test confusion matrix chart. */
    static final String TEST_CONFUSION_CHART = "confusion_test.png";

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a classifier on Fashion-MNIST; print and save its test accuracy, report and checkpoint";
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(TrainSettings.help());
            return 0;
        }
        return train(TrainSettings.parse(arguments), out, err);
    }

    /** Trains with {@code settings}; returns the exit status. */
    static int train(TrainSettings settings, PrintStream out, PrintStream err) throws IOException {
        Parallel.setThreads(settings.threads());
        DataSource source = TrainSettings.dataSource(settings.data());
        Dataset all = source.train();
        Dataset test = source.test();
        Dataset train = all;
        Dataset validation = null;
        if (settings.validation() > 0) {
            Splits.TrainValidation split = Splits.trainValidation(all, settings.validation(), settings.seed(), true);
            train = split.train();
            validation = split.validation();
        }
        // Normalize with the training part's statistics only: validation and test stay unseen.
        float[] mean = train.channelMeans();
        float[] std = train.channelStds();
        train = train.normalized(mean, std);
        validation = validation == null ? null : validation.normalized(mean, std);
        test = test.normalized(mean, std);

        Model model = Models.create(settings.model(), settings.seed());
        Augmentation augmentation = new Augmentation(settings.shift(), settings.flip());
        // Training drops the last partial batch (a different few images each epoch, as the order is
        // shuffled): every step then has the same batch size, so the layers never resize their
        // workspaces and every step weighs the same. Validation and test see every image.
        boolean dropLast = train.count() > settings.batchSize();
        DataLoader trainLoader = new DataLoader(train, settings.batchSize(), true, dropLast, settings.seed(),
                augmentation);
        DataLoader validationLoader = validation == null ? null
                : new DataLoader(validation, settings.batchSize(), false, false, settings.seed(), Augmentation.NONE);
        DataLoader testLoader = new DataLoader(test, settings.batchSize(), false, false, settings.seed(),
                Augmentation.NONE);
        LearningRateSchedule schedule = schedule(settings, trainLoader.batchesPerEpoch());
        Optimizer optimizer = Optimizers.create(settings.optimizer(), model.parameters(), schedule,
                settings.momentum(), settings.weightDecay());
        optimizer.l1(settings.l1());
        if (settings.clipNorm() != Double.POSITIVE_INFINITY) {
            optimizer.clipGradientNorm(settings.clipNorm());
        }

        StringBuilder header = new StringBuilder();
        header.append(String.format(Locale.ROOT, "Lanes train: model %s (%,d parameters), %d epochs, batch %d, %s,"
                + " %s schedule, seed %d, %d threads, %d-bit vectors%n", model.name(), model.parameterCount(),
                settings.epochs(), settings.batchSize(), optimizer, settings.schedule(), settings.seed(),
                Parallel.threads(), KernelProvider.vectorBits()));
        header.append(String.format(Locale.ROOT, "data: %s: %,d training, %,d validation, %,d test images%n",
                source.description(), train.count(), validation == null ? 0 : validation.count(), test.count()));
        header.append(String.format(Locale.ROOT, "FLOPs per image: %.2f M forward, %.2f M per training step%n",
                Flops.forwardPerImage(model.network()) / 1e6, Flops.trainingPerImage(model.network()) / 1e6));
        out.print(header);
        out.println(Models.summary(model));

        Trainer.Options options = new Trainer.Options().epochs(settings.epochs()).patience(settings.patience())
                .outputDirectory(settings.output()).log(out).progress(progress(settings.progress(), out))
                .metadata("seed", Long.toString(settings.seed()))
                .metadata("data", source.kind().name().toLowerCase(Locale.ROOT))
                .metadata("train_images", Integer.toString(train.count()))
                .metadata("batch_size", Integer.toString(settings.batchSize()))
                .metadata("normalize_mean", floats(mean))
                .metadata("normalize_std", floats(std));
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), optimizer, options);
        TrainingResult result;
        try {
            result = trainer.fit(trainLoader, validationLoader);
        } catch (TrainingDivergedException e) {
            err.println("lanes train: " + e.getMessage());
            return 1;
        }
        Evaluation evaluation = trainer.evaluate(testLoader);
        String results = header + Report.results("test", evaluation, test.classNames(), result.finalEpoch());
        out.print(Report.results("test", evaluation, test.classNames(), result.finalEpoch()));
        Files.writeString(settings.output().resolve(RESULTS_FILE), results, StandardCharsets.UTF_8);
        Charts.confusionMatrix(settings.output().resolve(TEST_CONFUSION_CHART), evaluation.confusion(),
                test.classNames(), String.format(Locale.ROOT, "Test confusion matrix (%s, accuracy %.2f%%)",
                        model.name(), 100 * evaluation.accuracy()));
        out.println("report and checkpoints in " + settings.output().toAbsolutePath());
        return 0;
    }

    static LearningRateSchedule schedule(TrainSettings settings, int batchesPerEpoch) {
        double rate = settings.learningRate();
        long warmup = (long) settings.warmupEpochs() * batchesPerEpoch;
        long afterWarmup = Math.max(1, (long) (settings.epochs() - settings.warmupEpochs()) * batchesPerEpoch);
        LearningRateSchedule schedule = switch (settings.schedule()) {
            case "constant" -> new LearningRateSchedule.Constant(rate);
            case "cosine" -> new LearningRateSchedule.Cosine(rate, afterWarmup);
            case "step" -> new LearningRateSchedule.Step(rate, settings.gamma(),
                    (long) settings.stepEpochs() * batchesPerEpoch);
            // γ per epoch is γ^(1/batches) per step.
            case "exponential" -> new LearningRateSchedule.Exponential(rate,
                    Math.pow(settings.gamma(), 1.0 / batchesPerEpoch));
            default -> throw new IllegalArgumentException("unknown schedule " + settings.schedule());
        };
        return warmup == 0 ? schedule : new LearningRateSchedule.Warmup(warmup, 0, schedule);
    }

    static Trainer.ProgressFactory progress(String mode, PrintStream out) {
        boolean terminal = Progress.isTerminal();
        return switch (mode) {
            case "none" -> (task, total) -> Progress.none();
            case "bar" -> (task, total) -> Progress.console(task, total, System.err, terminal ? 0 : 100);
            case "lines" -> (task, total) -> new LineProgress(task, total, out, 4);
            default -> terminal ? (task, total) -> Progress.console(task, total, System.err, 0)
                    : (task, total) -> new LineProgress(task, total, out, 4);
        };
    }

    static String floats(float[] values) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ",").append(values[i]);
        }
        return text.toString();
    }
}
