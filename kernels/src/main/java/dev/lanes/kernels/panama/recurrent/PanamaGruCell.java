package dev.lanes.kernels.panama.recurrent;

import dev.lanes.kernels.panama.math.PanamaFunctions;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The passes of one row of a GRU step (see {@link PanamaRecurrent} for their order): forward adds
 * the recurrent projection of r and z to the input projection, and after both are activated
 * ({@link PanamaGateActivations}) computes n and the new state; backward is one pass without
 * transcendental functions. Last vectors as in {@link PanamaLstmCell}: masked, on a per-thread
 * scratch when they would pass an array's end.
 */
final class PanamaGruCell {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final int L = F.length();
    /** Scratch slots: three gates, three hidden gates, then up to four more vectors. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[15 * L]);

    private PanamaGruCell() {
    }

    /** The first forward pass of one row: the r and z ranges of gates += those of hiddenGates. */
    static void addRow(float[] gates, int offGates, float[] hiddenGates, int offHiddenGates, int hidden) {
        int twoHidden = 2 * hidden;
        int j = 0;
        for (; j <= twoHidden - L; j += L) {
            FloatVector.fromArray(F, gates, offGates + j)
                    .add(FloatVector.fromArray(F, hiddenGates, offHiddenGates + j))
                    .intoArray(gates, offGates + j);
        }
        for (; j < twoHidden; j++) {
            gates[offGates + j] += hiddenGates[offHiddenGates + j]; // a plain add rounds as the vector one
        }
    }

    /**
     * The last forward pass of one row, after r and z are activated: n and h (see
     * RecurrentKernel.gruForward).
     */
    static void stateRow(float[] h, int offH, float[] gates, int offGates, float[] hiddenGates, int offHiddenGates,
                         float[] hPrev, int offHPrev, int hidden) {
        for (int j = 0; j < hidden; j += L) {
            int count = Math.min(L, hidden - j);
            boolean direct = count == L || PanamaTail.fits(h, offH + j)
                    && PanamaTail.fits(gates, offGates + 2 * hidden + j)
                    && PanamaTail.fits(hiddenGates, offHiddenGates + 2 * hidden + j)
                    && PanamaTail.fits(hPrev, offHPrev + j);
            // scratch: gates 0..3L, hidden gates 3L..6L, hPrev 6L, h 7L
            float[] s = direct ? null : SCRATCH.get();
            if (!direct) {
                for (int q = 0; q < 3; q++) {
                    System.arraycopy(gates, offGates + q * hidden + j, s, q * L, count);
                    System.arraycopy(hiddenGates, offHiddenGates + q * hidden + j, s, (3 + q) * L, count);
                }
                System.arraycopy(hPrev, offHPrev + j, s, 6 * L, count);
            }
            stateLanes(count, direct ? h : s, direct ? offH + j : 7 * L, direct ? gates : s,
                    direct ? offGates + j : 0, direct ? hidden : L, direct ? hiddenGates : s,
                    direct ? offHiddenGates + j : 3 * L, direct ? hPrev : s, direct ? offHPrev + j : 6 * L);
            if (!direct) {
                System.arraycopy(s, 2 * L, gates, offGates + 2 * hidden + j, count);
                System.arraycopy(s, 7 * L, h, offH + j, count);
            }
        }
    }

    // n = tanh(xn + r hn) stored over xn; h = (1 - z) n + z hPrev = n + z (hPrev - n)
    private static void stateLanes(int count, float[] h, int offH, float[] gates, int offGates, int stride,
                                   float[] hiddenGates, int offHiddenGates, float[] hPrev, int offHPrev) {
        VectorMask<Float> m = F.indexInRange(0, count);
        FloatVector r = FloatVector.fromArray(F, gates, offGates, m);
        FloatVector z = FloatVector.fromArray(F, gates, offGates + stride, m);
        FloatVector hn = FloatVector.fromArray(F, hiddenGates, offHiddenGates + 2 * stride, m);
        FloatVector n = PanamaFunctions.tanh(r.fma(hn, FloatVector.fromArray(F, gates, offGates + 2 * stride, m)));
        n.intoArray(gates, offGates + 2 * stride, m);
        z.fma(FloatVector.fromArray(F, hPrev, offHPrev, m).sub(n), n).intoArray(h, offH, m);
    }

