package dev.lanes.recurrent;

import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.RecurrentCells;
import java.util.SplittableRandom;

/**
 * One direction of an LSTM layer (PyTorch's {@code nn.LSTM}): gates i, f, g, o;
 * c_t = f c_{t-1} + i g, h_t = o tanh(c_t). The cell states live in slots like the hidden states.
 */
final class LstmPass extends DirectionPass {
    /** Cell states (steps + 1, batch, hidden), slots as {@link #states}. */
    float[] cells = new float[0];
    /** dL/dc of the current step; after backward, dL/dc0. */
    float[] gradC = new float[0];
    /** The inactive rows' dL/dc across a step, which passes them unchanged. */
    private float[] heldGradC = new float[0];
    /** b_ih + b_hh. */
    private final float[] combinedBias;

    LstmPass(int inputSize, int hidden, boolean reverse, boolean bias, String suffix, SplittableRandom random) {
        super(inputSize, hidden, 4, reverse, bias, suffix, random);
        this.combinedBias = new float[gateWidth];
    }

    @Override
    void prepare(int steps, int batch, int[] lengths) {
        super.prepare(steps, batch, lengths);
        cells = fit(cells, ((long) steps + 1) * batch * hidden);
        gradC = fit(gradC, (long) batch * hidden);
        heldGradC = fit(heldGradC, (long) batch * hidden);
    }

    // Both biases add into the same pre-activations: b_ih + b_hh once per row.
    @Override
    boolean writeInputBias(int rows) {
        if (biasIh == null) {
            return false;
        }
        float[] bias = combinedBias;
        float[] ih = biasIh.value().data();
        float[] hh = biasHh.value().data();
        for (int j = 0; j < gateWidth; j++) {
            bias[j] = ih[j] + hh[j];
        }
        fillRows(gates, 0, bias, rows, gateWidth);
        return true;
    }

    @Override
    void initialCell(float[] c0, int offC0) {
        copyOrZero(cells, boundarySlot(true) * batch * hidden, c0, offC0, batch * hidden);
    }

    // a_t (batch, 4 hidden) += h_{t-1} (batch, hidden) · W_hh^T, then the fused gates and cell update
    @Override
    void step(int t, int previous, int output) {
        int state = batch * hidden;
        int gateOffset = t * batch * gateWidth;
        Gemm.sgemm(false, true, batch, gateWidth, hidden, 1f, states, previous * state, hidden,
                weightHh.value().data(), 0, hidden, 1f, gates, gateOffset, gateWidth);
        RecurrentCells.lstmForward(states, output * state, cells, output * state, gates, gateOffset, cells,
                previous * state, batch, hidden);
    }

    @Override
    void carry(int n, int previous, int output) {
        super.carry(n, previous, output);
        System.arraycopy(cells, (previous * batch + n) * hidden, cells, (output * batch + n) * hidden, hidden);
    }

    @Override
    void finalCellGradient(float[] gradCN, int offGradCN) {
        copyOrZero(gradC, 0, gradCN, offGradCN, batch * hidden);
    }

    // The fused kernel gives dL/da_t and turns dL/dc_t into dL/dc_{t-1};
    // dL/dh_{t-1} (batch, hidden) = dL/da_t (batch, 4 hidden) · W_hh (4 hidden, hidden).
    @Override
    void stepBackward(int t, int previous, int output, int inactiveCount) {
        int state = batch * hidden;
        int gateOffset = t * batch * gateWidth;
        int[] rows = inactive();
        for (int k = 0; k < inactiveCount; k++) {
            System.arraycopy(gradC, rows[k] * hidden, heldGradC, rows[k] * hidden, hidden);
        }
        RecurrentCells.lstmBackward(gradGates, gateOffset, gradC, 0, gradH, 0, gates, gateOffset, cells,
                output * state, cells, previous * state, batch, hidden);
        for (int k = 0; k < inactiveCount; k++) {
            System.arraycopy(heldGradC, rows[k] * hidden, gradC, rows[k] * hidden, hidden);
        }
        zeroInactive(gradGates, gateOffset, gateWidth, inactiveCount);
        Gemm.sgemm(false, false, batch, hidden, gateWidth, 1f, gradGates, gateOffset, gateWidth,
                weightHh.value().data(), 0, hidden, 0f, gradHPrevious, 0, hidden);
    }
}
