package dev.lanes.recurrent;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad shapes, lengths and states get exceptions that name the layer and the shapes. */
class RecurrentErrorsTest {
    private static void assertMessage(Class<? extends RuntimeException> type, Executable call, String... parts) {
        RuntimeException e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
        }
    }

    @Test
    void sequenceShapes() {
        Lstm lstm = new Lstm(3, 4, 1);
        assertMessage(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(2, 3), true),
                "LSTM(3 -> 4)", "input expected (N, T, 3)", "got (2, 3)");
        assertMessage(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(2, 5, 4), true),
                "input expected (N, T, 3)", "got (2, 5, 4)");
        assertMessage(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(2, 0, 3), true),
                "got (2, 0, 3)");
    }

    @Test
    void lengths() {
        Gru gru = new Gru(3, 4, 1);
        Tensor x = Tensor.zeros(2, 5, 3);
        assertMessage(IllegalArgumentException.class, () -> gru.forward(x, new int[] {5, 6}, null, true),
                "GRU(3 -> 4)", "lengths[1] = 6 is longer than the sequences (T = 5)");
        assertMessage(IllegalArgumentException.class, () -> gru.forward(x, new int[] {-1, 2}, null, true),
                "lengths[0] = -1 is negative");
        assertMessage(IllegalArgumentException.class, () -> gru.forward(x, new int[] {5}, null, true),
                "lengths has 1 entries for a batch of 2 sequences");
    }

    @Test
    void states() {
        Lstm lstm = new Lstm(3, 4, RecurrentOptions.DEFAULT.layers(2), 1);
        Tensor x = Tensor.zeros(2, 5, 3);
        Tensor good = Tensor.zeros(2, 2, 4);
        assertMessage(IllegalArgumentException.class,
                () -> lstm.forward(x, null, new RecurrentState(Tensor.zeros(1, 2, 4), good), true),
                "initial state h expected (2, 2, 4), got (1, 2, 4)");
        assertMessage(IllegalArgumentException.class,
                () -> lstm.forward(x, null, new RecurrentState(good, Tensor.zeros(2, 3, 4)), true),
                "initial state c expected (2, 2, 4), got (2, 3, 4)");
        assertMessage(IllegalArgumentException.class, () -> lstm.forward(x, null, RecurrentState.of(good), true),
                "needs c (2, 2, 4) as well as h");
        SimpleRnn rnn = new SimpleRnn(3, 4, 1);
        assertMessage(IllegalArgumentException.class,
                () -> rnn.forward(x, null, new RecurrentState(Tensor.zeros(1, 2, 4), Tensor.zeros(1, 2, 4)), true),
                "has a cell state c (1, 2, 4), but this layer has none");
        lstm.forward(x, true);
        assertMessage(IllegalArgumentException.class,
                () -> lstm.backward(Tensor.zeros(2, 4), new RecurrentState(Tensor.zeros(2, 2, 5), good)),
                "gradient of the final state h expected (2, 2, 4), got (2, 2, 5)");
    }

    @Test
    void gradientsAndOrder() {
        Lstm lstm = new Lstm(3, 4, RecurrentOptions.DEFAULT.returnSequences(true), 1);
        assertMessage(IllegalStateException.class, () -> lstm.backward(Tensor.zeros(2, 5, 4)),
                "backward before forward");
        assertMessage(IllegalStateException.class, lstm::finalState, "finalState before forward");
        lstm.forward(Tensor.zeros(2, 5, 3), true);
        assertMessage(IllegalArgumentException.class, () -> lstm.backward(Tensor.zeros(2, 4)),
                "gradOutput expected (2, 5, 4), got (2, 4)");
        assertMessage(IllegalStateException.class, lstm::stateGradientNorms, "recordStateGradientNorms(true)");
    }

    @Test
    void statefulBatchChange() {
        Gru gru = new Gru(3, 4, 1);
        gru.stateful(true);
        gru.forward(Tensor.zeros(2, 5, 3), true);
        assertMessage(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(3, 5, 3), true),
                "carries the state of a batch of 2 sequences, got a batch of 3", "resetState()");
        gru.resetState();
        gru.forward(Tensor.zeros(3, 5, 3), true);
    }

    @Test
    void construction() {
        assertMessage(IllegalArgumentException.class, () -> new Lstm(3, 0, 1),
                "LSTM: input and hidden sizes must be positive, got input 3, hidden 0");
        assertMessage(IllegalArgumentException.class, () -> RecurrentOptions.DEFAULT.layers(0),
                "at least one layer, got 0");
    }
}
