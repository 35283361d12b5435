package dev.lanes.recurrent;

import dev.lanes.tensor.Tensor;
import java.util.Arrays;

/**
 * The batch of the last forward of a {@link RecurrentLayer}: its step count T, its size N and each
 * sequence's length, and the copies between the user's batch-first (N, T, width) tensors and the
 * passes' time-major (T, N, width) arrays. A step at or past a sequence's length is padding: its
 * output is zero and its output gradient is ignored.
 */
final class SequenceBatch {
    private final String layer;
    private final int hidden;
    private final int directions;
    private int steps;
    private int size;
    private boolean hasLengths;
    private int[] lengths = new int[0];

    SequenceBatch(String layer, int hidden, int directions) {
        this.layer = layer;
        this.hidden = hidden;
        this.directions = directions;
    }

    /**
     * Checks {@code lengths} (null: every sequence has all t steps) against a batch of n sequences
     * of t steps, naming the offending entry.
     */
    void check(int[] lengths, int n, int t) {
        if (lengths == null) {
            return;
        }
        if (lengths.length != n) {
            throw new IllegalArgumentException(layer + ": lengths has " + lengths.length + " entries for a batch of "
                    + n + " sequences");
        }
        for (int i = 0; i < n; i++) {
            if (lengths[i] < 0 || lengths[i] > t) {
                throw new IllegalArgumentException(layer + ": lengths[" + i + "] = " + lengths[i]
                        + (lengths[i] < 0 ? " is negative" : " is longer than the sequences (T = " + t + ")"));
            }
        }
    }

    /** Takes a checked batch; keeps its own copy of the lengths (reused while n stays the same). */
    void set(int t, int n, int[] lengths) {
        steps = t;
        size = n;
        hasLengths = lengths != null;
        if (hasLengths) {
            if (this.lengths.length != n) {
                this.lengths = new int[n];
            }
            System.arraycopy(lengths, 0, this.lengths, 0, n);
        }
    }

    int steps() {
        return steps;
    }

    int size() {
        return size;
    }

    /** The lengths kept by {@link #set}, or null when every sequence has all steps. */
    int[] lengthsOrNull() {
        return hasLengths ? lengths : null;
    }

    private boolean padding(int sequence, int step) {
        return hasLengths && step >= lengths[sequence];
    }

    /** (N, T, width) batch-first at offset → (T, N, width) time-major. */
    void toTimeMajor(float[] out, float[] in, int offset, int width) {
        for (int i = 0; i < size; i++) {
            for (int s = 0; s < steps; s++) {
                System.arraycopy(in, offset + (i * steps + s) * width, out, (s * size + i) * width, width);
            }
        }
    }

    /** (T, N, width) time-major → (N, T, width) batch-first. */
    void fromTimeMajor(float[] out, float[] in, int width) {
        for (int i = 0; i < size; i++) {
            for (int s = 0; s < steps; s++) {
                System.arraycopy(in, (s * size + i) * width, out, (i * steps + s) * width, width);
            }
        }
    }

    /**
     * Writes the top layer's output: every step's h, directions side by side (zero on padding), or
     * with {@code sequences} false each direction's final h.
     */
    void writeOutput(float[] out, DirectionPass[] top, boolean sequences) {
        int width = directions * hidden;
        for (int d = 0; d < directions; d++) {
            DirectionPass pass = top[d];
            if (sequences) {
                for (int s = 0; s < steps; s++) {
                    int slot = pass.outputSlot(s);
                    for (int i = 0; i < size; i++) {
                        int at = (i * steps + s) * width + d * hidden;
                        if (padding(i, s)) {
                            Arrays.fill(out, at, at + hidden, 0f);
                        } else {
                            System.arraycopy(pass.states, (slot * size + i) * hidden, out, at, hidden);
                        }
                    }
                }
            } else {
                int slot = pass.boundarySlot(false);
                for (int i = 0; i < size; i++) {
                    System.arraycopy(pass.states, (slot * size + i) * hidden, out, i * width + d * hidden, hidden);
                }
            }
        }
    }

    /**
     * Spreads dL/d(output) (null for zero) over the top layer: into each pass's dL/dh_t with
     * {@code sequences}, otherwise added into dL/d(final h), whose top-layer slices start at
     * {@code topSlice}.
     */
    void readOutputGradient(Tensor dy, DirectionPass[] top, boolean sequences, float[] gradFinalH, int topSlice) {
        int width = directions * hidden;
        for (int d = 0; d < directions; d++) {
            DirectionPass pass = top[d];
            pass.hasGradOutputs = sequences && dy != null;
            if (dy == null) {
                continue;
            }
            float[] g = dy.data();
            int offset = dy.offset();
            if (sequences) {
                for (int s = 0; s < steps; s++) {
                    for (int i = 0; i < size; i++) {
                        int to = (s * size + i) * hidden;
                        if (padding(i, s)) {
                            Arrays.fill(pass.gradOutputs, to, to + hidden, 0f);
                        } else {
                            System.arraycopy(g, offset + (i * steps + s) * width + d * hidden, pass.gradOutputs,
                                    to, hidden);
                        }
                    }
                }
            } else {
                int slice = topSlice + d * size * hidden;
                for (int i = 0; i < size; i++) {
                    int from = offset + i * width + d * hidden;
                    int to = slice + i * hidden;
                    for (int j = 0; j < hidden; j++) {
                        gradFinalH[to + j] += g[from + j];
                    }
                }
            }
        }
    }
}
