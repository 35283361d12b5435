package dev.lanes.kernels.spi;

/**
 * The elementwise part of one time step of an LSTM or GRU cell for a block of rows (sequences),
 * gates fused: activations, the cell update and, backward, every gate's gradient in one pass.
 * The matrix products around it (input and recurrent projections) are GEMMs of the caller.
 * Arguments arrive validated by {@link dev.lanes.kernels.RecurrentCells}: rows and hidden are
 * positive, every matrix is contiguous ((rows, hidden) or (rows, 3 or 4 hidden), row-major) and
 * lies within its array, and outputs do not overlap inputs except where a method says in place.
 */
public interface RecurrentKernel {
    /**
     * LSTM step forward. gates (rows, 4 hidden) holds the pre-activations of the input, forget,
     * cell and output gates (i, f, g, o, PyTorch's order) and receives sigmoid(i), sigmoid(f),
     * tanh(g), sigmoid(o) in place; c (rows, hidden) = f cPrev + i g; h (rows, hidden) = o tanh(c).
     */
    void lstmForward(float[] h, int offH, float[] c, int offC, float[] gates, int offGates, float[] cPrev,
                     int offCPrev, int rows, int hidden);

    /**
     * LSTM step backward. gradC holds dL/dc of this step from the later steps and receives
     * dL/dcPrev in place; gradH holds dL/dh; gates are the activated gates and c, cPrev the cell
     * states of the forward step. gradGates (rows, 4 hidden) receives dL/d(pre-activation) of
     * each gate.
     */
    void lstmBackward(float[] gradGates, int offGradGates, float[] gradC, int offGradC, float[] gradH,
                      int offGradH, float[] gates, int offGates, float[] c, int offC, float[] cPrev,
                      int offCPrev, int rows, int hidden);

    /**
     * GRU step forward. gates (rows, 3 hidden) holds the input projection (with its bias) of the
     * reset, update and new gates (r, z, n, PyTorch's order); hiddenGates (rows, 3 hidden) the
     * recurrent projection of hPrev with its bias, read only. gates receives r = sigmoid(xr + hr),
     * z = sigmoid(xz + hz) and n = tanh(xn + r hn) in place; h (rows, hidden) = (1 - z) n + z hPrev.
     */
    void gruForward(float[] h, int offH, float[] gates, int offGates, float[] hiddenGates, int offHiddenGates,
                    float[] hPrev, int offHPrev, int rows, int hidden);

    /**
     * GRU step backward from gradH = dL/dh. gradGates (rows, 3 hidden) receives dL/d of the input
     * projection (r, z, n pre-activations), gradHiddenGates (rows, 3 hidden) dL/d of the recurrent
     * projection (the same for r and z, r dL/dn-pre-activation for n), and gradHPrev (rows,
     * hidden) the direct part z dL/dh of dL/dhPrev (the caller adds the recurrent part through
     * the weights). gates are the activated gates of the forward step, hiddenGates its recurrent
     * projection and hPrev its previous state.
     */
    void gruBackward(float[] gradGates, int offGradGates, float[] gradHiddenGates, int offGradHiddenGates,
                     float[] gradHPrev, int offGradHPrev, float[] gradH, int offGradH, float[] gates, int offGates,
                     float[] hiddenGates, int offHiddenGates, float[] hPrev, int offHPrev, int rows, int hidden);
}
