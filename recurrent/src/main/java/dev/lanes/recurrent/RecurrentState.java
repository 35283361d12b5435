package dev.lanes.recurrent;

import dev.lanes.tensor.Tensor;

/**
 * The state of a recurrent layer, PyTorch's layout: h (and for an LSTM c) of shape
 * (layers x directions, N, hidden), index {@code layer * directions + direction} (direction 1
 * reads the sequence backwards). c is null for the simple RNN and the GRU.
 */
public record RecurrentState(Tensor h, Tensor c) {
    /** A state without a cell state (simple RNN, GRU). */
    public static RecurrentState of(Tensor h) {
        return new RecurrentState(h, null);
    }

    /** A deep copy, to keep a state a layer will overwrite at its next call. */
    public RecurrentState copy() {
        return new RecurrentState(h.copy(), c == null ? null : c.copy());
    }
}
