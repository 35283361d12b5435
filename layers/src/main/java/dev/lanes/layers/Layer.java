package dev.lanes.layers;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    /**
     * {@return a short description for messages, e.g. {@code Conv2d(1->32, 3x3, stride 1, pad 1)}}
     */
    String name();

    /**
     * {@return the shape of the output for an input of the given shape (batch dimension first)}
     *
     * @param inputShape the input shape, batch dimension included
     * @throws IllegalArgumentException naming this layer, the expected and the actual shape
     */
    Shape outputShape(Shape inputShape);

    /**
     * Computes the output and keeps what {@link #backward} needs.
     *
     * @param input the input, batch dimension first, of the shape {@link #outputShape} accepts
     * @param training true during training (dropout drops, batch norm uses batch statistics)
     * @return the output, batch dimension first
     */
    Tensor forward(Tensor input, boolean training);

    /**
     * Given dL/d(output) of the last forward, returns dL/d(input) and adds dL/d(parameter) into
     * each parameter's gradient.
     *
     * @param gradOutput dL/d(output), of the last forward's output shape
     * @return dL/d(input), of the last forward's input shape
     * @throws IllegalStateException if there was no forward before
     */
    Tensor backward(Tensor gradOutput);

    /** {@return the trainable parameters, in a fixed order; empty for layers without any} */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * {@return the trainable parameters by name, in the order of {@link #parameters()}: the names a
     * checkpoint stores} A plain layer uses each parameter's own name ({@code weight}, {@code
     * bias}); a container such as {@link Sequential} prefixes its children's names with theirs
     * ({@code 0.weight}, {@code conv1.bias}), so the names are unique across a model.
     *
     * @throws IllegalStateException if two parameters have the same name
     */
    default Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (Parameter parameter : parameters()) {
            if (named.put(parameter.name(), parameter) != null) {
                throw new IllegalStateException(name() + ": two parameters are named " + parameter.name());
            }
        }
        return named;
    }

    /**
     * Non-trainable state that a checkpoint must save with the parameters, by name in a fixed
     * order: batch normalisation's running mean and variance. The tensors are the layer's own
     * (contiguous; the layer updates them in place and reads them at inference), so a checkpoint
     * loader restores them with {@code copyFrom}. Containers prefix the names as in
     * {@link #namedParameters()}. Empty for most layers.
     *
     * @return the buffers by name, in a fixed order (empty for a layer without any)
     */
    default Map<String, Tensor> buffers() {
        return Map.of();
    }
}
