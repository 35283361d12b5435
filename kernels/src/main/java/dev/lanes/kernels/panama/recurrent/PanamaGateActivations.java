package dev.lanes.kernels.panama.recurrent;

import dev.lanes.kernels.panama.math.PanamaFunctions;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sigmoid and tanh in place over one row's gate range, masked at its end; when the last vector
 * would reach past the end of the array it runs on a per-thread copy (see {@link PanamaTail}), so
 * every lane is computed by the same code at every width. The same functions as the activation
 * kernels ({@link PanamaFunctions}), one per loop.
 */
final class PanamaGateActivations {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final int L = F.length();

    private PanamaGateActivations() {
    }

    /** a[offset .. offset + length) = sigmoid of itself. */
    static void sigmoid(float[] a, int offset, int length) {
        for (int j = 0; j < length; j += L) {
            int count = Math.min(L, length - j);
            boolean direct = count == L || PanamaTail.fits(a, offset + j);
            float[] s = direct ? a : PanamaTail.copyIn(count, a, offset + j, null, 0);
            int at = direct ? offset + j : PanamaTail.IN0;
            VectorMask<Float> m = F.indexInRange(0, count);
            PanamaFunctions.sigmoid(FloatVector.fromArray(F, s, at, m)).intoArray(s, at, m);
            if (!direct) {
                System.arraycopy(s, PanamaTail.IN0, a, offset + j, count);
            }
        }
    }

    /** a[offset .. offset + length) = tanh of itself. */
    static void tanh(float[] a, int offset, int length) {
        for (int j = 0; j < length; j += L) {
            int count = Math.min(L, length - j);
            boolean direct = count == L || PanamaTail.fits(a, offset + j);
            float[] s = direct ? a : PanamaTail.copyIn(count, a, offset + j, null, 0);
            int at = direct ? offset + j : PanamaTail.IN0;
            VectorMask<Float> m = F.indexInRange(0, count);
            PanamaFunctions.tanh(FloatVector.fromArray(F, s, at, m)).intoArray(s, at, m);
            if (!direct) {
                System.arraycopy(s, PanamaTail.IN0, a, offset + j, count);
            }
        }
    }
}
