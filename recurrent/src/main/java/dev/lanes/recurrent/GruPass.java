package dev.lanes.recurrent;

import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.RecurrentCells;
import java.util.SplittableRandom;

/**
 * One direction of a GRU layer (PyTorch's {@code nn.GRU}): gates r, z, n;
 * n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h_t = (1 - z) n + z h_{t-1}. Because r multiplies
 * the recurrent projection of n with its bias, the recurrent projection of each step (with b_hh)
 * is kept apart from the input projection.
 */
final class GruPass extends DirectionPass {
    /** Recurrent projections W_hh h_{t-1} + b_hh, (steps, batch, 3 hidden). */
    private float[] hiddenGates = new float[0];
    /** dL/d of the recurrent projections, same layout. */
    private float[] gradHiddenGates = new float[0];

    GruPass(int inputSize, int hidden, boolean reverse, boolean bias, String suffix, SplittableRandom random) {
        super(inputSize, hidden, 3, reverse, bias, suffix, random);
    }

    @Override
    void prepare(int steps, int batch, int[] lengths) {
        super.prepare(steps, batch, lengths);
        long size = (long) steps * batch * gateWidth;
        hiddenGates = fit(hiddenGates, size);
        gradHiddenGates = fit(gradHiddenGates, size);
    }

    @Override
    boolean writeInputBias(int rows) {
        if (biasIh == null) {
            return false;
        }
        fillRows(gates, 0, biasIh.value().data(), rows, gateWidth);
        return true;
    }

    // hg_t (batch, 3 hidden) = h_{t-1} · W_hh^T + b_hh, then the fused gates and state update
    @Override
    void step(int t, int previous, int output) {
        int state = batch * hidden;
        int gateOffset = t * batch * gateWidth;
        if (biasHh != null) {
            fillRows(hiddenGates, gateOffset, biasHh.value().data(), batch, gateWidth);
        }
        Gemm.sgemm(false, true, batch, gateWidth, hidden, 1f, states, previous * state, hidden,
                weightHh.value().data(), 0, hidden, biasHh != null ? 1f : 0f, hiddenGates, gateOffset, gateWidth);
        RecurrentCells.gruForward(states, output * state, gates, gateOffset, hiddenGates, gateOffset, states,
                previous * state, batch, hidden);
    }

    // The fused kernel gives the gradients of both projections and z dL/dh_t;
    // dL/dh_{t-1} = z dL/dh_t + dL/dhg_t (batch, 3 hidden) · W_hh (3 hidden, hidden).
    @Override
    void stepBackward(int t, int previous, int output, int inactiveCount) {
        int state = batch * hidden;
        int gateOffset = t * batch * gateWidth;
        RecurrentCells.gruBackward(gradGates, gateOffset, gradHiddenGates, gateOffset, gradHPrevious, 0, gradH, 0,
                gates, gateOffset, hiddenGates, gateOffset, states, previous * state, batch, hidden);
        zeroInactive(gradGates, gateOffset, gateWidth, inactiveCount);
        zeroInactive(gradHiddenGates, gateOffset, gateWidth, inactiveCount);
        Gemm.sgemm(false, false, batch, hidden, gateWidth, 1f, gradHiddenGates, gateOffset, gateWidth,
                weightHh.value().data(), 0, hidden, 1f, gradHPrevious, 0, hidden);
    }

    @Override
    float[] recurrentGradient() {
        return gradHiddenGates;
    }
}
