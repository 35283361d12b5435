package dev.lanes.training;

import dev.lanes.training.adversarial.AdversarialTraining;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.report.Progress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Settings of a {@link Trainer}: fluent setters with sensible defaults. */
public final class TrainingOptions {
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
        /**
         * {@return a display for {@code totalImages} images}
         *
         * @param task the task's name
         * @param totalImages the images of the whole task
         */
        Progress create(String task, long totalImages);
    }

    int epochs = 10;
    int patience;
    Monitor monitor = Monitor.VALIDATION_LOSS;
    Path outputDirectory;
    boolean charts = true;
    PrintStream log = System.out;
    ProgressFactory progress = Progress::auto;
    final Map<String, String> metadata = new LinkedHashMap<>();
    AdversarialTraining adversarial;
    int batchSize = 32;
    String subject;
    long seed;
    int gradientChunks = 1;

    /** The defaults; the setters change them. */
    public TrainingOptions() {
    }

    /**
     * Epochs to train (at least 1); default 10.
     *
     * @param epochs the number of epochs, {@code >= 1}
     * @return these options
     */
    public TrainingOptions epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /**
     * Early-stopping patience in epochs; 0 (the default) turns early stopping off.
     *
     * @param patience the epochs without improvement before stopping, {@code >= 0} (0: never stop
     *     early)
     * @return these options
     */
    public TrainingOptions patience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be at least 0, got " + patience);
        }
        this.patience = patience;
        return this;
    }

    /**
     * The metric early stopping watches; default validation loss.
     *
     * @param monitor the metric
     * @return these options
     */
    public TrainingOptions monitor(Monitor monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        return this;
    }

    /**
     * The folder for checkpoints and reports (created if needed); null (default) for none.
     *
     * @param directory the folder, or null for none
     * @return these options
     */
    public TrainingOptions outputDirectory(Path directory) {
        this.outputDirectory = directory;
        return this;
    }

    /**
     * Whether to draw the PNG charts (default true; needs an output folder).
     *
     * @param charts true to draw the charts
     * @return these options
     */
    public TrainingOptions charts(boolean charts) {
        this.charts = charts;
        return this;
    }

    /**
     * Where the per-epoch lines go; null for nowhere. Default standard output.
     *
     * @param log the stream for a line per epoch, or null for none
     * @return these options
     */
    public TrainingOptions log(PrintStream log) {
        this.log = log;
        return this;
    }

    /**
     * The progress display per epoch; default a bar when in a terminal, else none.
     *
     * @param progress the progress display per epoch
     * @return these options
     */
    public TrainingOptions progress(ProgressFactory progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * Adds a metadata entry to every checkpoint (seed, data normalization, ...). Keep it free of
     * times and thread counts: the same run should write the same bytes.
     *
     * @param key the entry's key
     * @param value the entry's value
     * @return these options
     */
    public TrainingOptions metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Trains on adversarial examples too: each batch's last images are replaced by adversarial
     * versions (in the loader's buffer) and the loss is the decks' weighted mean
     * ({@link AdversarialTraining}); the training accuracy then counts clean and adversarial images
     * alike. Null (the default) for standard training.
     *
     * @param adversarial the adversarial mix, or null for none
     * @return these options
     */
    public TrainingOptions adversarial(AdversarialTraining adversarial) {
        this.adversarial = adversarial;
        return this;
    }

    /**
     * Images per batch when {@link Trainer#fit(Dataset, Dataset)} and
     * {@link Trainer#evaluate(Dataset)} make the loaders (default 32).
     *
     * @param batchSize the images per batch, {@code >= 1}
     * @return these options
     */
    public TrainingOptions batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /**
     * Seeds the shuffling of the loaders {@link Trainer#fit(Dataset, Dataset)} makes (default 0).
     *
     * @param seed the seed of the loaders' shuffling
     * @return these options
     */
    public TrainingOptions seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Computes each batch's gradient as {@code chunks} logical chunks combined in a fixed tree
     * ({@link ChunkedGradient}), as a distributed trainer with the same chunks does, so the two give
     * the same bits. 1 (the default) computes the batch in one piece. Not with adversarial training.
     *
     * @param chunks the number of chunks, {@code >= 1}
     * @return these options
     */
    public TrainingOptions gradientChunks(int chunks) {
        if (chunks < 1) {
            throw new IllegalArgumentException("gradient chunks must be at least 1, got " + chunks);
        }
        this.gradientChunks = chunks;
        return this;
    }

    /**
     * What the charts' titles say is trained, e.g. "cnn on Fashion-MNIST (54,000 training
     * images)"; default (null) the model's name.
     *
     * @param subject the description, or null for the model's name
     * @return these options
     */
    public TrainingOptions subject(String subject) {
        this.subject = subject;
        return this;
    }

    /** {@return the number of epochs} */
    public int epochs() {
        return epochs;
    }
}
