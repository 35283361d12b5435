package dev.lanes.bench.activation;

import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API's own lanewise EXP, LOG and TANH over arrays: not used by any kernel, kept so that
 * the benchmarks can compare them with the kernels' {@code PanamaMath} (on x86 HotSpot they call SVML stubs;
 * elsewhere they fall back to one scalar Math call per lane).
 */
public final class PanamaLanewiseMath {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    /** out = e^in with lanewise EXP. */
    public void exp(float[] out, int offOut, float[] in, int offIn, int length) {
        PanamaTail.unary(Loop.EXP, 0f, out, offOut, in, offIn, length);
    }

    /** out = ln(in) with lanewise LOG. */
    public void log(float[] out, int offOut, float[] in, int offIn, int length) {
        PanamaTail.unary(Loop.LOG, 0f, out, offOut, in, offIn, length);
    }

    /** out = tanh(in) with lanewise TANH. */
    public void tanh(float[] out, int offOut, float[] in, int offIn, int length) {
        PanamaTail.unary(Loop.TANH, 0f, out, offOut, in, offIn, length);
    }

    /** One loop per operator, so that C2 sees a constant operator in each. */
    private enum Loop implements PanamaTail.Span {
        EXP {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                int i = 0;
                for (int bound = F.loopBound(length); i < bound; i += F.length()) {
                    FloatVector.fromArray(F, in, offIn + i).lanewise(VectorOperators.EXP).intoArray(out, offOut + i);
                }
                if (i < length) {
                    VectorMask<Float> m = F.indexInRange(i, length);
                    FloatVector.fromArray(F, in, offIn + i, m).lanewise(VectorOperators.EXP)
                            .intoArray(out, offOut + i, m);
                }
            }
        },
        LOG {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                int i = 0;
                for (int bound = F.loopBound(length); i < bound; i += F.length()) {
                    FloatVector.fromArray(F, in, offIn + i).lanewise(VectorOperators.LOG).intoArray(out, offOut + i);
                }
                if (i < length) {
                    VectorMask<Float> m = F.indexInRange(i, length);
                    FloatVector.fromArray(F, in, offIn + i, m).lanewise(VectorOperators.LOG)
                            .intoArray(out, offOut + i, m);
                }
            }
        },
        TANH {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                int i = 0;
                for (int bound = F.loopBound(length); i < bound; i += F.length()) {
                    FloatVector.fromArray(F, in, offIn + i).lanewise(VectorOperators.TANH).intoArray(out, offOut + i);
                }
                if (i < length) {
                    VectorMask<Float> m = F.indexInRange(i, length);
                    FloatVector.fromArray(F, in, offIn + i, m).lanewise(VectorOperators.TANH)
                            .intoArray(out, offOut + i, m);
                }
            }
        }
    }
}
