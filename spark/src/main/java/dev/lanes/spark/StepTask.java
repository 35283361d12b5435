package dev.lanes.spark;

import dev.lanes.training.ChunkedGradient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The task of partition w in one step: loads the broadcast weights into this executor's replica
 * for w, computes its chunks of the step's batch and returns the sums of the tree nodes covering
 * them. Everything it computes is a function of the weights, the step and w.
 */
final class StepTask implements Function2<Integer, Iterator<Integer>, Iterator<StepPart>> {
    private static final long serialVersionUID = 1L;
    private final String job;
    private final TrainingSetup setup;
    private final Broadcast<float[]> weights;
    private final int epoch;
    private final int number;
    private final long step;
    private final int chunks;
    private final int workers;
    private final TaskProbe probe;

    StepTask(String job, TrainingSetup setup, Broadcast<float[]> weights, int epoch, int number, long step,
             int chunks, int workers, TaskProbe probe) {
        this.job = job;
        this.setup = setup;
        this.weights = weights;
        this.epoch = epoch;
        this.number = number;
        this.step = step;
        this.chunks = chunks;
        this.workers = workers;
        this.probe = probe;
    }

    @Override
    public Iterator<StepPart> call(Integer partition, Iterator<Integer> ignored) throws Exception {
        TaskProbe.call(probe, step, partition);
        long start = System.nanoTime();
        int from = ChunkedGradient.chunkStart(partition, chunks, workers);
        int to = ChunkedGradient.chunkStart(partition + 1, chunks, workers);
        Replica replica = Replica.of(job, partition, setup);
        synchronized (replica) {
            SparkTrainer.Weights.load(replica.model(), weights.value());
            var batch = replica.batch(epoch, number);
            Map<ChunkedGradient.Node, float[]> known = new HashMap<>();
            double lossSum = 0;
            int images = 0;
            int correct = 0;
            for (int c = from; c < to; c++) {
                float[] gradient = replica.buffer(c - from);
                ChunkedGradient.ChunkResult result = replica.gradient(chunks).gradient(batch, c, step, gradient, null);
                lossSum += (double) result.loss() * result.images();
                images += result.images();
                correct += result.correct();
                known.put(new ChunkedGradient.Node(c, c + 1), gradient);
            }
            List<ChunkedGradient.Node> nodes = ChunkedGradient.cover(from, to, chunks);
            List<float[]> sums = new ArrayList<>(nodes.size());
            for (ChunkedGradient.Node node : nodes) {
                sums.add(ChunkedGradient.sum(node, known));
            }
            StepPart part = new StepPart(partition, SparkTrainer.flatNodes(nodes), SparkTrainer.copies(sums),
                    lossSum, images, correct, System.nanoTime() - start);
            return List.of(part).iterator();
        }
    }
}
