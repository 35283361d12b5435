package dev.lanes.spark;

import dev.lanes.training.ChunkedGradient;
import dev.lanes.training.Model;
import dev.lanes.training.data.Batch;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An executor's model replica and data loader for one partition of one training job, kept
 * between the job's steps (built on the first task, rebuilt after an executor is lost). Tasks of
 * one replica synchronize on it; tasks of other partitions in the same JVM (local mode) have
 * their own.
 */
final class Replica {
    private static final ConcurrentHashMap<String, Replica> REPLICAS = new ConcurrentHashMap<>();

    private final String job;
    private final TrainingSetup setup;
    private final Model model;
    private final DataLoader loader;
    private final List<float[]> buffers = new ArrayList<>();
    private ChunkedGradient chunked;
    private Optimizer optimizer;
    private Batch batch;
    private int epoch = -1;
    private int number = -1;

    private Replica(String job, TrainingSetup setup) {
        this.job = job;
        this.setup = setup;
        this.model = setup.model();
        try {
            this.loader = setup.trainLoader();
        } catch (IOException e) {
            throw new UncheckedIOException("the training data cannot be read on this executor", e);
        }
    }

    /** The replica of {@code partition} in {@code job}; replicas of other jobs are dropped. */
    static Replica of(String job, int partition, TrainingSetup setup) {
        String key = job + "/" + partition;
        Replica replica = REPLICAS.get(key);
        if (replica == null) {
            REPLICAS.values().removeIf(other -> !other.job.equals(job));
            replica = REPLICAS.computeIfAbsent(key, k -> new Replica(job, setup));
        }
        return replica;
    }

    Model model() {
        return model;
    }

    ChunkedGradient gradient(int chunks) {
        if (chunked == null || chunked.chunks() != chunks) {
            chunked = new ChunkedGradient(model, setup.loss(), chunks);
        }
        return chunked;
    }

    /** This replica's optimizer (made once, by the first factory asked). */
    Optimizer optimizer(OptimizerFactory factory) {
        if (optimizer == null) {
            optimizer = factory.apply(model);
        }
        return optimizer;
    }

    /** The i-th gradient buffer of this replica. */
    float[] buffer(int i) {
        while (buffers.size() <= i) {
            buffers.add(new float[(int) model.parameterCount()]);
        }
        return buffers.get(i);
    }

    /**
     * Batch {@code number} of epoch {@code epoch} (both from 0): the loader moves forward from the
     * batch it holds, or starts the epoch over when the batch lies behind it (a retried step).
     */
    Batch batch(int epoch, int number) {
        if (epoch == this.epoch && number == this.number) {
            return batch;
        }
        if (epoch != this.epoch || number < this.number) {
            loader.startEpoch(epoch);
            this.epoch = epoch;
            this.number = -1;
        }
        while (this.number < number) {
            batch = loader.next();
            this.number++;
        }
        return batch;
    }
}
