package dev.lanes.spark;

import dev.lanes.layers.loss.Loss;
import dev.lanes.training.Model;
import dev.lanes.training.data.DataLoader;
import java.io.IOException;
import java.io.Serializable;

/**
 * What every JVM of a distributed training builds for itself: the model (with the same initial
 * weights everywhere, so seeded), the loss and the training data loader (the same images in the
 * same order everywhere, so seeded, and read from files every executor can reach or from
 * resources). The driver sends this object to the executors once per task; keep it small.
 */
public interface TrainingSetup extends Serializable {
    /**
     * A new model replica.
     *
     * @return the replica
     */
    Model model();

    /**
     * A new loss, mean-reduced, taking class-index targets.
     *
     * @return the loss
     */
    Loss loss();

    /**
     * A new loader of the training data: its batches are the global mini-batches.
     *
     * @return the loader
     * @throws IOException if the data cannot be read
     */
    DataLoader trainLoader() throws IOException;
}
