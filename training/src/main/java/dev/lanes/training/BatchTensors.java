package dev.lanes.training;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.data.Batch;

/**
 * The tensors of a step, reused from batch to batch: the loader's image buffer wrapped as an
 * (n, c, h, w) tensor without copying, the labels as class indices in an (n) tensor, and the
 * predicted classes. Wrappers are made once per buffer and batch size, so a steady-state step
 * allocates nothing here.
 */
final class BatchTensors {
    private float[] images;
    private Tensor fullInput;
    private Tensor partialInput;
    private float[] targetValues = new float[0];
    private Tensor fullTarget;
    private Tensor partialTarget;
    private int[] predictions = new int[0];

    /** The batch's images as an (n, c, h, w) view of the loader's buffer. */
    Tensor input(Batch batch) {
        int size = batch.size();
        if (images != batch.images()) {
            images = batch.images();
            fullInput = wrap(images, batch.capacity(), batch);
            partialInput = null;
        }
        if (size == batch.capacity()) {
            return fullInput;
        }
        if (partialInput == null || partialInput.dim(0) != size) {
            partialInput = wrap(images, size, batch);
        }
        return partialInput;
    }

    private static Tensor wrap(float[] images, int count, Batch batch) {
        Shape shape = Shape.of(count, batch.channels(), batch.height(), batch.width());
        return Tensor.wrap(images, 0, shape, shape.contiguousStrides());
    }

    /** The batch's labels as class indices (floats, as the losses take them) in an (n) tensor. */
    Tensor target(Batch batch) {
        int size = batch.size();
        int capacity = batch.capacity();
        if (targetValues.length != capacity) {
            targetValues = new float[capacity];
            predictions = new int[capacity];
            fullTarget = Tensor.wrap(targetValues, capacity);
            partialTarget = null;
        }
        int[] labels = batch.labels();
        for (int i = 0; i < size; i++) {
            targetValues[i] = labels[i];
        }
        if (size == capacity) {
            return fullTarget;
        }
        if (partialTarget == null || partialTarget.dim(0) != size) {
            partialTarget = Tensor.wrap(targetValues, 0, Shape.of(size), new int[] {1});
        }
        return partialTarget;
    }

    /**
     * The predicted class of each of the first {@code size} rows of the (n, classes) scores: the
     * first index of the largest score. Valid until the next call; call {@link #target} first.
     */
    int[] predict(Tensor output, int size) {
        float[] data = output.data();
        int offset = output.offset();
        int rowStride = output.stride(0);
        int columnStride = output.stride(1);
        int classes = output.dim(1);
        for (int i = 0; i < size; i++) {
            int row = offset + i * rowStride;
            int best = 0;
            float bestValue = data[row];
            for (int c = 1; c < classes; c++) {
                float value = data[row + c * columnStride];
                if (value > bestValue) {
                    bestValue = value;
                    best = c;
                }
            }
            predictions[i] = best;
        }
        return predictions;
    }
}