    /** One row of RecurrentKernel.gruBackward. */
    static void backwardRow(float[] gradGates, int offGradGates, float[] gradHiddenGates, int offGradHiddenGates,
                            float[] gradHPrev, int offGradHPrev, float[] gradH, int offGradH, float[] gates,
                            int offGates, float[] hiddenGates, int offHiddenGates, float[] hPrev, int offHPrev,
                            int hidden) {
        for (int j = 0; j < hidden; j += L) {
            int count = Math.min(L, hidden - j);
            int last = 2 * hidden + j;
            boolean direct = count == L || PanamaTail.fits(gradGates, offGradGates + last)
                    && PanamaTail.fits(gradHiddenGates, offGradHiddenGates + last)
                    && PanamaTail.fits(gradHPrev, offGradHPrev + j) && PanamaTail.fits(gradH, offGradH + j)
                    && PanamaTail.fits(gates, offGates + last) && PanamaTail.fits(hiddenGates, offHiddenGates + last)
                    && PanamaTail.fits(hPrev, offHPrev + j);
            // scratch: gates 0..3L, hidden gates 3L..6L, gradH 6L, hPrev 7L; outputs: gradGates
            // 8L..11L, gradHiddenGates 11L..14L, gradHPrev 14L
            float[] s = direct ? null : SCRATCH.get();
            if (!direct) {
                for (int q = 0; q < 3; q++) {
                    System.arraycopy(gates, offGates + q * hidden + j, s, q * L, count);
                    System.arraycopy(hiddenGates, offHiddenGates + q * hidden + j, s, (3 + q) * L, count);
                }
                System.arraycopy(gradH, offGradH + j, s, 6 * L, count);
                System.arraycopy(hPrev, offHPrev + j, s, 7 * L, count);
            }
            backwardLanes(count, direct ? gradGates : s, direct ? offGradGates + j : 8 * L,
                    direct ? gradHiddenGates : s, direct ? offGradHiddenGates + j : 11 * L, direct ? hidden : L,
                    direct ? gradHPrev : s, direct ? offGradHPrev + j : 14 * L, direct ? gradH : s,
                    direct ? offGradH + j : 6 * L, direct ? gates : s, direct ? offGates + j : 0,
                    direct ? hiddenGates : s, direct ? offHiddenGates + j : 3 * L, direct ? hPrev : s,
                    direct ? offHPrev + j : 7 * L);
            if (!direct) {
                for (int q = 0; q < 3; q++) {
                    System.arraycopy(s, (8 + q) * L, gradGates, offGradGates + q * hidden + j, count);
                    System.arraycopy(s, (11 + q) * L, gradHiddenGates, offGradHiddenGates + q * hidden + j, count);
                }
                System.arraycopy(s, 14 * L, gradHPrev, offGradHPrev + j, count);
            }
        }
    }

    // dn = gradH (1 - z)(1 - n²), dz = gradH (hPrev - n) z (1 - z), dr = dn hn r (1 - r);
    // gradGates = (dr, dz, dn), gradHiddenGates = (dr, dz, r dn), gradHPrev = gradH z.
    private static void backwardLanes(int count, float[] gradGates, int offGradGates, float[] gradHiddenGates,
                                      int offGradHiddenGates, int stride, float[] gradHPrev, int offGradHPrev,
                                      float[] gradH, int offGradH, float[] gates, int offGates, float[] hiddenGates,
                                      int offHiddenGates, float[] hPrev, int offHPrev) {
        VectorMask<Float> m = F.indexInRange(0, count);
        FloatVector one = PanamaFunctions.ONE;
        FloatVector r = FloatVector.fromArray(F, gates, offGates, m);
        FloatVector z = FloatVector.fromArray(F, gates, offGates + stride, m);
        FloatVector n = FloatVector.fromArray(F, gates, offGates + 2 * stride, m);
        FloatVector hn = FloatVector.fromArray(F, hiddenGates, offHiddenGates + 2 * stride, m);
        FloatVector dh = FloatVector.fromArray(F, gradH, offGradH, m);
        FloatVector dn = dh.mul(one.sub(z)).mul(n.neg().fma(n, one));
        FloatVector dz = dh.mul(FloatVector.fromArray(F, hPrev, offHPrev, m).sub(n)).mul(z.mul(one.sub(z)));
        FloatVector dr = dn.mul(hn).mul(r.mul(one.sub(r)));
        dr.intoArray(gradGates, offGradGates, m);
        dz.intoArray(gradGates, offGradGates + stride, m);
        dn.intoArray(gradGates, offGradGates + 2 * stride, m);
        dr.intoArray(gradHiddenGates, offGradHiddenGates, m);
        dz.intoArray(gradHiddenGates, offGradHiddenGates + stride, m);
        r.mul(dn).intoArray(gradHiddenGates, offGradHiddenGates + 2 * stride, m);
        dh.mul(z).intoArray(gradHPrev, offGradHPrev, m);
    }
}
