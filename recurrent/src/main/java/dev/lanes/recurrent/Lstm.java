package dev.lanes.recurrent;

/**
 * Long short-term memory (Hochreiter and Schmidhuber, 1997), as PyTorch's {@code nn.LSTM}
 * (batch first): for each step, with gates in the order i, f, g, o,
 * <pre>
 * i = σ(W_ii x + b_ii + W_hi h + b_hi)     f = σ(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
 * c' = f c + i g                           h' = o tanh(c')
 * </pre>
 * Parameters per layer and direction: {@code weight_ih_l{k}} (4 hidden, input),
 * {@code weight_hh_l{k}} (4 hidden, hidden), {@code bias_ih_l{k}} and {@code bias_hh_l{k}}
 * (4 hidden), with {@code _reverse} for the second direction. The cell's memory c is carried
 * through f, so its gradient "does not easily vanish" (the decks); see {@link RecurrentLayer} for
 * shapes, states and lengths.
 */
public final class Lstm extends RecurrentLayer {
    /**
     * One layer, one direction, returning the final state; weights from {@code seed}.
     *
     * @param inputSize the features of one step of the input, {@code >= 1}
     * @param hiddenSize the features of the hidden state per direction, {@code >= 1}
     * @param seed the seed of the weights: the same seed gives the same weights
     */
    public Lstm(int inputSize, int hiddenSize, long seed) {
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
    public Lstm(int inputSize, int hiddenSize, RecurrentOptions options, long seed) {
        super("LSTM", inputSize, hiddenSize, options, true,
                (in, reverse, suffix, random) -> new LstmPass(in, hiddenSize, reverse, options.bias(), suffix, random),
                seed);
    }
}
