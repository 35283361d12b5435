package dev.lanes.training;

import dev.lanes.layers.Layer;
import dev.lanes.layers.loss.Loss;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.adversarial.AdversarialTraining;
import dev.lanes.training.data.Batch;
import dev.lanes.training.metrics.ConfusionMatrix;
import dev.lanes.training.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The work {@link Trainer} does on one batch: a training step in one of its three forms (plain;
 * with part of the batch replaced by adversarial images; with the gradient computed as
 * {@link ChunkedGradient} chunks combined in a fixed tree), and the inference pass of an
 * evaluation. The batch tensors are shared by all of them, so a steady-state step allocates
 * nothing here.
 */
final class TrainingStep {
    private final Layer network;
    private final Loss loss;
    private final Optimizer optimizer;
    private final AdversarialTraining adversarial;
    private final ChunkedGradient chunked;
    private final ConfusionMatrix trainConfusion;
    private final BatchTensors tensors = new BatchTensors();
    private float[][] chunkGradients;
    private int[] chunkPredictions;

    /** The steps of {@code model}; {@code optimizer} may be null when the trainer only evaluates. */
    TrainingStep(Model model, Loss loss, Optimizer optimizer, TrainingOptions options) {
        if (options.gradientChunks > 1 && options.adversarial != null) {
            throw new IllegalArgumentException("gradient chunks and adversarial training cannot be combined");
        }
        this.network = model.network();
        this.loss = loss;
        this.optimizer = optimizer;
        this.adversarial = options.adversarial;
        this.chunked = options.gradientChunks > 1 ? new ChunkedGradient(model, loss, options.gradientChunks) : null;
        this.trainConfusion = new ConfusionMatrix(model.classes());
    }

    /** The confusion matrix of the training steps since the last {@link ConfusionMatrix#reset()}. */
    ConfusionMatrix trainConfusion() {
        return trainConfusion;
    }

    /**
     * One training step on {@code batch}: forward, loss, and when the loss is finite backward and
     * the optimizer step; returns the loss. With a non-finite loss nothing is updated.
     */
    float train(Batch batch) {
        if (chunked != null) {
            return trainChunked(batch);
        }
        int size = batch.size();
        Tensor input = tensors.input(batch);
        Tensor target = tensors.target(batch);
        if (adversarial != null) {
            adversarial.perturb(input, batch.labels(), size);
        }
        Tensor output = network.forward(input, true);
        float value = adversarial == null ? loss.forward(output, target) : adversarial.loss(loss, output, target);
        if (!Float.isFinite(value)) {
            optimizer.zeroGrad();
            return value;
        }
        trainConfusion.add(batch.labels(), tensors.predict(output, size), size);
        network.backward(adversarial == null ? loss.backward() : adversarial.lossGradient());
        optimizer.step();
        return value;
    }

    /** {@link #train} with the gradient as {@link ChunkedGradient} chunks combined in its tree. */
    private float trainChunked(Batch batch) {
        int chunks = chunked.chunks();
        if (chunkGradients == null) {
            chunkGradients = new float[chunks][chunked.floats()];
        }
        if (chunkPredictions == null || chunkPredictions.length < batch.capacity()) {
            chunkPredictions = new int[batch.capacity()];
        }
        Map<ChunkedGradient.Node, float[]> known = new LinkedHashMap<>();
        double lossSum = 0;
        for (int c = 0; c < chunks; c++) {
            ChunkedGradient.ChunkResult result = chunked.gradient(batch, c, optimizer.steps(), chunkGradients[c],
                    chunkPredictions);
            if (!Float.isFinite(result.loss())) {
                optimizer.zeroGrad();
                return result.loss();
            }
            lossSum += (double) result.loss() * result.images();
            known.put(new ChunkedGradient.Node(c, c + 1), chunkGradients[c]);
        }
        chunked.setGradients(ChunkedGradient.sum(new ChunkedGradient.Node(0, chunks), known));
        trainConfusion.add(batch.labels(), chunkPredictions, batch.size());
        optimizer.step();
        return (float) (lossSum / batch.size());
    }

    /** The inference pass on {@code batch}: counts its predictions into {@code confusion}; returns the mean loss. */
    float evaluate(Batch batch, ConfusionMatrix confusion) {
        int size = batch.size();
        Tensor target = tensors.target(batch);
        Tensor output = network.forward(tensors.input(batch), false);
        float value = loss.forward(output, target);
        confusion.add(batch.labels(), tensors.predict(output, size), size);
        return value;
    }
}
