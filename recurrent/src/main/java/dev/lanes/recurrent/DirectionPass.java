package dev.lanes.recurrent;

import dev.lanes.kernels.Gemm;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One direction of one layer of a recurrent network: its four parameters (PyTorch's names and
 * layout), the values its last forward kept, and backpropagation through time.
 *
 * <p><b>Layout.</b> Everything is time-major, so that a step's rows are contiguous and the whole
 * sequence is one matrix: gate pre-activations and activations {@code gates} (steps, batch,
 * gateCount x hidden), and the states {@code states} (steps + 1, batch, hidden) in slots: the
 * initial state in slot 0 and h_t in slot t + 1 going forward, the initial state in slot
 * {@code steps} and h_t in slot t going backward (a reverse direction reads the sequence from
 * its end). So the states h_0 .. h_{T-1} in time order are one contiguous matrix (the next
 * layer's input), and so are the states each step read (the recurrent weights' gradient is one
 * GEMM).
 *
 * <p><b>Speed by construction.</b> The input projection of all steps is one GEMM (biases
 * written into the output first); a step is one GEMM for all gates of the recurrent projection
 * and one fused kernel; backward gathers each step's gate gradients so that the weight
 * gradients are one GEMM each after the loop. Buffers grow to the largest (steps, batch) seen
 * and are reused, so steady-state training allocates nothing.
 *
 * <p><b>Variable lengths.</b> A sequence of length len is processed for t &lt; len only: at the
 * other steps its state is carried over unchanged (and its gradient passed back unchanged, its
 * gate gradients zero), so the final state is the state after its last step, in both
 * directions, and nothing it read past its end receives a gradient, as with PyTorch's packed
 * sequences.
 */
abstract class DirectionPass {
    final int inputSize;
    final int hidden;
    final int gateWidth;
    final boolean reverse;
    final Parameter weightIh;
    final Parameter weightHh;
    final Parameter biasIh;
    final Parameter biasHh;

    int steps;
    int batch;
    int[] lengths;
    float[] gates = new float[0];
    float[] states = new float[0];
    float[] gradGates = new float[0];
    /** dL/dh of this direction's outputs from above, time-major (steps, batch, hidden), or unused. */
    float[] gradOutputs = new float[0];
    boolean hasGradOutputs;
    /** dL/dh of the current step and of the previous one; after backward, gradH holds dL/dh0. */
    float[] gradH = new float[0];
    float[] gradHPrevious = new float[0];
    private int[] inactive = new int[0];
    private final float[] columnSums;
    /** When set (length steps), backward records ‖dL/dh_t‖ over the batch at each step t. */
    double[] stateGradientNorms;

    /**
     * A direction with weights and biases drawn from U(-1/sqrt(hidden), 1/sqrt(hidden)), as
     * PyTorch initialises its recurrent layers. {@code suffix} ends the parameter names:
     * {@code _l0}, {@code _l1_reverse}.
     */
    DirectionPass(int inputSize, int hidden, int gateCount, boolean reverse, boolean bias, String suffix,
                  SplittableRandom random) {
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.gateWidth = gateCount * hidden;
        this.reverse = reverse;
        float bound = (float) (1 / Math.sqrt(hidden));
        this.weightIh = new Parameter("weight_ih" + suffix,
                Tensor.rand(Shape.of(gateWidth, inputSize), -bound, bound, random.nextLong()), true);
        this.weightHh = new Parameter("weight_hh" + suffix,
                Tensor.rand(Shape.of(gateWidth, hidden), -bound, bound, random.nextLong()), true);
        this.biasIh = bias ? new Parameter("bias_ih" + suffix,
                Tensor.rand(Shape.of(gateWidth), -bound, bound, random.nextLong()), false) : null;
        this.biasHh = bias ? new Parameter("bias_hh" + suffix,
                Tensor.rand(Shape.of(gateWidth), -bound, bound, random.nextLong()), false) : null;
        this.columnSums = new float[gateWidth];
    }

    /** The slot of the state a step at time t reads. */
    final int previousSlot(int t) {
        return reverse ? t + 1 : t;
    }

    /** The slot of the state a step at time t writes. */
    final int outputSlot(int t) {
        return reverse ? t : t + 1;
    }

    /** The slot of the initial state (forward) or the final state (!initial). */
    final int boundarySlot(boolean initial) {
        return initial == reverse ? steps : 0;
    }

