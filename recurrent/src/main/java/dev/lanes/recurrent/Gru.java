package dev.lanes.recurrent;

/**
 * Gated recurrent unit (Cho et al., 2014), as PyTorch's {@code nn.GRU} (batch first): for each
 * step, with gates in the order r, z, n,
 * <pre>
 * r = σ(W_ir x + b_ir + W_hr h + b_hr)     z = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r (W_hn h + b_hn))
 * h' = (1 - z) n + z h
 * </pre>
 * Parameters per layer and direction: {@code weight_ih_l{k}} (3 hidden, input),
 * {@code weight_hh_l{k}} (3 hidden, hidden), {@code bias_ih_l{k}} and {@code bias_hh_l{k}}
 * (3 hidden), with {@code _reverse} for the second direction; see {@link RecurrentLayer} for
 * shapes, states and lengths.
 */
public final class Gru extends RecurrentLayer {
    /**
     * One layer, one direction, returning the final state; weights from {@code seed}.
     *
     * @param inputSize the features of one step of the input, {@code >= 1}
     * @param hiddenSize the features of the hidden state per direction, {@code >= 1}
     * @param seed the seed of the weights: the same seed gives the same weights
     */
    public Gru(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, RecurrentOptions.DEFAULT, seed);
    }

    /**
     * Weights and biases U(-1/sqrt(hidden), 1/sqrt(hidden)) from {@code seed}, as PyTorch draws them.
     *
     * @param inputSize the features of one step of the input, {@code >= 1}
     * @param hiddenSize the features of the hidden state per direction, {@code >= 1}
     * @param options the layer count, directions, bias and output options
     * @param seed the seed of the weights: the same seed gives the same weights
     */
    public Gru(int inputSize, int hiddenSize, RecurrentOptions options, long seed) {
        super("GRU", inputSize, hiddenSize, options, false,
                (in, reverse, suffix, random) -> new GruPass(in, hiddenSize, reverse, options.bias(), suffix, random),
                seed);
    }
}
