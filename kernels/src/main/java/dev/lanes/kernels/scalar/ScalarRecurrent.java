package dev.lanes.kernels.scalar;

import dev.lanes.kernels.spi.RecurrentKernel;

/**
 * The readable LSTM and GRU steps: one element at a time, in double from the float inputs, each
 * stored value rounded once. The activated gates are stored as floats and the backward reads
 * them back, as the Panama kernels do, so both compute the same function of the same stored
 * values.
 */
public final class ScalarRecurrent implements RecurrentKernel {
    // i = σ(ai), f = σ(af), g = tanh(ag), o = σ(ao); c = f cPrev + i g; h = o tanh(c)
    @Override
    public void lstmForward(float[] h, int offH, float[] c, int offC, float[] gates, int offGates, float[] cPrev,
                            int offCPrev, int rows, int hidden) {
        for (int r = 0; r < rows; r++) {
            int gate = offGates + r * 4 * hidden;
            for (int j = 0; j < hidden; j++) {
                int i = gate + j;
                int f = i + hidden;
                int g = f + hidden;
                int o = g + hidden;
                gates[i] = (float) ScalarFunctions.sigmoid(gates[i]);
                gates[f] = (float) ScalarFunctions.sigmoid(gates[f]);
                gates[g] = (float) StrictMath.tanh(gates[g]);
                gates[o] = (float) ScalarFunctions.sigmoid(gates[o]);
                int e = r * hidden + j;
                float cell = (float) ((double) gates[f] * cPrev[offCPrev + e] + (double) gates[i] * gates[g]);
                c[offC + e] = cell;
                h[offH + e] = (float) (gates[o] * StrictMath.tanh(cell));
            }
        }
    }

    // With t = tanh(c) and dc = gradC + gradH o (1 - t²):
    // d(ao) = gradH t o (1 - o), d(ai) = dc g i (1 - i), d(af) = dc cPrev f (1 - f),
    // d(ag) = dc i (1 - g²), dL/dcPrev = dc f.
    @Override
    public void lstmBackward(float[] gradGates, int offGradGates, float[] gradC, int offGradC, float[] gradH,
                             int offGradH, float[] gates, int offGates, float[] c, int offC, float[] cPrev,
                             int offCPrev, int rows, int hidden) {
        for (int r = 0; r < rows; r++) {
            int gate = offGates + r * 4 * hidden;
            int grad = offGradGates + r * 4 * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = gates[gate + j];
                double f = gates[gate + hidden + j];
                double g = gates[gate + 2 * hidden + j];
                double o = gates[gate + 3 * hidden + j];
                int e = r * hidden + j;
                double t = StrictMath.tanh(c[offC + e]);
                double dh = gradH[offGradH + e];
                double dc = gradC[offGradC + e] + dh * o * (1 - t * t);
                gradGates[grad + j] = (float) (dc * g * i * (1 - i));
                gradGates[grad + hidden + j] = (float) (dc * cPrev[offCPrev + e] * f * (1 - f));
                gradGates[grad + 2 * hidden + j] = (float) (dc * i * (1 - g * g));
                gradGates[grad + 3 * hidden + j] = (float) (dh * t * o * (1 - o));
                gradC[offGradC + e] = (float) (dc * f);
            }
        }
    }

    // r = σ(xr + hr), z = σ(xz + hz), n = tanh(xn + r hn); h = (1 - z) n + z hPrev
    @Override
    public void gruForward(float[] h, int offH, float[] gates, int offGates, float[] hiddenGates, int offHiddenGates,
                           float[] hPrev, int offHPrev, int rows, int hidden) {
        for (int r = 0; r < rows; r++) {
            int gate = offGates + r * 3 * hidden;
            int hiddenGate = offHiddenGates + r * 3 * hidden;
            for (int j = 0; j < hidden; j++) {
                int ri = gate + j;
                int zi = ri + hidden;
                int ni = zi + hidden;
                float reset = (float) ScalarFunctions.sigmoid((double) gates[ri] + hiddenGates[hiddenGate + j]);
                float update = (float) ScalarFunctions.sigmoid((double) gates[zi] + hiddenGates[hiddenGate + hidden + j]);
                float candidate = (float) StrictMath.tanh(gates[ni]
                        + (double) reset * hiddenGates[hiddenGate + 2 * hidden + j]);
                gates[ri] = reset;
                gates[zi] = update;
                gates[ni] = candidate;
                int e = r * hidden + j;
                h[offH + e] = (float) ((1 - (double) update) * candidate + (double) update * hPrev[offHPrev + e]);
            }
        }
    }

    // dn = gradH (1 - z) (1 - n²), dz = gradH (hPrev - n) z (1 - z), dr = dn hn r (1 - r);
    // input projection gradient (dr, dz, dn), recurrent projection gradient (dr, dz, r dn);
    // direct part of dL/dhPrev = gradH z.
    @Override
    public void gruBackward(float[] gradGates, int offGradGates, float[] gradHiddenGates, int offGradHiddenGates,
                            float[] gradHPrev, int offGradHPrev, float[] gradH, int offGradH, float[] gates,
                            int offGates, float[] hiddenGates, int offHiddenGates, float[] hPrev, int offHPrev,
                            int rows, int hidden) {
        for (int r = 0; r < rows; r++) {
            int gate = offGates + r * 3 * hidden;
            int hiddenGate = offHiddenGates + r * 3 * hidden;
            int grad = offGradGates + r * 3 * hidden;
            int gradHidden = offGradHiddenGates + r * 3 * hidden;
            for (int j = 0; j < hidden; j++) {
                double reset = gates[gate + j];
                double update = gates[gate + hidden + j];
                double candidate = gates[gate + 2 * hidden + j];
                int e = r * hidden + j;
                double dh = gradH[offGradH + e];
                double dn = dh * (1 - update) * (1 - candidate * candidate);
                double dz = dh * (hPrev[offHPrev + e] - candidate) * update * (1 - update);
                double dr = dn * hiddenGates[hiddenGate + 2 * hidden + j] * reset * (1 - reset);
                gradGates[grad + j] = (float) dr;
                gradGates[grad + hidden + j] = (float) dz;
                gradGates[grad + 2 * hidden + j] = (float) dn;
                gradHiddenGates[gradHidden + j] = (float) dr;
                gradHiddenGates[gradHidden + hidden + j] = (float) dz;
                gradHiddenGates[gradHidden + 2 * hidden + j] = (float) (reset * dn);
                gradHPrev[offGradHPrev + e] = (float) (dh * update);
            }
        }
    }
}
