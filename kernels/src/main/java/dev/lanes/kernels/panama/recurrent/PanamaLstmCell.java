package dev.lanes.kernels.panama.recurrent;

import dev.lanes.kernels.panama.math.PanamaFunctions;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The passes of one row of an LSTM step (see {@link PanamaRecurrent} for their order): forward,
 * after the gates are activated ({@link PanamaGateActivations}), the cell update; backward, the
 * cell gradient (with the one tanh) and then the gate gradients. One transcendental function per
 * pass keeps each within C2's inlining budget, so no vector is boxed.
 *
 * <p>A row's last vector is masked. When it would reach past the end of an array (the last row
 * of a matrix whose width is not a multiple of the vector), the inputs are copied to a per-thread
 * scratch, the same lane code runs there and the outputs are copied back, so every lane is
 * computed alike at every width and no masked access takes the Vector API's checked path (see
 * {@link PanamaTail}).
 */
final class PanamaLstmCell {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final int L = F.length();
    /** Scratch for a last vector: up to eight vectors. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[8 * L]);

    private PanamaLstmCell() {
    }

    /**
     * The cell update of one row of RecurrentKernel.lstmForward, from gates (4 hidden) already
     * activated: c and h (hidden).
     */
    static void cellRow(float[] h, int offH, float[] c, int offC, float[] gates, int offGates, float[] cPrev,
                        int offCPrev, int hidden) {
        for (int j = 0; j < hidden; j += L) {
            int count = Math.min(L, hidden - j);
            boolean direct = count == L || PanamaTail.fits(h, offH + j) && PanamaTail.fits(c, offC + j)
                    && PanamaTail.fits(gates, offGates + 3 * hidden + j) && PanamaTail.fits(cPrev, offCPrev + j);
            // scratch: gates 0..4L, cPrev 4L, c 5L, h 6L
            float[] s = direct ? null : SCRATCH.get();
            if (!direct) {
                for (int q = 0; q < 4; q++) {
                    System.arraycopy(gates, offGates + q * hidden + j, s, q * L, count);
                }
                System.arraycopy(cPrev, offCPrev + j, s, 4 * L, count);
            }
            cellLanes(count, direct ? h : s, direct ? offH + j : 6 * L, direct ? c : s, direct ? offC + j : 5 * L,
                    direct ? gates : s, direct ? offGates + j : 0, direct ? hidden : L, direct ? cPrev : s,
                    direct ? offCPrev + j : 4 * L);
            if (!direct) {
                System.arraycopy(s, 5 * L, c, offC + j, count);
                System.arraycopy(s, 6 * L, h, offH + j, count);
            }
        }
    }

    // c = f cPrev + i g, h = o tanh(c), for count lanes; gate q at gates[offGates + q stride]
    private static void cellLanes(int count, float[] h, int offH, float[] c, int offC, float[] gates, int offGates,
                                  int stride, float[] cPrev, int offCPrev) {
        VectorMask<Float> m = F.indexInRange(0, count);
        FloatVector i = FloatVector.fromArray(F, gates, offGates, m);
        FloatVector f = FloatVector.fromArray(F, gates, offGates + stride, m);
        FloatVector g = FloatVector.fromArray(F, gates, offGates + 2 * stride, m);
        FloatVector o = FloatVector.fromArray(F, gates, offGates + 3 * stride, m);
        FloatVector cell = i.fma(g, f.mul(FloatVector.fromArray(F, cPrev, offCPrev, m)));
        cell.intoArray(c, offC, m);
        o.mul(PanamaFunctions.tanh(cell)).intoArray(h, offH, m);
    }

    /**
     * The first backward pass of one row of RecurrentKernel.lstmBackward: gradC becomes dc and
     * the output gate's gradient is written.
     */
    static void cellGradientRow(float[] gradGates, int offGradGates, float[] gradC, int offGradC, float[] gradH,
                                int offGradH, float[] gates, int offGates, float[] c, int offC, int hidden) {
        int o = 3 * hidden;
        for (int j = 0; j < hidden; j += L) {
            int count = Math.min(L, hidden - j);
            boolean direct = count == L || PanamaTail.fits(gradGates, offGradGates + o + j)
                    && PanamaTail.fits(gradC, offGradC + j) && PanamaTail.fits(gradH, offGradH + j)
                    && PanamaTail.fits(gates, offGates + o + j) && PanamaTail.fits(c, offC + j);
            // scratch: o 0, gradC L, gradH 2L, c 3L, gradient of o 4L
            float[] s = direct ? null : SCRATCH.get();
            if (!direct) {
                System.arraycopy(gates, offGates + o + j, s, 0, count);
                System.arraycopy(gradC, offGradC + j, s, L, count);
                System.arraycopy(gradH, offGradH + j, s, 2 * L, count);
                System.arraycopy(c, offC + j, s, 3 * L, count);
            }
            cellGradientLanes(count, direct ? gradGates : s, direct ? offGradGates + o + j : 4 * L,
                    direct ? gradC : s, direct ? offGradC + j : L, direct ? gradH : s, direct ? offGradH + j : 2 * L,
                    direct ? gates : s, direct ? offGates + o + j : 0, direct ? c : s, direct ? offC + j : 3 * L);
            if (!direct) {
                System.arraycopy(s, 4 * L, gradGates, offGradGates + o + j, count);
                System.arraycopy(s, L, gradC, offGradC + j, count);
            }
        }
    }

