package dev.lanes.layers.loss;

import dev.lanes.tensor.Tensor;

/**
 * A loss: a scalar function of a prediction and a target, with its gradient with respect to the
 * prediction.
 *
 * <p>{@link #forward} returns the loss, reduced over the batch by the loss's {@link Reduction},
 * and keeps what {@link #backward} needs. {@code backward()} returns dL/d(prediction) as a tensor
 * owned by the loss (reused, like a layer's workspace). A non-finite loss value is returned as
 * is; callers (the trainer) decide what to do with it.
 */
public interface Loss {
    /** {@return a short description for messages, e.g. {@code SoftmaxCrossEntropy(mean)}} */
    String name();

    /**
     * {@return the loss of {@code prediction} against {@code target}}
     *
     * @param prediction the model's output, batch dimension first
     * @param target the target, of the shape (or the class indices) the loss documents
     * @throws IllegalArgumentException naming the loss and both shapes when they do not fit
     */
    float forward(Tensor prediction, Tensor target);

    /**
     * dL/d(prediction) of the last forward.
     *
     * @return dL/d(prediction), of the last forward's prediction shape
     * @throws IllegalStateException if there was no forward before
     */
    Tensor backward();
}
