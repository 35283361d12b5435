package dev.lanes.training;

import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * A copy of a model's parameters and buffers in memory, for early stopping (the best weights)
 * and for going back to the last good state after a non-finite loss. The arrays are allocated
 * once; {@link #capture()} and {@link #restore()} only copy.
 */
public final class ModelSnapshot {
    private final Model model;
    private final float[][] copies;
    private boolean captured;

    /**
     * An empty snapshot of {@code model}.
     *
     * @param model the model
     */
    public ModelSnapshot(Model model) {
        this.model = model;
        List<Tensor> tensors = tensors(model);
        this.copies = new float[tensors.size()][];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = new float[tensors.get(i).size()];
        }
    }

    private static List<Tensor> tensors(Model model) {
        java.util.ArrayList<Tensor> tensors = new java.util.ArrayList<>();
        for (Model.NamedParameter named : model.namedParameters()) {
            tensors.add(named.parameter().value());
        }
        for (Model.NamedBuffer buffer : model.buffers()) {
            tensors.add(buffer.tensor());
        }
        return tensors;
    }

    /** Copies the model's current parameters and buffers into this snapshot. */
    public void capture() {
        int i = 0;
        for (Model.NamedParameter named : model.namedParameters()) {
            Tensor value = named.parameter().value();
            System.arraycopy(value.data(), value.offset(), copies[i++], 0, value.size());
        }
        for (Model.NamedBuffer buffer : model.buffers()) {
            Tensor tensor = buffer.tensor();
            System.arraycopy(tensor.data(), tensor.offset(), copies[i++], 0, tensor.size());
        }
        captured = true;
    }

    /**
     * Copies this snapshot back into the model.
     *
     * @throws IllegalStateException if nothing was captured
     */
    public void restore() {
        if (!captured) {
            throw new IllegalStateException("nothing was captured in this snapshot");
        }
        int i = 0;
        for (Model.NamedParameter named : model.namedParameters()) {
            Tensor value = named.parameter().value();
            System.arraycopy(copies[i++], 0, value.data(), value.offset(), value.size());
        }
        for (Model.NamedBuffer buffer : model.buffers()) {
            Tensor tensor = buffer.tensor();
            System.arraycopy(copies[i++], 0, tensor.data(), tensor.offset(), tensor.size());
        }
    }

    /** {@return whether {@link #capture()} was called} */
    public boolean isCaptured() {
        return captured;
    }
}
