package dev.lanes.training.adversarial;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.loss.Loss;
import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * The gradient of a loss with respect to a network's input: dL/dx, through the layers' own
 * backward passes (exact up to float rounding, not a finite difference). White-box attacks
 * perturb the input along it.
 *
 * <p>The network runs in inference mode (dropout off, batch norm with its running statistics),
 * the mode an attacked model is used in. Backward adds into the parameters' gradients, as
 * always; this class saves them before and puts them back after, so a call leaves the model
 * exactly as it found it and can run between the steps of a training loop. Not thread-safe; one
 * instance per network.
 */
public final class InputGradient {
    private final Layer network;
    private final Loss loss;
    private final List<Parameter> parameters;
    private final Tensor[] savedGradients;

    /**
     * The input gradient of {@code loss} (reduced as the loss says: a mean-reduced loss gives
     * each example's gradient divided by the batch size) at the outputs of {@code network}.
     *
     * @param network the network under attack
     * @param loss the loss of its output
     */
    public InputGradient(Layer network, Loss loss) {
        this.network = network;
        this.loss = loss;
        this.parameters = network.parameters();
        this.savedGradients = new Tensor[parameters.size()];
        for (int p = 0; p < savedGradients.length; p++) {
            savedGradients[p] = Tensor.zeros(parameters.get(p).grad().shape());
        }
    }

    /** {@return the network} */
    public Layer network() {
        return network;
    }

    /**
     * Writes dL/d(input) into {@code gradient} and returns L, the loss of the network's output
     * for {@code input} against {@code target}.
     *
     * @param gradient shaped like {@code input}; may not share memory with it
     * @param input    the network's input, batch first
     * @param target   the loss's target for that batch
     * @return L, the loss
     * @throws IllegalArgumentException if {@code gradient} is not shaped like {@code input}
     */
    public float compute(Tensor gradient, Tensor input, Tensor target) {
        if (!gradient.shape().equals(input.shape())) {
            throw new IllegalArgumentException("gradient is " + gradient.shape() + " but the input is "
                    + input.shape());
        }
        for (int p = 0; p < savedGradients.length; p++) {
            savedGradients[p].copyFrom(parameters.get(p).grad());
        }
        try {
            float value = loss.forward(network.forward(input, false), target);
            gradient.copyFrom(network.backward(loss.backward()));
            return value;
        } finally {
            for (int p = 0; p < savedGradients.length; p++) {
                parameters.get(p).grad().copyFrom(savedGradients[p]);
            }
        }
    }
}
