package dev.lanes.kernels;

import dev.lanes.kernels.spi.RecurrentKernel;

/**
 * The elementwise part of an LSTM or GRU time step, gates fused: the activations and the state
 * update in one call for a block of rows (the sequences of a batch), and backward the gradient
 * of every gate. The matrix products around a step (input and recurrent projections) are
 * {@link Gemm} calls of the caller; the formulas and gate orders are PyTorch's ({@code nn.LSTM}:
 * i, f, g, o; {@code nn.GRU}: r, z, n).
 *
 * <p>Every matrix is contiguous and row-major: states and their gradients (rows, hidden), LSTM
 * gates (rows, 4 hidden), GRU gates (rows, 3 hidden). A row's result does not depend on the
 * thread count or on the other rows. Panama and scalar sets agree to rounding (tested within a
 * few ulp of the terms). Bad arguments throw {@link IllegalArgumentException} naming the
 * argument, before anything is written: a negative size, an array too short, an output that
 * overlaps another argument (only the in-place ones named below may be the same region).
 */
public final class RecurrentCells {
    private static final RecurrentKernel IMPL = KernelProvider.KERNELS.recurrent();

    private RecurrentCells() {
    }

    /**
     * LSTM step forward. gates holds the pre-activations of i, f, g, o (each the sum of the input
     * and recurrent projections and both biases) and receives sigmoid(i), sigmoid(f), tanh(g),
     * sigmoid(o) in place; c = f cPrev + i g; h = o tanh(c).
     *
     * @param h the new hidden state (rows, hidden), written
     * @param offH the index in {@code h} of its first element
     * @param c the new cell state (rows, hidden), written
     * @param offC the index in {@code c} of its first element
     * @param gates the pre-activations of i, f, g, o (rows, 4 hidden), activated in place
     * @param offGates the index in {@code gates} of its first element
     * @param cPrev the previous cell state (rows, hidden)
     * @param offCPrev the index in {@code cPrev} of its first element
     * @param rows the number of sequences in the batch, {@code >= 0}
     * @param hidden the hidden size, {@code >= 1}
     */
    public static void lstmForward(float[] h, int offH, float[] c, int offC, float[] gates, int offGates,
                                   float[] cPrev, int offCPrev, int rows, int hidden) {
        int state = size(rows, hidden, 1);
        int gate = size(rows, hidden, 4);
        Check.range("h", h, offH, state);
        Check.range("c", c, offC, state);
        Check.range("gates", gates, offGates, gate);
        Check.range("cPrev", cPrev, offCPrev, state);
        Check.disjoint("h", h, offH, state, "c", c, offC, state);
        Check.disjoint("h", h, offH, state, "gates", gates, offGates, gate);
        Check.disjoint("h", h, offH, state, "cPrev", cPrev, offCPrev, state);
        Check.disjoint("c", c, offC, state, "gates", gates, offGates, gate);
        Check.disjoint("c", c, offC, state, "cPrev", cPrev, offCPrev, state);
        Check.disjoint("gates", gates, offGates, gate, "cPrev", cPrev, offCPrev, state);
        if (state > 0) {
            IMPL.lstmForward(h, offH, c, offC, gates, offGates, cPrev, offCPrev, rows, hidden);
        }
    }

