package dev.lanes.layers;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * A differentiable building block: forward keeps what backward needs, backward returns the
 * gradient with respect to the input and adds into the gradients of the parameters.
 *
 * <p>Shapes include the batch dimension first: a dense layer sees (n, features), a convolution
 * (n, c, h, w). {@link #outputShape} answers for any input shape without running the layer and
 * throws {@link IllegalArgumentException} naming the layer, the expected and the actual shape;
 * {@link #forward} checks the same at the call.
 *
 * <p><b>Ownership.</b> The tensors {@code forward} and {@code backward} return belong to the
 * layer: they are workspaces it reuses, so a steady-state training step allocates nothing, and
 * they stay valid until the next call of the same method (copy one to keep it). The layer does not modify the tensors it is given, and
 * it may keep a reference to the input of {@code forward} until the following {@code backward}.
 *
 * <p><b>Gradients accumulate.</b> {@code backward} adds ({@code +=}) into every
 * {@link Parameter#grad()}; zeroing belongs to the optimizer step. Calling backward twice after
 * one forward gives twice the parameter gradient.
 */
public interface Layer {
    /** A short description for messages, e.g. {@code Conv2d(1->32, 3x3, stride 1, pad 1)}. */
    String name();

    /**
     * The shape of the output for an input of the given shape (batch dimension first).
     *
     * @throws IllegalArgumentException naming this layer, the expected and the actual shape
     */
    Shape outputShape(Shape inputShape);

    /**
     * Computes the output and keeps what {@link #backward} needs.
     *
     * @param training true during training (dropout drops, batch norm uses batch statistics)
     */
    Tensor forward(Tensor input, boolean training);

    /**
     * Given dL/d(output) of the last forward, returns dL/d(input) and adds dL/d(parameter) into
     * each parameter's gradient.
     *
     * @throws IllegalStateException if there was no forward before
     */
    Tensor backward(Tensor gradOutput);

    /** The trainable parameters, in a fixed order; empty for layers without any. */
    default List<Parameter> parameters() {
        return List.of();
    }
}
