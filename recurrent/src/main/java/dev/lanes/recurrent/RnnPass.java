package dev.lanes.recurrent;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.Activations;
import dev.lanes.kernels.Gemm;
import java.util.SplittableRandom;

/**
 * One direction of a simple (Elman) recurrent layer, PyTorch's {@code nn.RNN}:
 * h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) with act tanh or ReLU. The pre-activations of
 * a step stay in {@link #gates}; its output is the state itself.
 */
final class RnnPass extends DirectionPass {
    private final Activation activation;
    /** b_ih + b_hh. */
    private final float[] combinedBias;

    RnnPass(int inputSize, int hidden, Activation activation, boolean reverse, boolean bias, String suffix,
            SplittableRandom random) {
        super(inputSize, hidden, 1, reverse, bias, suffix, random);
        this.activation = activation;
        this.combinedBias = new float[hidden];
    }

    @Override
    boolean writeInputBias(int rows) {
        if (biasIh == null) {
            return false;
        }
        float[] ih = biasIh.value().data();
        float[] hh = biasHh.value().data();
        for (int j = 0; j < hidden; j++) {
            combinedBias[j] = ih[j] + hh[j];
        }
        fillRows(gates, 0, combinedBias, rows, hidden);
        return true;
    }

    // a_t (batch, hidden) += h_{t-1} · W_hh^T; h_t = act(a_t)
    @Override
    void step(int t, int previous, int output) {
        int state = batch * hidden;
        Gemm.sgemm(false, true, batch, hidden, hidden, 1f, states, previous * state, hidden,
                weightHh.value().data(), 0, hidden, 1f, gates, t * state, hidden);
        Activations.forward(activation, states, output * state, gates, t * state, state);
    }

    // dL/da_t = dL/dh_t act'(a_t), from h_t (tanh and ReLU read their output);
    // dL/dh_{t-1} = dL/da_t · W_hh
    @Override
    void stepBackward(int t, int previous, int output, int inactiveCount) {
        int state = batch * hidden;
        Activations.backward(activation, gradGates, t * state, gradH, 0, states, output * state, state);
        zeroInactive(gradGates, t * state, hidden, inactiveCount);
        Gemm.sgemm(false, false, batch, hidden, hidden, 1f, gradGates, t * state, hidden,
                weightHh.value().data(), 0, hidden, 0f, gradHPrevious, 0, hidden);
    }
}
