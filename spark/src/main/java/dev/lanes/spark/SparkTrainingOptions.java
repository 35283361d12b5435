package dev.lanes.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Settings of a {@link SparkTrainer}: fluent setters with defaults. */
public final class SparkTrainingOptions {
    int workers = 2;
    int chunks = 4;
    int epochs = 1;
    int checkpointEvery;
    int averageEvery;
    Path outputDirectory;
    boolean resume;
    PrintStream log = System.out;
    TaskProbe probe;
    final Map<String, String> metadata = new LinkedHashMap<>();

    /** The defaults; the setters change them. */
    public SparkTrainingOptions() {
    }

    /**
     * Tasks per step, each computing a contiguous range of the chunks (at least 1); default 2.
     *
     * @param workers the tasks per step, {@code >= 1}
     * @return these options
     */
    public SparkTrainingOptions workers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.workers = workers;
        return this;
    }

    /**
     * Logical chunks per global batch (at least 1; default 4): they fix the arithmetic, so any
     * number of workers up to this gives the bits of {@code Trainer} with the same
     * {@code gradientChunks}.
     *
     * @param chunks the chunks per global batch, {@code >= 1}
     * @return these options
     */
    public SparkTrainingOptions chunks(int chunks) {
        if (chunks < 1) {
            throw new IllegalArgumentException("chunks must be at least 1, got " + chunks);
        }
        this.chunks = chunks;
        return this;
    }

    /**
     * Epochs to train (at least 1); default 1.
     *
     * @param epochs the number of epochs, {@code >= 1}
     * @return these options
     */
    public SparkTrainingOptions epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /**
     * Writes the checkpoint every this many steps too (with averaging: at the end of the period
     * that reaches a multiple); 0, the default: only at the end of each epoch.
     *
     * @param steps the steps between checkpoints, {@code >= 0} (0: per epoch only)
     * @return these options
     */
    public SparkTrainingOptions checkpointEvery(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("checkpoint interval must be at least 0, got " + steps);
        }
        this.checkpointEvery = steps;
        return this;
    }

    /**
     * Parameter averaging instead of synchronous steps: each worker takes {@code steps} local
     * optimizer steps on its shard (chunk w of W of every global batch) from the same state, then
     * the driver averages weights and optimizer slots in partition order. Periods end at epoch
     * ends; checkpoints are written at period ends. 0 (the default) for synchronous training.
     *
     * @param steps the local steps per averaging period, {@code >= 1}
     * @return these options
     */
    public SparkTrainingOptions averageEvery(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("averaging period must be at least 0, got " + steps);
        }
        this.averageEvery = steps;
        return this;
    }

    /**
     * The folder of the checkpoints (created if needed); null (default) for none.
     *
     * @param directory the folder, or null for none
     * @return these options
     */
    public SparkTrainingOptions outputDirectory(Path directory) {
        this.outputDirectory = directory;
        return this;
    }

    /**
     * Whether to continue from the output folder's checkpoint when there is one; default false.
     *
     * @param resume true to continue from the folder's checkpoint
     * @return these options
     */
    public SparkTrainingOptions resume(boolean resume) {
        this.resume = resume;
        return this;
    }

    /**
     * Where the progress lines go; null for nowhere. Default standard output.
     *
     * @param log the stream for progress lines, or null for none
     * @return these options
     */
    public SparkTrainingOptions log(PrintStream log) {
        this.log = log;
        return this;
    }

    /**
     * Called by every task before it computes (fault injection in tests); null (default) for none.
     *
     * @param probe the probe, or null for none
     * @return these options
     */
    public SparkTrainingOptions probe(TaskProbe probe) {
        this.probe = probe;
        return this;
    }

    /**
     * Adds a metadata entry to every checkpoint, as {@code TrainingOptions.metadata} does.
     *
     * @param key the entry's key
     * @param value the entry's value
     * @return these options
     */
    public SparkTrainingOptions metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }
}
