package dev.lanes.spark;

import dev.lanes.training.ChunkedGradient;
import dev.lanes.training.Model;
import dev.lanes.training.optim.Optimizer;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The task of partition w in one period of parameter averaging: from the broadcast state, takes
 * {@code steps} local optimizer steps on shard w of each global batch (chunk w of W) and returns
 * its weights, optimizer slots and loss. A function of the state, the period and w only.
 */
final class AveragingTask implements Function2<Integer, Iterator<Integer>, Iterator<AveragingPart>> {
    private static final long serialVersionUID = 1L;
    private final String job;
    private final TrainingSetup setup;
    private final OptimizerFactory optimizerFactory;
    private final Broadcast<OptimizerState> state;
    private final long firstStep;
    private final int steps;
    private final int batchesPerEpoch;
    private final int workers;
    private final TaskProbe probe;

    AveragingTask(String job, TrainingSetup setup, OptimizerFactory optimizerFactory, Broadcast<OptimizerState> state,
                  long firstStep, int steps, int batchesPerEpoch, int workers, TaskProbe probe) {
        this.job = job;
        this.setup = setup;
        this.optimizerFactory = optimizerFactory;
        this.state = state;
        this.firstStep = firstStep;
        this.steps = steps;
        this.batchesPerEpoch = batchesPerEpoch;
        this.workers = workers;
        this.probe = probe;
    }

    @Override
    public Iterator<AveragingPart> call(Integer partition, Iterator<Integer> ignored) throws Exception {
        TaskProbe.call(probe, firstStep, partition);
        long start = System.nanoTime();
        Replica replica = Replica.of(job, partition, setup);
        synchronized (replica) {
            Model model = replica.model();
            Optimizer optimizer = replica.optimizer(optimizerFactory);
            state.value().applyTo(model, optimizer);
            ChunkedGradient chunked = replica.gradient(workers);
            double lossSum = 0;
            int images = 0;
            int correct = 0;
            for (int i = 0; i < steps; i++) {
                long step = firstStep + i;
                var batch = replica.batch((int) (step / batchesPerEpoch), (int) (step % batchesPerEpoch));
                ChunkedGradient.ChunkResult result = chunked.backward(batch, partition, step, null);
                if (!Float.isFinite(result.loss())) {
                    lossSum = result.loss();
                    break;
                }
                optimizer.step();
                lossSum += (double) result.loss() * result.images();
                images += result.images();
                correct += result.correct();
            }
            AveragingPart part = new AveragingPart(partition, OptimizerState.of(model, optimizer), lossSum, images,
                    correct, System.nanoTime() - start);
            return List.of(part).iterator();
        }
    }
}