    /**
     * LSTM step backward. gradC holds dL/dc from the later steps and receives dL/dcPrev in place;
     * gradH holds dL/dh; gates (activated), c and cPrev are the forward step's. gradGates receives
     * dL/d(pre-activation) of i, f, g, o.
     *
     * @param gradGates dL/d(gate pre-activations) (rows, 4 hidden), written
     * @param offGradGates the index in {@code gradGates} of its first element
     * @param gradC dL/dc from the later steps (rows, hidden); receives dL/dcPrev in place
     * @param offGradC the index in {@code gradC} of its first element
     * @param gradH dL/dh (rows, hidden)
     * @param offGradH the index in {@code gradH} of its first element
     * @param gates the forward step's activated gates (rows, 4 hidden)
     * @param offGates the index in {@code gates} of its first element
     * @param c the forward step's cell state (rows, hidden)
     * @param offC the index in {@code c} of its first element
     * @param cPrev the previous cell state (rows, hidden)
     * @param offCPrev the index in {@code cPrev} of its first element
     * @param rows the number of sequences in the batch, {@code >= 0}
     * @param hidden the hidden size, {@code >= 1}
     */
    public static void lstmBackward(float[] gradGates, int offGradGates, float[] gradC, int offGradC,
                                    float[] gradH, int offGradH, float[] gates, int offGates, float[] c, int offC,
                                    float[] cPrev, int offCPrev, int rows, int hidden) {
        int state = size(rows, hidden, 1);
        int gate = size(rows, hidden, 4);
        Check.range("gradGates", gradGates, offGradGates, gate);
        Check.range("gradC", gradC, offGradC, state);
        Check.range("gradH", gradH, offGradH, state);
        Check.range("gates", gates, offGates, gate);
        Check.range("c", c, offC, state);
        Check.range("cPrev", cPrev, offCPrev, state);
        Check.disjoint("gradGates", gradGates, offGradGates, gate, "gradC", gradC, offGradC, state);
        Check.disjoint("gradGates", gradGates, offGradGates, gate, "gradH", gradH, offGradH, state);
        Check.disjoint("gradGates", gradGates, offGradGates, gate, "gates", gates, offGates, gate);
        Check.disjoint("gradGates", gradGates, offGradGates, gate, "c", c, offC, state);
        Check.disjoint("gradGates", gradGates, offGradGates, gate, "cPrev", cPrev, offCPrev, state);
        Check.disjoint("gradC", gradC, offGradC, state, "gradH", gradH, offGradH, state);
        Check.disjoint("gradC", gradC, offGradC, state, "gates", gates, offGates, gate);
        Check.disjoint("gradC", gradC, offGradC, state, "c", c, offC, state);
        Check.disjoint("gradC", gradC, offGradC, state, "cPrev", cPrev, offCPrev, state);
        if (state > 0) {
            IMPL.lstmBackward(gradGates, offGradGates, gradC, offGradC, gradH, offGradH, gates, offGates, c, offC,
                    cPrev, offCPrev, rows, hidden);
        }
    }

    /**
     * GRU step forward. gates holds the input projection of r, z, n with its bias and receives
     * r = sigmoid(xr + hr), z = sigmoid(xz + hz), n = tanh(xn + r hn) in place; hiddenGates is the
     * recurrent projection of hPrev with its bias (read only); h = (1 - z) n + z hPrev.
     *
     * @param h the new hidden state (rows, hidden), written
     * @param offH the index in {@code h} of its first element
     * @param gates the input projections of r, z, n with bias (rows, 3 hidden), activated in place
     * @param offGates the index in {@code gates} of its first element
     * @param hiddenGates the recurrent projections of r, z, n with bias (rows, 3 hidden)
     * @param offHiddenGates the index in {@code hiddenGates} of its first element
     * @param hPrev the previous hidden state (rows, hidden)
     * @param offHPrev the index in {@code hPrev} of its first element
     * @param rows the number of sequences in the batch, {@code >= 0}
     * @param hidden the hidden size, {@code >= 1}
     */
    public static void gruForward(float[] h, int offH, float[] gates, int offGates, float[] hiddenGates,
                                  int offHiddenGates, float[] hPrev, int offHPrev, int rows, int hidden) {
        int state = size(rows, hidden, 1);
        int gate = size(rows, hidden, 3);
        Check.range("h", h, offH, state);
        Check.range("gates", gates, offGates, gate);
        Check.range("hiddenGates", hiddenGates, offHiddenGates, gate);
        Check.range("hPrev", hPrev, offHPrev, state);
        Check.disjoint("h", h, offH, state, "gates", gates, offGates, gate);
        Check.disjoint("h", h, offH, state, "hiddenGates", hiddenGates, offHiddenGates, gate);
        Check.disjoint("h", h, offH, state, "hPrev", hPrev, offHPrev, state);
        Check.disjoint("gates", gates, offGates, gate, "hiddenGates", hiddenGates, offHiddenGates, gate);
        Check.disjoint("gates", gates, offGates, gate, "hPrev", hPrev, offHPrev, state);
        if (state > 0) {
            IMPL.gruForward(h, offH, gates, offGates, hiddenGates, offHiddenGates, hPrev, offHPrev, rows, hidden);
        }
    }