    /** The offset in {@link #states} of h_0 .. h_{steps-1} in time order. */
    final int outputsOffset() {
        return reverse ? 0 : batch * hidden;
    }

    static float[] fit(float[] array, long size) {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a recurrent buffer of " + size + " floats exceeds the largest array");
        }
        return array.length >= size ? array : new float[(int) size];
    }

    /** Makes the buffers large enough for (steps, batch) and keeps the lengths (null: all steps). */
    void prepare(int steps, int batch, int[] lengths) {
        this.steps = steps;
        this.batch = batch;
        this.lengths = lengths;
        long rows = (long) steps * batch;
        gates = fit(gates, rows * gateWidth);
        gradGates = fit(gradGates, rows * gateWidth);
        states = fit(states, (rows + batch) * hidden);
        gradOutputs = fit(gradOutputs, rows * hidden);
        gradH = fit(gradH, (long) batch * hidden);
        gradHPrevious = fit(gradHPrevious, (long) batch * hidden);
        if (inactive.length < batch) {
            inactive = new int[batch];
        }
    }

    /**
     * Runs the direction over the whole sequence. h0 (and c0 for an LSTM) hold the initial state
     * (batch, hidden) at the given offsets, or are null for zeros.
     */
    final void forward(SequenceParts input, float[] h0, int offH0, float[] c0, int offC0) {
        int rows = steps * batch;
        float[] w = weightIh.value().data();
        boolean bias = writeInputBias(rows);
        for (int p = 0; p < input.count(); p++) {
            int width = input.width(p);
            Gemm.sgemm(false, true, rows, gateWidth, width, 1f, input.values(p), input.offset(p), width,
                    w, input.column(p), inputSize, bias || p > 0 ? 1f : 0f, gates, 0, gateWidth);
        }
        int start = boundarySlot(true) * batch * hidden;
        copyOrZero(states, start, h0, offH0, batch * hidden);
        initialCell(c0, offC0);
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            step(t, previousSlot(t), outputSlot(t));
            int count = inactiveRows(t);
            for (int k = 0; k < count; k++) {
                carry(inactive[k], previousSlot(t), outputSlot(t));
            }
        }
    }

    /**
     * Writes the bias of the input projection into every row of {@link #gates}; returns false
     * (and writes nothing) without biases.
     */
    abstract boolean writeInputBias(int rows);

    /** Sets the initial cell state (an LSTM's); the others have none. */
    void initialCell(float[] c0, int offC0) {
    }

    /** One step at time t: the recurrent projection of slot previous and the cell, into slot output. */
    abstract void step(int t, int previous, int output);

    /** Row n is past its end at this step: its state in the output slot is its previous one. */
    void carry(int n, int previous, int output) {
        System.arraycopy(states, (previous * batch + n) * hidden, states, (output * batch + n) * hidden, hidden);
    }

    /** Fills {@link #inactive} with the rows whose sequence has ended before time t; returns their count. */
    final int inactiveRows(int t) {
        int count = 0;
        if (lengths != null) {
            for (int n = 0; n < batch; n++) {
                if (t >= lengths[n]) {
                    inactive[count++] = n;
                }
            }
        }
        return count;
    }

    /** The rows {@link #inactiveRows} found, valid until its next call. */
    final int[] inactive() {
        return inactive;
    }

    static void copyOrZero(float[] out, int offOut, float[] in, int offIn, int length) {
        if (in == null) {
            Arrays.fill(out, offOut, offOut + length, 0f);
        } else {
            System.arraycopy(in, offIn, out, offOut, length);
        }
    }

    /**
     * Backpropagation through the whole sequence. gradHN (and gradCN) hold dL/d(final state)
     * (batch, hidden), or are null for zeros; {@link #gradOutputs} holds dL/dh_t from above when
     * {@link #hasGradOutputs}. Adds into the parameter gradients, writes (or with
     * {@code accumulate}, adds) dL/d(input) into the parts' gradients, and leaves dL/dh0 in
     * {@link #gradH} (and dL/dc0 in the LSTM's cell gradient).
     */
    final void backward(SequenceParts input, float[] gradHN, int offGradHN, float[] gradCN, int offGradCN,
                        boolean accumulate) {
        int state = batch * hidden;
        copyOrZero(gradH, 0, gradHN, offGradHN, state);
        finalCellGradient(gradCN, offGradCN);
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            if (hasGradOutputs) {
                addInto(gradH, gradOutputs, t * state, state);
            }
            if (stateGradientNorms != null) {
                stateGradientNorms[t] = norm(gradH, state);
            }
            int count = inactiveRows(t);
            stepBackward(t, previousSlot(t), outputSlot(t), count);
            for (int k = 0; k < count; k++) {
                int at = inactive[k] * hidden;
                System.arraycopy(gradH, at, gradHPrevious, at, hidden);
            }
            float[] swap = gradH;
            gradH = gradHPrevious;
            gradHPrevious = swap;
        }
        parameterGradients(input);
        inputGradients(input, accumulate);
    }

    /** Sets dL/d(final cell state) (an LSTM's); the others have none. */
    void finalCellGradient(float[] gradCN, int offGradCN) {
    }

    /**
     * One step back at time t: from dL/dh in {@link #gradH}, the step's gate gradients (zero for
     * the first {@code inactiveCount} rows of {@link #inactive}) and dL/dh of the previous state
     * in {@link #gradHPrevious} (the inactive rows are overwritten afterwards).
     */
    abstract void stepBackward(int t, int previous, int output, int inactiveCount);

    /** Zeroes the rows of a (batch, width) block at offset that {@link #inactive} lists. */
    final void zeroInactive(float[] matrix, int offset, int width, int count) {
        for (int k = 0; k < count; k++) {
            int at = offset + inactive[k] * width;
            Arrays.fill(matrix, at, at + width, 0f);
        }
    }

    /** The gradient with respect to the recurrent projection, (steps, batch, gateWidth). */
    float[] recurrentGradient() {
        return gradGates;
    }

    private void parameterGradients(SequenceParts input) {
        int rows = steps * batch;
        float[] recurrent = recurrentGradient();
        // dW_hh (gates, hidden) += Σ_t dA_t^T h_{t-1}: the states each step read, one matrix
        int read = reverse ? batch * hidden : 0;
        Gemm.sgemm(true, false, gateWidth, hidden, rows, 1f, recurrent, 0, gateWidth, states, read, hidden,
                1f, weightHh.grad().data(), 0, hidden);
        // dW_ih (gates, input) += dG^T x, one column block per input part
        for (int p = 0; p < input.count(); p++) {
            Gemm.sgemm(true, false, gateWidth, input.width(p), rows, 1f, gradGates, 0, gateWidth, input.values(p),
                    input.offset(p), input.width(p), 1f, weightIh.grad().data(), input.column(p), inputSize);
        }
        if (biasIh != null) {
            addColumnSums(biasIh.grad().data(), gradGates, rows);
            if (recurrent != gradGates) {
                columnSums(recurrent, rows);
            }
            addInto(biasHh.grad().data(), columnSums, 0, gateWidth);
        }
    }

    // dL/dx (rows, width) = dG (rows, gates) · W_ih[:, part] (gates, width)
    private void inputGradients(SequenceParts input, boolean accumulate) {
        int rows = steps * batch;
        for (int p = 0; p < input.count(); p++) {
            Gemm.sgemm(false, false, rows, input.width(p), gateWidth, 1f, gradGates, 0, gateWidth,
                    weightIh.value().data(), input.column(p), inputSize, accumulate ? 1f : 0f, input.gradient(p), 0,
                    input.width(p));
        }
    }

    /**
     * gradient[j] += Σ_row matrix[row * gateWidth + j]; the sum is formed first (in row order, in
     * {@link #columnSums}, where it stays), so that a second backward adds exactly the same value.
     */
    private void addColumnSums(float[] gradient, float[] matrix, int rows) {
        columnSums(matrix, rows);
        addInto(gradient, columnSums, 0, gateWidth);
    }

    private void columnSums(float[] matrix, int rows) {
        Arrays.fill(columnSums, 0f);
        for (int row = 0; row < rows; row++) {
            int start = row * gateWidth;
            for (int j = 0; j < gateWidth; j++) {
                columnSums[j] += matrix[start + j];
            }
        }
    }

    private static double norm(float[] values, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (double) values[i] * values[i];
        }
        return Math.sqrt(sum);
    }

    static void addInto(float[] out, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i++) {
            out[i] += in[offIn + i];
        }
    }

    /** Writes the bias into every one of {@code rows} rows of a (rows, gateWidth) matrix. */
    static void fillRows(float[] matrix, int offset, float[] bias, int rows, int width) {
        for (int row = 0; row < rows; row++) {
            System.arraycopy(bias, 0, matrix, offset + row * width, width);
        }
    }
}
