package dev.lanes.spark;

import dev.lanes.training.ChunkedGradient;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingDivergedException;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Data-parallel training on Apache Spark: synchronous, with the bits of one machine, or by
 * parameter averaging.
 *
 * <p><b>A step</b> is one Spark job of {@code workers} tasks. The driver broadcasts the weights;
 * task w builds (once per executor and job) a replica of the model and the training loader from
 * the {@link TrainingSetup}, moves its loader to the step's global batch and computes the
 * {@link ChunkedGradient} chunks {@code [w·C/W, (w+1)·C/W)} of it, and returns the sums of the
 * largest tree nodes inside its range. The driver combines them in the tree, by chunk index
 * (never by arrival order), sets the gradients and takes the optimizer step. So W workers give
 * the bits of {@link Trainer} with {@code gradientChunks(C)}, the same global batch, data order
 * and seed, for any W from 1 to C: a task's result is a pure function of the weights, the step
 * and its partition, so a retried task (a thrown exception, a lost executor) changes nothing.
 *
 * <p><b>Checkpoints</b> ({@value Trainer#CHECKPOINT_FILE}, the format of {@link Trainer}'s: weights,
 * optimizer state and step, metadata {@code epoch} = completed epochs and {@code step}) are written
 * atomically at the end of every epoch and every {@code checkpointEvery} steps; with
 * {@code resume} a run continues from the step the checkpoint holds, with the same final bits as a
 * run that was never stopped. At the end {@value Trainer#MODEL_FILE} holds the final weights.
 *
 * <p><b>Parameter averaging</b> ({@code averageEvery(k)}): one Spark job per k steps; task w takes
 * k local optimizer steps on shard w (chunk w of W) of each global batch from the broadcast
 * weights and optimizer state, and the driver averages the returned weights and slots in
 * partition order. What holds: a task is still a pure function of the broadcast state, the period
 * and w, so for fixed W, k, seed and data the result is the same bits on every run, in local
 * mode or on a cluster, through retried tasks and lost executors, and after a resume. It is not
 * the bits of synchronous training, and it changes with W (the shards change) and with k. For
 * k = 1 and an optimizer linear in the gradient (SGD, with or without momentum, L2) it equals
 * synchronous training with W chunks in exact arithmetic when W divides the batch (equal shards); in
 * float they differ by rounding.
 *
 * <p>Not supported: models with buffers (batch-norm running statistics are updated on the
 * workers and would need their own combine), validation and early stopping (evaluate the returned
 * model), adversarial training.
 */
public final class SparkTrainer {
    private final JavaSparkContext spark;
    private final TrainingSetup setup;
    private final OptimizerFactory optimizerFactory;
    private final SparkTrainingOptions options;
    private final StepStatistics statistics = new StepStatistics();

    /**
     * A trainer on {@code spark} of the model, loss and data of {@code setup}, with the optimizer
     * {@code optimizerFactory} makes on the driver for the driver's model.
     *
     * @param spark the Spark context of the driver
     * @param setup what each replica is: model, loss and data
     * @param optimizerFactory makes the optimizer of a model
     * @param options the distributed-training settings
     */
    public SparkTrainer(JavaSparkContext spark, TrainingSetup setup, OptimizerFactory optimizerFactory,
                        SparkTrainingOptions options) {
        if (options.averageEvery == 0 && options.workers > options.chunks) {
            throw new IllegalArgumentException("workers (" + options.workers + ") must not exceed chunks ("
                    + options.chunks + "): each worker computes at least one chunk");
        }
        this.spark = spark;
        this.setup = setup;
        this.optimizerFactory = optimizerFactory;
        this.options = options;
    }

    /** {@return timings and traffic of the steps of the last {@link #fit}} */
    public StepStatistics statistics() {
        return statistics;
    }

    /**
     * Trains for the configured epochs and returns the driver's model.
     *
     * @return the driver's model, trained
     * @throws TrainingDivergedException if the loss becomes NaN or infinite (the model keeps the
     *                                   weights before that step)
     * @throws IOException               if the data or a checkpoint cannot be read or written
     */
    public Model fit() throws IOException {
        Model model = setup.model();
        if (!model.buffers().isEmpty()) {
            throw new IllegalArgumentException("model " + model.name() + " has buffers (" + model.buffers().size()
                    + "), which distributed training does not combine");
        }
        Optimizer optimizer = optimizerFactory.apply(model);
        if (!optimizer.parameters().equals(model.parameters())) {
            throw new IllegalArgumentException("the optimizer must hold the parameters of model " + model.name());
        }
        DataLoader loader = setup.trainLoader();
        int batches = loader.batchesPerEpoch();
        long total = (long) options.epochs * batches;
        boolean averaging = options.averageEvery > 0;
        ChunkedGradient chunked = new ChunkedGradient(model, setup.loss(), averaging ? options.workers : options.chunks);
        Path checkpoint = options.outputDirectory == null ? null
                : options.outputDirectory.resolve(Trainer.CHECKPOINT_FILE);
        if (options.outputDirectory != null) {
            Files.createDirectories(options.outputDirectory);
        }
        if (options.resume && checkpoint != null && Files.exists(checkpoint)) {
            ModelCheckpoint.load(checkpoint, model, optimizer);
            log(String.format(Locale.ROOT, "resuming from %s at step %d of %d", checkpoint, optimizer.steps(), total));
        }
        String job = UUID.randomUUID().toString();
        List<Integer> partitions = IntStream.range(0, options.workers).boxed().toList();
        statistics.reset(options.workers, chunked.floats() * (averaging ? 1 + optimizer.slotNames().size() : 1L));
        Totals totals = new Totals();
        long step = optimizer.steps();
        while (step < total) {
            long start = System.nanoTime();
            int epoch = (int) (step / batches);
            int period = averaging ? (int) Math.min(options.averageEvery, (long) (epoch + 1) * batches - step) : 1;
            if (averaging) {
                average(job, partitions, model, optimizer, step, period, batches, totals, start);
            } else {
                synchronousStep(job, partitions, chunked, model, optimizer, step, batches, totals, start);
            }
            long done = step + period;
            boolean endOfEpoch = done % batches == 0;
            if (checkpoint != null && (endOfEpoch || options.checkpointEvery > 0
                    && done / options.checkpointEvery > step / options.checkpointEvery)) {
                ModelCheckpoint.save(checkpoint, model, optimizer, metadata((int) (done / batches), done));
            }
            if (endOfEpoch) {
                log(String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f acc %.2f%%  %s", epoch + 1,
                        options.epochs, totals.lossSum / Math.max(1, totals.images),
                        100.0 * totals.correct / Math.max(1, totals.images), statistics));
                totals.clear();
            }
            step = done;
        }
        if (options.outputDirectory != null) {
            ModelCheckpoint.save(options.outputDirectory.resolve(Trainer.MODEL_FILE), model, null,
                    metadata((int) (optimizer.steps() / batches), optimizer.steps()));
        }
        return model;
    }

    /** The loss and accuracy sums of the current epoch. */
    private static final class Totals {
        double lossSum;
        long images;
        long correct;

        void clear() {
            lossSum = 0;
            images = 0;
            correct = 0;
        }
    }

    private void synchronousStep(String job, List<Integer> partitions, ChunkedGradient chunked, Model model,
                                 Optimizer optimizer, long step, int batches, Totals totals, long start) {
        int epoch = (int) (step / batches);
        Broadcast<float[]> weights = spark.broadcast(Weights.flatten(model));
        StepTask task = new StepTask(job, setup, weights, epoch, (int) (step % batches), step, options.chunks,
                options.workers, options.probe);
        List<StepPart> parts;
        try {
            parts = spark.parallelize(partitions, options.workers).mapPartitionsWithIndex(task, true).collect();
        } finally {
            weights.destroy();
        }
        Map<ChunkedGradient.Node, float[]> known = new HashMap<>();
        double stepLoss = 0;
        int stepImages = 0;
        int stepCorrect = 0;
        long slowest = 0;
        long received = 0;
        for (StepPart part : parts) {
            for (int i = 0; i < part.nodes().length; i += 2) {
                float[] sum = part.sums().get(i / 2);
                known.put(new ChunkedGradient.Node(part.nodes()[i], part.nodes()[i + 1]), sum);
                received += 4L * sum.length;
            }
            stepLoss += part.lossSum();
            stepImages += part.images();
            stepCorrect += part.correct();
            slowest = Math.max(slowest, part.computeNanos());
        }
        checkFinite(stepLoss, epoch, step);
        chunked.setGradients(ChunkedGradient.sum(new ChunkedGradient.Node(0, options.chunks), known));
        optimizer.step();
        totals.lossSum += stepLoss;
        totals.images += stepImages;
        totals.correct += stepCorrect;
        statistics.add(System.nanoTime() - start, slowest, received, stepImages, 1);
    }

    private void average(String job, List<Integer> partitions, Model model, Optimizer optimizer, long step,
                         int period, int batches, Totals totals, long start) {
        Broadcast<OptimizerState> state = spark.broadcast(OptimizerState.of(model, optimizer));
        AveragingTask task = new AveragingTask(job, setup, optimizerFactory, state, step, period, batches,
                options.workers, options.probe);
        List<AveragingPart> parts;
        try {
            parts = new ArrayList<>(spark.parallelize(partitions, options.workers)
                    .mapPartitionsWithIndex(task, true).collect());
        } finally {
            state.destroy();
        }
        parts.sort(java.util.Comparator.comparingInt(AveragingPart::partition));
        double loss = 0;
        int images = 0;
        int correct = 0;
        long slowest = 0;
        long received = 0;
        List<OptimizerState> states = new ArrayList<>();
        for (AveragingPart part : parts) {
            loss += part.lossSum();
            images += part.images();
            correct += part.correct();
            slowest = Math.max(slowest, part.computeNanos());
            states.add(part.state());
            received += 4L * part.state().weights().length;
            for (float[] slot : part.state().slots()) {
                received += 4L * slot.length;
            }
        }
        checkFinite(loss, (int) (step / batches), step);
        OptimizerState.mean(states).applyTo(model, optimizer);
        totals.lossSum += loss;
        totals.images += images;
        totals.correct += correct;
        statistics.add(System.nanoTime() - start, slowest, received, images, period);
    }

    private static void checkFinite(double loss, int epoch, long step) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "training stopped: the training loss"
                    + " became %s at epoch %d, step %d; the model holds the weights before that step", loss,
                    epoch + 1, step + 1), epoch + 1, step + 1, null);
        }
    }

    private Map<String, String> metadata(int epoch, long step) {
        Map<String, String> metadata = new LinkedHashMap<>(options.metadata);
        metadata.put("epoch", Integer.toString(epoch));
        metadata.put("step", Long.toString(step));
        return metadata;
    }

    private void log(String line) {
        if (options.log != null) {
            options.log.println(line);
        }
    }

    /** Flat copies of a model's weights, the parameters in order. */
    static final class Weights {
        private Weights() {
        }

        static float[] flatten(Model model) {
            float[] flat = new float[(int) model.parameterCount()];
            int at = 0;
            for (var parameter : model.parameters()) {
                var value = parameter.value();
                System.arraycopy(value.data(), value.offset(), flat, at, value.size());
                at += value.size();
            }
            return flat;
        }

        static void load(Model model, float[] flat) {
            if (flat.length != model.parameterCount()) {
                throw new IllegalArgumentException("the weights have " + flat.length + " floats but model "
                        + model.name() + " has " + model.parameterCount() + " parameters");
            }
            int at = 0;
            for (var parameter : model.parameters()) {
                var value = parameter.value();
                System.arraycopy(flat, at, value.data(), value.offset(), value.size());
                at += value.size();
            }
        }
    }

    /** Lists of tree nodes as flat (lo, hi) pairs, for the task results. */
    static int[] flatNodes(List<ChunkedGradient.Node> nodes) {
        int[] flat = new int[2 * nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            flat[2 * i] = nodes.get(i).lo();
            flat[2 * i + 1] = nodes.get(i).hi();
        }
        return flat;
    }

    /** The copies of lists the results hold, so they stay valid after the replica's next step. */
    static List<float[]> copies(List<float[]> arrays) {
        List<float[]> copied = new ArrayList<>(arrays.size());
        for (float[] array : arrays) {
            copied.add(array.clone());
        }
        return copied;
    }
}
