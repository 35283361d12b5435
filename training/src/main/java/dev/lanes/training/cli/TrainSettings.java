package dev.lanes.training.cli;

import dev.lanes.training.models.Models;
import dev.lanes.training.optim.Optimizers;
import dev.lanes.training.data.DataSource;
import dev.lanes.training.data.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The options of {@code lanes train}, parsed and checked.
 *
 * @param model        the architecture ({@link Models#NAMES})
 * @param epochs       epochs to train
 * @param batchSize    images per mini-batch
 * @param learningRate the (initial) learning rate
 * @param optimizer    the optimizer ({@link Optimizers#NAMES})
 * @param momentum     momentum for {@code momentum} and {@code nesterov}
 * @param weightDecay  L2 penalty (decoupled decay for {@code adamw})
 * @param l1           L1 penalty
 * @param clipNorm     gradient clipping by global norm, or infinity for none
 * @param schedule     constant, cosine, step or exponential
 * @param gamma        the decay factor of the step (per {@code stepEpochs}) and exponential (per epoch) schedules
 * @param stepEpochs   epochs between decays of the step schedule
 * @param warmupEpochs epochs of linear warm-up before the schedule
 * @param seed         seeds the weights, the split, the shuffling, dropout and augmentation
 * @param threads      kernel threads
 * @param data         the data directory, or null for the default search
 * @param output       the output folder
 * @param validation   the fraction of the training set held out for validation (0 for none)
 * @param patience     early-stopping patience in epochs (0 for none)
 * @param shift        the largest random shift in pixels for augmentation (0 for none)
 * @param flip         the probability of a horizontal flip for augmentation
 * @param progress     auto, bar, lines or none
 */
public record TrainSettings(String model, int epochs, int batchSize, double learningRate, String optimizer,
                            double momentum, double weightDecay, double l1, double clipNorm, String schedule,
                            double gamma, int stepEpochs, int warmupEpochs, long seed, int threads, Path data,
                            Path output, double validation, int patience, int shift, double flip, String progress) {

    /** Default epochs; see the README for how they were chosen. */
    public static final int DEFAULT_EPOCHS = 15;
    /** Default mini-batch size. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Default optimizer. */
    public static final String DEFAULT_OPTIMIZER = "adam";
    /** Default schedule. */
    public static final String DEFAULT_SCHEDULE = "cosine";
    /** Default seed. */
    public static final long DEFAULT_SEED = 42;
    /** Default validation fraction. */
    public static final double DEFAULT_VALIDATION = 0.1;
    /**
     * The output folder when none is given; {@code lanes train} itself gives a new numbered
     * folder instead (runs/train-NNN).
     */
    public static final String DEFAULT_OUTPUT = "runs/train";

    /** The schedules {@code --schedule} accepts. */
    public static final List<String> SCHEDULES = List.of("constant", "cosine", "step", "exponential");
    /** The values {@code --progress} accepts. */
    public static final List<String> PROGRESS = List.of("auto", "bar", "lines", "none");

    static final Set<String> OPTIONS = Set.of("model", "epochs", "batch-size", "lr", "optimizer", "momentum",
            "weight-decay", "l1", "clip-norm", "schedule", "gamma", "step-epochs", "warmup-epochs", "seed", "threads",
            "data", "output", "validation", "patience", "shift", "flip", "progress");

    /**
     * Parses the options of {@code lanes train} (without {@code --help}).
     *
     * @param arguments the arguments after {@code train}
     * @return the settings
     * @throws UsageException naming the option and what was wrong with its value
     */
    public static TrainSettings parse(List<String> arguments) throws UsageException {
        Arguments parsed = Arguments.parse("train", arguments, OPTIONS, Set.of());
        String optimizer = parsed.choice("optimizer", Optimizers.NAMES, DEFAULT_OPTIMIZER);
        int epochs = parsed.integer("epochs", DEFAULT_EPOCHS, 1, 100_000);
        return new TrainSettings(
                parsed.choice("model", Models.NAMES, Models.DEFAULT),
                epochs,
                parsed.integer("batch-size", DEFAULT_BATCH_SIZE, 1, 65_536),
                parsed.number("lr", Optimizers.defaultLearningRate(optimizer), 0, false, 100),
                optimizer,
                parsed.number("momentum", 0.9, 0, false, 0.999999),
                parsed.number("weight-decay", 0, 0, true, 10),
                parsed.number("l1", 0, 0, true, 10),
                parsed.number("clip-norm", Double.POSITIVE_INFINITY, 0, false, Double.POSITIVE_INFINITY),
                parsed.choice("schedule", SCHEDULES, DEFAULT_SCHEDULE),
                parsed.number("gamma", 0.5, 0, false, 1),
                parsed.integer("step-epochs", 5, 1, Integer.MAX_VALUE),
                parsed.integer("warmup-epochs", 0, 0, epochs),
                parsed.longValue("seed", DEFAULT_SEED),
                parsed.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 1024),
                parsed.path("data"),
                parsed.has("output") ? parsed.path("output") : Path.of(DEFAULT_OUTPUT),
                parsed.number("validation", DEFAULT_VALIDATION, 0, true, 0.9),
                parsed.integer("patience", 0, 0, Integer.MAX_VALUE),
                parsed.integer("shift", 0, 0, 27),
                parsed.number("flip", 0, 0, true, 1),
                parsed.choice("progress", PROGRESS, "auto"));
    }

    /** The word {@code --data} takes for the subset bundled in Lanes. */
    public static final String BUNDLED = "bundled";

    /**
     * {@return the data for {@code --data}: the bundled subset for {@value #BUNDLED}, else {@link
     * FashionMnist#resolve(Path)} (the directory, or the default search when null)}
     *
     * @param data the value of {@code --data}, or null when not given
     * @throws IOException if the data directory cannot be read
     */
    public static DataSource dataSource(Path data) throws IOException {
        if (data != null && data.toString().equals(BUNDLED)) {
            return FashionMnist.bundled();
        }
        return FashionMnist.resolve(data);
    }

    /** {@return the help text of {@code lanes train}} */
    public static String help() {
        return String.format("""
                usage: lanes train [OPTIONS]

                Trains a classifier on Fashion-MNIST, prints progress, the test accuracy and the
                confusion matrix, and writes the report (metrics.csv, PNG charts, results.txt) and
                the checkpoints (checkpoint.safetensors, model.safetensors) to the output folder.

                data:
                  --data DIR           a folder with the four IDX files (gzipped or not), or 'bundled' for
                                       the subset bundled in Lanes; default %s when
                                       present, else the bundled subset
                  --validation F       fraction of the training set held out for validation (default %s; 0: none)
                  --shift N            augmentation: random shifts of up to N pixels (default 0)
                  --flip P             augmentation: horizontal flips with probability P (default 0)
                model and training:
                  --model NAME         %s (default %s)
                  --epochs N           (default %d)
                  --batch-size N       (default %d)
                  --optimizer NAME     %s (default %s)
                  --lr X               learning rate (default: 0.001 for adam, adamw, rmsprop; 0.01 for
                                       momentum, nesterov, adagrad; 0.1 for sgd; 1 for adadelta)
                  --schedule NAME      %s (default %s; cosine anneals to 0 over all epochs)
                  --gamma G            decay factor: per --step-epochs for step, per epoch for exponential (default 0.5)
                  --step-epochs N      epochs between decays of the step schedule (default 5)
                  --warmup-epochs N    linear warm-up epochs before the schedule (default 0)
                  --momentum M         for momentum and nesterov (default 0.9)
                  --weight-decay L     L2 penalty; decoupled weight decay for adamw (default 0)
                  --l1 L               L1 penalty (default 0)
                  --clip-norm C        clip gradients to global norm C (default: no clipping)
                  --patience N         early stopping after N epochs without a better validation loss,
                                       restoring the best weights (default 0: off)
                run:
                  --seed N             seeds weights, split, shuffling, dropout, augmentation (default %d)
                  --threads N          kernel threads (default: the available processors); results do not
                                       depend on it
                  --output DIR         output folder (default: a new folder runs/train-NNN, numbered after
                                       the last); a folder that holds files needs --overwrite
                  --overwrite          let the run replace the files of an earlier one in --output
                  --progress MODE      %s (default auto: a bar in a terminal, else lines)
                """, FashionMnist.SYSTEM_DIRECTORY, DEFAULT_VALIDATION,
                String.join(", ", Models.NAMES), Models.DEFAULT, DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE,
                String.join(", ", Optimizers.NAMES), DEFAULT_OPTIMIZER, String.join(", ", SCHEDULES), DEFAULT_SCHEDULE,
                DEFAULT_SEED, String.join(", ", PROGRESS));
    }
}
