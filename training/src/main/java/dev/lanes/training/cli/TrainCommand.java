package dev.lanes.training.cli;

import dev.lanes.kernels.KernelProvider;
import dev.lanes.kernels.Parallel;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.training.Evaluation;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingOptions;
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
import java.util.Set;

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
        TrainArguments.Split split = TrainArguments.split(arguments, Set.of(OVERWRITE));
        boolean overwrite = Arguments.parse(name(), split.own(), Set.of(), Set.of(OVERWRITE)).flag(OVERWRITE);
        List<String> trainArguments = split.train();
        TrainSettings settings = TrainSettings.parse(trainArguments);
        boolean outputGiven = !TrainArguments.split(trainArguments, Set.of("output")).own().isEmpty();
        if (outputGiven) {
            RunFolders.checkWritable(name(), settings.output(), overwrite);
        } else {
            Path folder = RunFolders.next(Path.of(RUNS), name());
            settings = TrainSettings.parse(TrainArguments.withDefault(trainArguments, "output", folder.toString()));
        }
        return train(settings, out, err);
    }

    /** The flag that lets a run replace the files of an earlier one in its {@code --output} folder. */
    static final String OVERWRITE = "overwrite";
    /** The folder that receives the numbered run folders when {@code --output} is not given. */
    static final String RUNS = "runs";

    /** The normalized data of a run: train (and validation) split from the training file, the test file. */
    record Data(DataSource source, Dataset train, Dataset validation, Dataset test, float[] mean, float[] std) {
    }

    /**
     * Reads the data, splits off the validation part (stratified, seeded) and normalizes all
     * parts with the training part's mean and standard deviation only, so validation and test
     * stay unseen.
     */
    static Data data(TrainSettings settings) throws IOException {
        DataSource source = TrainSettings.dataSource(settings.data());
        Dataset train = source.train();
        Dataset validation = null;
        if (settings.validation() > 0) {
            Splits.TrainValidation split = Splits.trainValidation(train, settings.validation(), settings.seed(), true);
            train = split.train();
            validation = split.validation();
        }
        float[] mean = train.channelMeans();
        float[] std = train.channelStds();
        return new Data(source, train.normalized(mean, std), validation == null ? null
                : validation.normalized(mean, std), source.test().normalized(mean, std), mean, std);
    }

    /** The optimizer the settings ask for, over the model's parameters. */
    static Optimizer optimizer(TrainSettings settings, Model model, int batchesPerEpoch) {
        Optimizer optimizer = Optimizers.create(settings.optimizer(), model.parameters(),
                schedule(settings, batchesPerEpoch), settings.momentum(), settings.weightDecay());
        optimizer.l1(settings.l1());
        if (settings.clipNorm() != Double.POSITIVE_INFINITY) {
            optimizer.clipGradientNorm(settings.clipNorm());
        }
        return optimizer;
    }

    /** Trains with {@code settings}; returns the exit status. */
    static int train(TrainSettings settings, PrintStream out, PrintStream err) throws IOException {
        Parallel.setThreads(settings.threads());
        Data data = data(settings);
        Model model = Models.create(settings.model(), settings.seed());
        // Training drops the last partial batch (a different few images each epoch, as the order is
        // shuffled): every step then has the same batch size, so the layers never resize their
        // workspaces and every step weighs the same. Validation and test see every image.
        boolean dropLast = data.train().count() > settings.batchSize();
        DataLoader trainLoader = new DataLoader(data.train(), settings.batchSize(), true, dropLast, settings.seed(),
                new Augmentation(settings.shift(), settings.flip()));
        DataLoader validationLoader = data.validation() == null ? null : new DataLoader(data.validation(),
                settings.batchSize(), false, false, settings.seed(), Augmentation.NONE);
        Optimizer optimizer = optimizer(settings, model, trainLoader.batchesPerEpoch());

        out.println("run folder: " + settings.output());
        String header = header(settings, data, model, optimizer);
        out.print(header);
        out.println(Models.summary(model));
        TrainingOptions options = new TrainingOptions().epochs(settings.epochs()).patience(settings.patience())
                .outputDirectory(settings.output()).log(out).progress(progress(settings.progress(), out))
                .subject(subject(model, data))
                .metadata("seed", Long.toString(settings.seed()))
                .metadata("data", data.source().kind().name().toLowerCase(Locale.ROOT))
                .metadata("train_images", Integer.toString(data.train().count()))
                .metadata("batch_size", Integer.toString(settings.batchSize()))
                .metadata("normalize_mean", floats(data.mean()))
                .metadata("normalize_std", floats(data.std()));
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), optimizer, options);
        TrainingResult result;
        try {
            result = trainer.fit(trainLoader, validationLoader);
        } catch (TrainingDivergedException e) {
            err.println("lanes train: " + e.getMessage());
            return 1;
        }
        Dataset test = data.test();
        Evaluation evaluation = trainer.evaluate(new DataLoader(test, settings.batchSize(), false, false,
                settings.seed(), Augmentation.NONE));
        String results = Report.results("test", evaluation, test.classNames(), result.finalEpoch());
        out.print(results);
        if (result.finalValidation() != null) {
            out.println(CurriculumTraining.diagnosis(trainer, data, result.finalValidation(), settings.seed()));
        }
        Files.writeString(settings.output().resolve(RESULTS_FILE), header + results, StandardCharsets.UTF_8);
        Charts.confusionMatrix(settings.output().resolve(TEST_CONFUSION_CHART), evaluation.confusion(),
                test.classNames(), String.format(Locale.ROOT, "Test: %s; accuracy %.2f%% of %,d images after %d"
                        + " epochs", subject(model, data), 100 * evaluation.accuracy(), test.count(),
                        result.finalEpoch()));
        out.println("report and checkpoints in " + settings.output().toAbsolutePath());
        return 0;
    }

    /** The charts' subject: "cnn on Fashion-MNIST (54,000 training images)". */
    static String subject(Model model, Data data) {
        String set = data.source().kind() == DataSource.Kind.BUNDLED ? "the bundled Fashion-MNIST subset"
                : "Fashion-MNIST";
        return String.format(Locale.ROOT, "%s on %s (%,d training images)", model.name(), set, data.train().count());
    }

    /** The run's description: model, settings, data and FLOPs. */
    static String header(TrainSettings settings, Data data, Model model, Optimizer optimizer) {
        return String.format(Locale.ROOT, "Lanes train: model %s (%,d parameters), %d epochs, batch %d, %s,"
                        + " %s schedule, seed %d, %d threads, %d-bit vectors%n", model.name(), model.parameterCount(),
                settings.epochs(), settings.batchSize(), optimizer, settings.schedule(), settings.seed(),
                Parallel.threads(), KernelProvider.vectorBits())
                + String.format(Locale.ROOT, "data: %s: %,d training, %,d validation, %,d test images%n",
                data.source().description(), data.train().count(),
                data.validation() == null ? 0 : data.validation().count(), data.test().count())
                + String.format(Locale.ROOT, "FLOPs per image: %.2f M forward, %.2f M per training step%n",
                Flops.forwardPerImage(model) / 1e6, Flops.trainingPerImage(model) / 1e6);
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

    static TrainingOptions.ProgressFactory progress(String mode, PrintStream out) {
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
