package dev.lanes.recurrent;

import dev.lanes.layers.Layer;
import dev.lanes.layers.loss.Loss;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.optim.Optimizer;

/**
 * Truncated backpropagation through time, TBPTT(k1, k2) (Williams and Peng, 1990; Sutskever,
 * 2013): over long sequences, an update every k1 steps, each backpropagating through the last k2
 * steps (k2 &gt;= k1). Window w covers the steps [end - k2, end) with end = (w + 1) k1; the loss
 * counts its last k1 steps (the new ones), the gradient flows back through all of it, and the
 * window starts from the state the previous windows reached at its first step, without a gradient
 * before it. With k1 = k2 the windows do not overlap (the usual truncation); with k1 = k2 = T it
 * is full backpropagation through time.
 *
 * <p>The model: an optional input layer on (N, L, ...) (an {@link Embedding} for tokens), a
 * one-direction recurrent core returning its sequence, and a head applied to each of the N x k1
 * rows of the counted steps (a {@code Dense} to class scores), with a mean-reduced loss against
 * per-step class targets (N, T).
 */
public final class TruncatedBptt {
    private final Layer input;
    private final RecurrentLayer core;
    private final Layer head;
    private final Loss loss;
    private final int k1;
    private final int k2;

    /**
     * A trainer of {@code input}, {@code core} and {@code head} on windows of the sequences.
     *
     * @param input the input layer, or null when the sequences go straight to the core
     * @param core the recurrent layer, one direction, returning its whole sequence
     * @param head the layer that maps each step's output to class scores
     * @param loss the loss of the scores against each step's class target
     * @param k1 the number of steps between updates, {@code >= 1}
     * @param k2 the number of steps each backward goes back, {@code >= k1}
     * @throws IllegalArgumentException if the core is bidirectional or returns only its final
     *                                  state, or unless 1 &lt;= k1 &lt;= k2
     */
    public TruncatedBptt(Layer input, RecurrentLayer core, Layer head, Loss loss, int k1, int k2) {
        if (core.options().bidirectional() || !core.options().returnSequences()) {
            throw new IllegalArgumentException("TBPTT needs a one-direction core that returns its sequence, got "
                    + core.name());
        }
        if (k1 < 1 || k2 < k1) {
            throw new IllegalArgumentException("TBPTT needs 1 <= k1 <= k2, got k1 = " + k1 + ", k2 = " + k2);
        }
        this.input = input;
        this.core = core;
        this.head = head;
        this.loss = loss;
        this.k1 = k1;
        this.k2 = k2;
    }

    /** The first step of the window ending at {@code end}. */
    private int windowStart(int end) {
        return Math.max(0, end - k2);
    }

    /**
     * One pass over sequences {@code inputs} (N, T, ...) with class targets {@code targets} (N, T),
     * updating with {@code optimizer} after every window (null: no update, only the loss, for
     * evaluation). Returns the mean loss over all N x T predicted steps.
     *
     * @param inputs the sequences (N, T, ...)
     * @param targets the class target of every step (N, T)
     * @param optimizer the optimizer updating after every window, or null for no update
     *     (evaluation)
     * @return the mean loss over all N x T predicted steps
     */
    public double run(Tensor inputs, Tensor targets, Optimizer optimizer) {
        int steps = inputs.dim(1);
        if (targets.rank() != 2 || targets.dim(0) != inputs.dim(0) || targets.dim(1) != steps) {
            throw new IllegalArgumentException("TBPTT: targets expected (" + inputs.dim(0) + ", " + steps
                    + "), got " + targets.shape());
        }
        RecurrentState state = null;
        double total = 0;
        for (int start = 0; start < steps; start += k1) {
            int end = Math.min(start + k1, steps);
            int from = windowStart(end);
            Tensor window = inputs.slice(1, from, end);
            Tensor x = input == null ? window : input.forward(window, optimizer != null);
            Tensor outputs = core.forward(x, null, state, optimizer != null);
            int counted = end - start;
            Tensor rows = outputs.slice(1, start - from, end - from).contiguous()
                    .reshape(inputs.dim(0) * counted, outputs.dim(2));
            Tensor scores = head.forward(rows, optimizer != null);
            float value = loss.forward(scores, targets.slice(1, start, end).contiguous()
                    .reshape(inputs.dim(0) * counted));
            total += (double) value * counted;
            if (optimizer != null) {
                Tensor gradRows = head.backward(loss.backward());
                Tensor gradOutputs = Tensor.zeros(outputs.shape());
                gradOutputs.slice(1, start - from, end - from)
                        .copyFrom(gradRows.reshape(inputs.dim(0), counted, outputs.dim(2)));
                Tensor dx = core.backward(gradOutputs);
                if (input != null) {
                    input.backward(dx);
                }
                optimizer.step();
            }
            // the next window starts at or before this one's end: keep the state it starts from
            int next = windowStart(Math.min(end + k1, steps));
            state = core.stateAfter(Math.min(next, end) - from).copy();
        }
        return total / steps;
    }
}