    /**
     * The second backward pass of one row: from dc in gradC, the gradients of i, f, g, and gradC
     * becomes dcPrev.
     */
    static void gateGradientRow(float[] gradGates, int offGradGates, float[] gradC, int offGradC, float[] gates,
                                int offGates, float[] cPrev, int offCPrev, int hidden) {
        for (int j = 0; j < hidden; j += L) {
            int count = Math.min(L, hidden - j);
            boolean direct = count == L || PanamaTail.fits(gradGates, offGradGates + 2 * hidden + j)
                    && PanamaTail.fits(gradC, offGradC + j) && PanamaTail.fits(gates, offGates + 2 * hidden + j)
                    && PanamaTail.fits(cPrev, offCPrev + j);
            // scratch: gates i, f, g 0..3L, gradients of i, f, g 3L..6L, gradC 6L, cPrev 7L
            float[] s = direct ? null : SCRATCH.get();
            if (!direct) {
                for (int q = 0; q < 3; q++) {
                    System.arraycopy(gates, offGates + q * hidden + j, s, q * L, count);
                }
                System.arraycopy(gradC, offGradC + j, s, 6 * L, count);
                System.arraycopy(cPrev, offCPrev + j, s, 7 * L, count);
            }
            gateGradientLanes(count, direct ? gradGates : s, direct ? offGradGates + j : 3 * L, direct ? hidden : L,
                    direct ? gradC : s, direct ? offGradC + j : 6 * L, direct ? gates : s, direct ? offGates + j : 0,
                    direct ? cPrev : s, direct ? offCPrev + j : 7 * L);
            if (!direct) {
                for (int q = 0; q < 3; q++) {
                    System.arraycopy(s, (3 + q) * L, gradGates, offGradGates + q * hidden + j, count);
                }
                System.arraycopy(s, 6 * L, gradC, offGradC + j, count);
            }
        }
    }

    // t = tanh(c), d(ao) = gradH t o (1 - o); gradC becomes dc = gradC + gradH o (1 - t²)
    private static void cellGradientLanes(int count, float[] gradO, int offGradO, float[] gradC, int offGradC,
                                          float[] gradH, int offGradH, float[] o, int offO, float[] c, int offC) {
        VectorMask<Float> m = F.indexInRange(0, count);
        FloatVector one = PanamaFunctions.ONE;
        FloatVector output = FloatVector.fromArray(F, o, offO, m);
        FloatVector t = PanamaFunctions.tanh(FloatVector.fromArray(F, c, offC, m));
        FloatVector dh = FloatVector.fromArray(F, gradH, offGradH, m);
        dh.mul(t).mul(output.mul(one.sub(output))).intoArray(gradO, offGradO, m);
        dh.mul(output).mul(t.neg().fma(t, one)).add(FloatVector.fromArray(F, gradC, offGradC, m))
                .intoArray(gradC, offGradC, m);
    }

    // From dc in gradC: d(ai) = dc g i (1 - i), d(af) = dc cPrev f (1 - f), d(ag) = dc i (1 - g²);
    // gradC becomes dcPrev = dc f. Both gate matrices use the same stride between gates.
    private static void gateGradientLanes(int count, float[] gradGates, int offGradGates, int stride, float[] gradC,
                                          int offGradC, float[] gates, int offGates, float[] cPrev, int offCPrev) {
        VectorMask<Float> m = F.indexInRange(0, count);
        FloatVector one = PanamaFunctions.ONE;
        FloatVector i = FloatVector.fromArray(F, gates, offGates, m);
        FloatVector f = FloatVector.fromArray(F, gates, offGates + stride, m);
        FloatVector g = FloatVector.fromArray(F, gates, offGates + 2 * stride, m);
        FloatVector dc = FloatVector.fromArray(F, gradC, offGradC, m);
        dc.mul(g).mul(i.mul(one.sub(i))).intoArray(gradGates, offGradGates, m);
        dc.mul(FloatVector.fromArray(F, cPrev, offCPrev, m)).mul(f.mul(one.sub(f)))
                .intoArray(gradGates, offGradGates + stride, m);
        dc.mul(i).mul(g.neg().fma(g, one)).intoArray(gradGates, offGradGates + 2 * stride, m);
        dc.mul(f).intoArray(gradC, offGradC, m);
    }
}