    /**
     * GRU step backward from gradH = dL/dh. gradGates receives dL/d of the input projection,
     * gradHiddenGates dL/d of the recurrent projection, gradHPrev the direct part z dL/dh of
     * dL/dhPrev; gates (activated), hiddenGates and hPrev are the forward step's.
     *
     * @param gradGates dL/d(input projections) (rows, 3 hidden), written
     * @param offGradGates the index in {@code gradGates} of its first element
     * @param gradHiddenGates dL/d(recurrent projections) (rows, 3 hidden), written
     * @param offGradHiddenGates the index in {@code gradHiddenGates} of its first element
     * @param gradHPrev the direct part of dL/dhPrev (rows, hidden), written
     * @param offGradHPrev the index in {@code gradHPrev} of its first element
     * @param gradH dL/dh (rows, hidden)
     * @param offGradH the index in {@code gradH} of its first element
     * @param gates the forward step's activated gates (rows, 3 hidden)
     * @param offGates the index in {@code gates} of its first element
     * @param hiddenGates the forward step's recurrent projections (rows, 3 hidden)
     * @param offHiddenGates the index in {@code hiddenGates} of its first element
     * @param hPrev the previous hidden state (rows, hidden)
     * @param offHPrev the index in {@code hPrev} of its first element
     * @param rows the number of sequences in the batch, {@code >= 0}
     * @param hidden the hidden size, {@code >= 1}
     */
    public static void gruBackward(float[] gradGates, int offGradGates, float[] gradHiddenGates,
                                   int offGradHiddenGates, float[] gradHPrev, int offGradHPrev, float[] gradH,
                                   int offGradH, float[] gates, int offGates, float[] hiddenGates, int offHiddenGates,
                                   float[] hPrev, int offHPrev, int rows, int hidden) {
        int state = size(rows, hidden, 1);
        int gate = size(rows, hidden, 3);
        Check.range("gradGates", gradGates, offGradGates, gate);
        Check.range("gradHiddenGates", gradHiddenGates, offGradHiddenGates, gate);
        Check.range("gradHPrev", gradHPrev, offGradHPrev, state);
        Check.range("gradH", gradH, offGradH, state);
        Check.range("gates", gates, offGates, gate);
        Check.range("hiddenGates", hiddenGates, offHiddenGates, gate);
        Check.range("hPrev", hPrev, offHPrev, state);
        Check.disjoint("gradGates", gradGates, offGradGates, gate, "gradHiddenGates", gradHiddenGates,
                offGradHiddenGates, gate);
        Check.disjoint("gradGates", gradGates, offGradGates, gate, "gradHPrev", gradHPrev, offGradHPrev, state);
        Check.disjoint("gradHiddenGates", gradHiddenGates, offGradHiddenGates, gate, "gradHPrev", gradHPrev,
                offGradHPrev, state);
        disjointFromGruInputs("gradGates", gradGates, offGradGates, gate, gradH, offGradH, gates, offGates,
                hiddenGates, offHiddenGates, hPrev, offHPrev, state);
        disjointFromGruInputs("gradHiddenGates", gradHiddenGates, offGradHiddenGates, gate, gradH, offGradH, gates,
                offGates, hiddenGates, offHiddenGates, hPrev, offHPrev, state);
        disjointFromGruInputs("gradHPrev", gradHPrev, offGradHPrev, state, gradH, offGradH, gates, offGates,
                hiddenGates, offHiddenGates, hPrev, offHPrev, state);
        if (state > 0) {
            IMPL.gruBackward(gradGates, offGradGates, gradHiddenGates, offGradHiddenGates, gradHPrev, offGradHPrev,
                    gradH, offGradH, gates, offGates, hiddenGates, offHiddenGates, hPrev, offHPrev, rows, hidden);
        }
    }

    /** {@return the implementation in use: its simple class name} */
    public static String implementation() {
        return IMPL.getClass().getSimpleName();
    }

    /** rows x multiple x hidden, checked to be non-negative and to fit an array. */
    private static int size(int rows, int hidden, int multiple) {
        Check.nonNegative("rows", rows);
        Check.nonNegative("hidden", hidden);
        long size = (long) rows * hidden * multiple;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rows " + rows + " x " + multiple + " x hidden " + hidden
                    + " exceeds the largest array");
        }
        return (int) size;
    }

    /** Throws if the output {@code name} overlaps one of gruBackward's inputs. */
    private static void disjointFromGruInputs(String name, float[] out, int offOut, int length, float[] gradH,
                                              int offGradH, float[] gates, int offGates, float[] hiddenGates,
                                              int offHiddenGates, float[] hPrev, int offHPrev, int state) {
        Check.disjoint(name, out, offOut, length, "gradH", gradH, offGradH, state);
        Check.disjoint(name, out, offOut, length, "gates", gates, offGates, 3 * state);
        Check.disjoint(name, out, offOut, length, "hiddenGates", hiddenGates, offHiddenGates, 3 * state);
        Check.disjoint(name, out, offOut, length, "hPrev", hPrev, offHPrev, state);
    }
}
