package dev.lanes.recurrent.cli;

import dev.lanes.kernels.Parallel;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Sequential;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.recurrent.ImageRows;
import dev.lanes.recurrent.Lstm;
import dev.lanes.tensor.Shape;
import dev.lanes.training.Evaluation;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingOptions;
import dev.lanes.training.TrainingResult;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.Command;
import dev.lanes.training.cli.TrainSettings;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.DataSource;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.Splits;
import dev.lanes.training.optim.Adam;
import dev.lanes.training.report.LineProgress;
import dev.lanes.training.report.Progress;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code lanes fashion-rows}: sequence classification, Fashion-MNIST read row by row (28 steps of
 * 28 pixels) by an LSTM whose final state feeds a dense softmax layer; trained with Adam and the
 * usual Trainer (validation, checkpoints, loss and accuracy charts), then evaluated on the test
 * images against the curriculum's line (LSTM 128, at least 89% test accuracy).
 */
public final class FashionRowsCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("hidden", "epochs", "batch-size", "learning-rate",
            "clip-norm", "patience", "validation", "seed", "threads", "data", "train-images", "test-images", "output",
            "progress");
    /** The report, as printed at the end. */
    static final String REPORT_FILE = "report.txt";
    /** The curriculum's test accuracy for an LSTM of 128 units. */
    static final double TARGET = 0.89;
    private static final String DEFAULT_OUTPUT = "runs/fashion-rows";

    @Override
    public String name() {
        return "fashion-rows";
    }

    @Override
    public String summary() {
        return "Fashion-MNIST read row by row by an LSTM (sequence classification)";
    }

    private static String help() {
        return String.format(Locale.ROOT, """
                usage: lanes fashion-rows [OPTIONS]

                Reads each Fashion-MNIST image as a sequence of its 28 rows (28 pixels a step) with an LSTM,
                its final state into a dense softmax layer; trains with Adam (gradient norm clipped) for
                --epochs (with --patience: stops when the validation loss has not improved for that many
                epochs and keeps the best epoch's weights), and prints the test accuracy against the curriculum's
                line (LSTM 128: at least 89%%). Writes checkpoints, metrics.csv, loss.png and accuracy.png
                (the Trainer's) and %s to --output.

                  --hidden H           LSTM units (default 128)
                  --epochs N           (default 12)
                  --batch-size N       (default 64)
                  --learning-rate LR   Adam's (default 0.002)
                  --clip-norm C        global gradient norm clip (default 5)
                  --patience N         epochs without improvement before stopping; 0: never (default 0)
                  --validation F       fraction of the training images held out (default 0.1)
                  --seed S             weights, split and shuffling (default 1)
                  --threads N          kernel threads (default 1)
                  --data DIR|bundled   the four IDX files (default %s, else the bundled subset)
                  --train-images N     a class-balanced sample of N training images (default: all)
                  --test-images N      a class-balanced sample of N test images (default: all)
                  --output DIR         (default %s)
                  --progress MODE      lines or none (default lines)
                """, REPORT_FILE, dev.lanes.training.data.FashionMnist.SYSTEM_DIRECTORY, DEFAULT_OUTPUT);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Arguments parsed = Arguments.parse(name(), arguments, OPTIONS, Set.of());
        int hidden = parsed.integer("hidden", 128, 1, 1 << 14);
        int epochs = parsed.integer("epochs", 12, 1, 10_000);
        int batchSize = parsed.integer("batch-size", 64, 1, 1 << 16);
        double learningRate = parsed.number("learning-rate", 0.002, 0, false, 10);
        double clipNorm = parsed.number("clip-norm", 5, 0, false, 1e9);
        int patience = parsed.integer("patience", 0, 0, 10_000);
        double validationFraction = parsed.number("validation", 0.1, 0, false, 0.5);
        long seed = parsed.longValue("seed", 1);
        int threads = parsed.integer("threads", 1, 1, 1024);
        int trainImages = parsed.integer("train-images", 0, 0, Integer.MAX_VALUE);
        int testImages = parsed.integer("test-images", 0, 0, Integer.MAX_VALUE);
        Path output = Path.of(parsed.string("output", DEFAULT_OUTPUT));
        String progress = parsed.choice("progress", List.of("lines", "none"), "lines");
        Parallel.setThreads(threads);

        DataSource source = TrainSettings.dataSource(parsed.has("data") ? parsed.path("data") : null);
        Dataset all = sample(source.train(), trainImages, seed);
        Splits.TrainValidation split = Splits.trainValidation(all, validationFraction, seed, true);
        float[] mean = split.train().channelMeans();
        float[] std = split.train().channelStds();
        Dataset train = split.train().normalized(mean, std);
        Dataset validation = split.validation().normalized(mean, std);
        Dataset test = sample(source.test(), testImages, seed).normalized(mean, std);
        if (train.channels() != 1) {
            throw new IllegalArgumentException("fashion-rows reads one-channel images, got " + train.channels()
                    + " channels");
        }
        Files.createDirectories(output);
        out.printf(Locale.ROOT, "Lanes fashion-rows: LSTM %d over %d rows of %d pixels, %d epochs, batch %d, "
                        + "Adam %s, clip %s, seed %d, %d thread(s); %s: %,d training, %,d validation, %,d test "
                        + "images%n", hidden, train.height(), train.width(), epochs, batchSize, learningRate, clipNorm,
                seed, threads, source.description(), train.count(), validation.count(), test.count());

        Shape inputShape = Shape.of(1, train.height(), train.width());
        Sequential network = Sequential.builder(inputShape)
                .add("rows", new ImageRows())
                .add("lstm", new Lstm(train.width(), hidden, seed))
                .add("fc", new Dense(hidden, train.classes(), seed + 1)).build();
        Model model = Model.of("rows-lstm" + hidden, network, inputShape);
        DataLoader trainLoader = new DataLoader(train, batchSize, true, train.count() > batchSize, seed,
                Augmentation.NONE);
        DataLoader validationLoader = new DataLoader(validation, 256, false, false, seed, Augmentation.NONE);
        Adam adam = new Adam(model.parameters(), learningRate);
        adam.clipGradientNorm(clipNorm);
        TrainingOptions options = new TrainingOptions().epochs(epochs).patience(patience).outputDirectory(output)
                .log(out)
                .progress(progress.equals("none") ? (task, total) -> Progress.none()
                        : (task, total) -> new LineProgress(task, total, out, 4))
                .metadata("seed", Long.toString(seed));
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam, options);
        long start = System.nanoTime();
        TrainingResult result = trainer.fit(trainLoader, validationLoader);
        double minutes = (System.nanoTime() - start) / 60e9;
        Evaluation evaluation = trainer.evaluate(new DataLoader(test, 256, false, false, seed, Augmentation.NONE));

        String report = String.format(Locale.ROOT, """

                LSTM %d reading Fashion-MNIST row by row (%d steps of %d pixels)
                  weights of epoch %d of %d%s, training %.1f minutes
                  validation accuracy %.2f%% (%,d images)
                  test accuracy %.2f%%, loss %.4f (%,d test images)
                """, hidden, train.height(), train.width(), result.finalEpoch(), result.epochs().size(),
                patience > 0 ? " (best validation loss)" : "", minutes,
                100 * result.finalValidation().accuracy(), result.finalValidation().count(),
                100 * evaluation.accuracy(), evaluation.loss(), evaluation.count());
        boolean target = hidden == 128 && test.count() == source.test().count();
        report += target ? String.format(Locale.ROOT, "  curriculum line (LSTM 128, >= 89%% test accuracy): %s%n",
                evaluation.accuracy() >= TARGET ? "met" : "NOT met")
                : "  (the curriculum line is for LSTM 128 on all test images)\n";
        out.print(report);
        Files.writeString(output.resolve(REPORT_FILE), report.stripLeading(), StandardCharsets.UTF_8);
        out.println("report: " + output.resolve(REPORT_FILE) + ", charts: " + output.resolve(Trainer.LOSS_CHART)
                + ", " + output.resolve(Trainer.ACCURACY_CHART));
        return 0;
    }

    /** A class-balanced seeded sample of {@code count} images (all of them for 0 or more than there are). */
    private static Dataset sample(Dataset data, int count, long seed) {
        if (count <= 0 || count >= data.count()) {
            return data;
        }
        double fraction = (double) count / data.count();
        return Splits.split(data, new double[] {fraction, 1 - fraction}, seed, true).get(0);
    }
}
