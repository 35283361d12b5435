package dev.lanes.recurrent;

import dev.lanes.tensor.Tensor;

/**
 * The state of a recurrent layer, PyTorch's layout: h (and for an LSTM c) of shape
 * (layers x directions, N, hidden), index {@code layer * directions + direction} (direction 1
 * reads the sequence backwards). c is null for the simple RNN and the GRU.
 *
 * @param h the hidden state (layers x directions, N, hidden)
 * @param c the LSTM cell state, of h's shape, or null for a simple RNN or a GRU
 */
public record RecurrentState(Tensor h, Tensor c) {
    /**
     * {@return a state without a cell state (simple RNN, GRU)}
     *
     * @param h the hidden state (layers x directions, N, hidden)
     */
    public static RecurrentState of(Tensor h) {
        return new RecurrentState(h, null);
    }

    /** {@return a deep copy, to keep a state a layer will overwrite at its next call} */
    public RecurrentState copy() {
        return new RecurrentState(h.copy(), c == null ? null : c.copy());
    }
}
