package dev.lanes.kernels.internal;

import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.LOG;
import static jdk.incubator.vector.VectorOperators.TANH;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API's own lanewise EXP, LOG and TANH over arrays: not used by any kernel, kept so that
 * the benchmarks can compare them with {@link PanamaMath} (on x86 HotSpot they call SVML stubs;
 * elsewhere they fall back to one scalar Math call per lane).
 */
public final class PanamaLanewiseMath {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    /** out = e^in with lanewise EXP (one loop per operator, so that C2 sees a constant operator). */
    public void exp(float[] out, int offOut, float[] in, int offIn, int length) {
        int head = PanamaTail.inPlace(length, out, offOut, in, offIn, null, 0);
        if (head < length) { // the last, partial vector on copies, inside the arrays (see PanamaTail)
            float[] tail = PanamaTail.copyIn(length - head, in, offIn + head, null, 0);
            exp(tail, PanamaTail.OUT, tail, PanamaTail.IN0, length - head);
            PanamaTail.copyOut(tail, out, offOut + head, length - head);
            length = head;
        }
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, in, offIn + i).lanewise(EXP).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, in, offIn + i, m).lanewise(EXP).intoArray(out, offOut + i, m);
        }
    }

    /** out = ln(in) with lanewise LOG (one loop per operator, so that C2 sees a constant operator). */
    public void log(float[] out, int offOut, float[] in, int offIn, int length) {
        int head = PanamaTail.inPlace(length, out, offOut, in, offIn, null, 0);
        if (head < length) { // the last, partial vector on copies, inside the arrays (see PanamaTail)
            float[] tail = PanamaTail.copyIn(length - head, in, offIn + head, null, 0);
            log(tail, PanamaTail.OUT, tail, PanamaTail.IN0, length - head);
            PanamaTail.copyOut(tail, out, offOut + head, length - head);
            length = head;
        }
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, in, offIn + i).lanewise(LOG).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, in, offIn + i, m).lanewise(LOG).intoArray(out, offOut + i, m);
        }
    }

    /** out = tanh(in) with lanewise TANH (one loop per operator, so that C2 sees a constant operator). */
    public void tanh(float[] out, int offOut, float[] in, int offIn, int length) {
        int head = PanamaTail.inPlace(length, out, offOut, in, offIn, null, 0);
        if (head < length) { // the last, partial vector on copies, inside the arrays (see PanamaTail)
            float[] tail = PanamaTail.copyIn(length - head, in, offIn + head, null, 0);
            tanh(tail, PanamaTail.OUT, tail, PanamaTail.IN0, length - head);
            PanamaTail.copyOut(tail, out, offOut + head, length - head);
            length = head;
        }
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, in, offIn + i).lanewise(TANH).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, in, offIn + i, m).lanewise(TANH).intoArray(out, offOut + i, m);
        }
    }
}
