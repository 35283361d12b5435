package dev.lanes.spark;

import dev.lanes.training.Evaluation;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingOptions;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.UsageException;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.models.Models;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.optim.Optimizers;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code lanes spark-train}: trains a model of {@link Models} on Fashion-MNIST on a Spark master
 * ({@link SparkTrainer}, synchronous), then evaluates it on the test images on the driver and
 * prints the SHA-256 of the final checkpoint. Run it with {@code spark-submit --class} (the master
 * comes from spark-submit) or directly with {@code --master URL}.
 */
public final class SparkTrain {
    static final String COMMAND = "spark-train";
    private static final Set<String> OPTIONS = Set.of("master", "model", "epochs", "batch-size", "chunks", "workers",
            "optimizer", "lr", "momentum", "weight-decay", "seed", "data", "images", "output", "checkpoint-every",
            "shift", "flip");
    private static final Set<String> FLAGS = Set.of("resume", "one-machine", "help");

    private SparkTrain() {
    }

    /**
     * Runs the command; exits with 2 on a usage error and 1 on a failed run.
     *
     * @param args the command-line arguments
     * @throws Exception when the run fails
     */
    public static void main(String[] args) throws Exception {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static String help() {
        return """
                Usage: lanes spark-train --output DIR [options]   (or spark-submit --class dev.lanes.spark.SparkTrain ...)
                Trains on Apache Spark, data-parallel and synchronous, with the bits of one machine.
                  --master URL          Spark master (spark://host:7077, local[2], ...); default: spark-submit's
                  --model NAME          %s (default cnn)
                  --epochs N            default 1
                  --batch-size N        the global mini-batch, default 64
                  --chunks N            logical chunks per batch (fix the arithmetic), default 4
                  --workers N           tasks per step, at most the chunks, default 2
                  --optimizer NAME      %s (default momentum)
                  --lr X                default: the optimizer's usual rate
                  --momentum X          default 0.9
                  --weight-decay X      default 0
                  --seed N              default 42
                  --data DIR            Fashion-MNIST IDX files on every machine; default the bundled subset
                  --images N            use the first N training images (default all)
                  --shift N, --flip P   augmentation (default none)
                  --checkpoint-every N  also checkpoint every N steps (default: each epoch)
                  --resume              continue from DIR's checkpoint
                  --one-machine         no Spark: train with Trainer and the same chunks here (the reference bits)
                """.formatted(Models.NAMES, Optimizers.NAMES);
    }

    static int run(List<String> arguments, PrintStream out, PrintStream err) throws IOException {
        if (arguments.contains("--help")) {
            out.print(help());
            return 0;
        }
        Arguments parsed;
        String optimizerName;
        FashionMnistSetup setup;
        SparkTrainingOptions options;
        double rate;
        double momentum;
        double weightDecay;
        Path output;
        try {
            parsed = Arguments.parse(COMMAND, arguments, OPTIONS, FLAGS);
            if (!parsed.has("output")) {
                throw new UsageException("lanes " + COMMAND + ": --output DIR is required");
            }
            output = parsed.path("output");
            if (parsed.flag("one-machine") && parsed.flag("resume")) {
                throw new UsageException("lanes " + COMMAND + ": --resume needs Spark (--one-machine runs Trainer,"
                        + " which starts from the initial weights)");
            }
            optimizerName = parsed.choice("optimizer", Optimizers.NAMES, "momentum");
            rate = parsed.number("lr", Optimizers.defaultLearningRate(optimizerName), 0, false,
                    Double.POSITIVE_INFINITY);
            momentum = parsed.number("momentum", 0.9, 0, true, 1);
            weightDecay = parsed.number("weight-decay", 0, 0, true, Double.POSITIVE_INFINITY);
            long seed = parsed.longValue("seed", 42);
            int batchSize = parsed.integer("batch-size", 64, 1, 1 << 16);
            setup = new FashionMnistSetup(parsed.choice("model", Models.NAMES, Models.DEFAULT), seed,
                    parsed.has("data") ? parsed.path("data").toAbsolutePath().toString() : null,
                    parsed.integer("images", 0, 0, Integer.MAX_VALUE), batchSize,
                    parsed.integer("shift", 0, 0, 8), parsed.number("flip", 0, 0, true, 1));
            int chunks = parsed.integer("chunks", 4, 1, batchSize);
            int workers = parsed.integer("workers", Math.min(2, chunks), 1, chunks);
            options = new SparkTrainingOptions().chunks(chunks).workers(workers)
                    .epochs(parsed.integer("epochs", 1, 1, 10_000))
                    .checkpointEvery(parsed.integer("checkpoint-every", 0, 0, Integer.MAX_VALUE))
                    .outputDirectory(output).resume(parsed.flag("resume")).log(out)
                    .metadata("seed", Long.toString(seed))
                    .metadata("batch_size", Integer.toString(batchSize))
                    .metadata("gradient_chunks", Integer.toString(chunks));
        } catch (UsageException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (parsed.flag("one-machine")) {
            return oneMachine(setup, optimizer(optimizerName, rate, momentum, weightDecay), options, output, out);
        }
        SparkConf conf = SparkJvm.conf(parsed.string("master", "local[2]"), "lanes " + COMMAND);
        if (!parsed.has("master") && new SparkConf().contains("spark.master")) {
            conf.setMaster(new SparkConf().get("spark.master"));
        }
        OptimizerFactory optimizer = optimizer(optimizerName, rate, momentum, weightDecay);
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.setLogLevel("WARN");
            out.printf(Locale.ROOT, "lanes %s: %s on %s, master %s, %d workers, %d chunks, batch %d%n", COMMAND,
                    setup.model(), setup.source().description(), spark.master(), options.workers, options.chunks,
                    setup.batchSize());
            SparkTrainer trainer = new SparkTrainer(spark, setup, optimizer, options);
            Model model = trainer.fit();
            out.println("steps: " + trainer.statistics());
            finish(setup, model, output, out);
        }
        return 0;
    }

    private static OptimizerFactory optimizer(String name, double rate, double momentum,
                                                        double weightDecay) {
        return model -> Optimizers.create(name, model.parameters(), new LearningRateSchedule.Constant(rate), momentum,
                weightDecay);
    }

    /** The reference: Trainer on this machine with the same setup, chunks and checkpoint metadata. */
    private static int oneMachine(FashionMnistSetup setup, OptimizerFactory optimizer,
                                  SparkTrainingOptions options, Path output, PrintStream out) throws IOException {
        Model model = setup.model();
        TrainingOptions trainerOptions = new TrainingOptions().epochs(options.epochs).gradientChunks(options.chunks)
                .outputDirectory(output).charts(false).log(out);
        options.metadata.forEach(trainerOptions::metadata);
        out.printf(Locale.ROOT, "lanes %s --one-machine: %s on %s, Trainer with %d chunks, batch %d%n", COMMAND,
                model, setup.source().description(), options.chunks, setup.batchSize());
        new Trainer(model, setup.loss(), optimizer.apply(model), trainerOptions).fit(setup.trainLoader(), null);
        finish(setup, model, output, out);
        return 0;
    }

    /** Evaluates on the test images and prints the checkpoint's SHA-256. */
    private static void finish(FashionMnistSetup setup, Model model, Path output, PrintStream out) throws IOException {
        Evaluation test = new Trainer(model, setup.loss(), null, new TrainingOptions().log(null))
                .evaluate(new DataLoader(setup.test(), setup.batchSize(), false, false, setup.seed(),
                        Augmentation.NONE));
        out.printf(Locale.ROOT, "test accuracy %.2f%%, loss %.4f%n", 100 * test.accuracy(), test.loss());
        Path checkpoint = output.resolve(Trainer.CHECKPOINT_FILE);
        out.println("sha256 " + sha256(checkpoint) + "  " + checkpoint);
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
