package dev.lanes.recurrent;

import dev.lanes.kernels.Activation;

/**
 * The simple (Elman) recurrent layer, as PyTorch's {@code nn.RNN} (batch first):
 * h' = act(W_ih x + b_ih + W_hh h + b_hh), with act tanh (the default) or ReLU. Parameters per
 * layer and direction: {@code weight_ih_l{k}} (hidden, input), {@code weight_hh_l{k}} (hidden,
 * hidden), {@code bias_ih_l{k}} and {@code bias_hh_l{k}} (hidden), with {@code _reverse} for the
 * second direction. Backpropagation through time multiplies the gradient by W_hh and act' at every
 * step, so over long sequences it vanishes or explodes (the decks' "very deep for long
 * sequences"); see {@link RecurrentLayer} for shapes, states and lengths.
 */
public final class SimpleRnn extends RecurrentLayer {
    /** The nonlinearity of a simple recurrent layer, PyTorch's {@code nonlinearity}. */
    public enum Nonlinearity {
        /** h' = tanh(W x + U h + b), the default. */
        TANH(Activation.TANH),
        /** h' = max(0, W x + U h + b). */
        RELU(Activation.RELU);

        private final Activation activation;

        Nonlinearity(Activation activation) {
            this.activation = activation;
        }
    }

    /**
     * One tanh layer, one direction, returning the final state; weights from {@code seed}.
     *
     * @param inputSize the features of one step of the input, {@code >= 1}
     * @param hiddenSize the features of the hidden state per direction, {@code >= 1}
     * @param seed the seed of the weights: the same seed gives the same weights
     */
    public SimpleRnn(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, Nonlinearity.TANH, RecurrentOptions.DEFAULT, seed);
    }

    /**
     * Weights and biases U(-1/sqrt(hidden), 1/sqrt(hidden)) from {@code seed}, as PyTorch draws them.
     *
     * @param inputSize the features of one step of the input, {@code >= 1}
     * @param hiddenSize the features of the hidden state per direction, {@code >= 1}
     * @param nonlinearity tanh or ReLU
     * @param options the layer count, directions, bias and output options
     * @param seed the seed of the weights: the same seed gives the same weights
     */
    public SimpleRnn(int inputSize, int hiddenSize, Nonlinearity nonlinearity, RecurrentOptions options, long seed) {
        super(nonlinearity == Nonlinearity.TANH ? "RNN" : "RNN-ReLU", inputSize, hiddenSize, options, false,
                (in, reverse, suffix, random) -> new RnnPass(in, hiddenSize, nonlinearity.activation, reverse,
                        options.bias(), suffix, random), seed);
    }
}
