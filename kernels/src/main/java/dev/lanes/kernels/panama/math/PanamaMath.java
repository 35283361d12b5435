package dev.lanes.kernels.panama.math;

import dev.lanes.kernels.panama.support.ChunkedMap;
import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import dev.lanes.kernels.spi.MathKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector transcendental functions over arrays, one loop per function over {@link PanamaFunctions}.
 * Each loop is a single masked loop (the mask is all-true but for the last vector), so the body
 * appears once and every element gets the same arithmetic whatever its position. Arrays of at
 * least {@link Chunks#TRANSCENDENTAL_PARALLEL} elements are split into fixed chunks run on the
 * kernel pool; the split does not change any result.
 *
 * <p>log1p is composed here rather than in PanamaFunctions, so that each function C2 has to
 * inline stays small (see PanamaFunctions); erf and erfc run as passes in {@link PanamaMultiPass}.
 */
public final class PanamaMath implements MathKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final FloatVector ONE = PanamaFunctions.ONE;

    @Override
    public void exp(float[] out, int offOut, float[] in, int offIn, int length) {
        run(Loop.EXP, out, offOut, in, offIn, length);
    }

    @Override
    public void expm1(float[] out, int offOut, float[] in, int offIn, int length) {
        run(Loop.EXPM1, out, offOut, in, offIn, length);
    }

    @Override
    public void log(float[] out, int offOut, float[] in, int offIn, int length) {
        run(Loop.LOG, out, offOut, in, offIn, length);
    }

    @Override
    public void log1p(float[] out, int offOut, float[] in, int offIn, int length) {
        run(Loop.LOG1P, out, offOut, in, offIn, length);
    }

    @Override
    public void tanh(float[] out, int offOut, float[] in, int offIn, int length) {
        run(Loop.TANH, out, offOut, in, offIn, length);
    }

    @Override
    public void sigmoid(float[] out, int offOut, float[] in, int offIn, int length) {
        run(Loop.SIGMOID, out, offOut, in, offIn, length);
    }

    @Override
    public void erf(float[] out, int offOut, float[] in, int offIn, int length) {
        run(Loop.ERF, out, offOut, in, offIn, length);
    }

    @Override
    public void erfc(float[] out, int offOut, float[] in, int offIn, int length) {
        run(Loop.ERFC, out, offOut, in, offIn, length);
    }

    private static void run(Loop loop, float[] out, int offOut, float[] in, int offIn, int length) {
        if (length < Chunks.TRANSCENDENTAL_PARALLEL) {
            span(loop, out, offOut, in, offIn, length);
            return;
        }
        Chunked.onPool(loop, out, offOut, in, offIn, length);
    }

    /** The task context of a long call on the pool: out = loop(in), a chunk per task. */
    private static final class Chunked extends ChunkedMap {
        private static final ThreadLocal<Chunked> CALLS = ThreadLocal.withInitial(Chunked::new);
        private Loop loop;

        static void onPool(Loop loop, float[] out, int offOut, float[] in, int offIn, int length) {
            Chunked call = CALLS.get();
            call.loop = loop;
            call.map(out, offOut, in, offIn, length);
        }

        @Override
        protected void span(float[] out, int offOut, float[] in, int offIn, int length) {
            PanamaMath.span(loop, out, offOut, in, offIn, length);
        }
    }

    private static void span(Loop loop, float[] out, int offOut, float[] in, int offIn, int length) {
        PanamaTail.unary(loop, 0f, out, offOut, in, offIn, length);
    }

    /**
     * The loops, one enum constant each, called through an abstract method. C2 sees that call as
     * megamorphic and compiles every loop as a unit of its own; a switch calling static loops
     * would let it inline all of them into one method, where the node budget
     * (NodeCountInliningCutoff) runs out and the vector functions stop being inlined.
     */
    private enum Loop implements PanamaTail.Span {
        EXP {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                expSpan(out, offOut, in, offIn, length);
            }
        },
        EXPM1 {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                expm1Span(out, offOut, in, offIn, length);
            }
        },
        LOG {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                logSpan(out, offOut, in, offIn, length);
            }
        },
        LOG1P {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                log1pSpan(out, offOut, in, offIn, length);
            }
        },
        TANH {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                tanhSpan(out, offOut, in, offIn, length);
            }
        },
        SIGMOID {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                sigmoidSpan(out, offOut, in, offIn, length);
            }
        },
        ERF {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                erfSpan(out, offOut, in, offIn, length);
            }
        },
        ERFC {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                erfcSpan(out, offOut, in, offIn, length);
            }
        };

        /** The loop; these functions take no parameter. */
        @Override
        public abstract void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length);
    }

    private static void expSpan(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            FloatVector y = PanamaFunctions.exp(x);
            y.intoArray(out, offOut + i, m);
        }
    }

    private static void expm1Span(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            FloatVector y = PanamaFunctions.expm1(x);
            y.intoArray(out, offOut + i, m);
        }
    }

    private static void logSpan(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            FloatVector y = PanamaFunctions.log(x);
            y.intoArray(out, offOut + i, m);
        }
    }

    private static void log1pSpan(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            FloatVector w = x.add(ONE);
            // log1pFinish(x, w, log(w)) with its correction taken first: called after log, the
            // helper was parsed at 17600 nodes, next to C2's NodeCountInliningCutoff (18000), past
            // which it is not inlined and its vectors are boxed (see PanamaFunctions).
            FloatVector correction = PanamaFunctions.log1pCorrection(x, w);
            FloatVector y = PanamaFunctions.log(w).add(correction).blend(x, x.eq(PanamaFunctions.ZERO));
            y.intoArray(out, offOut + i, m);
        }
    }

    private static void tanhSpan(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            FloatVector y = PanamaFunctions.tanh(x);
            y.intoArray(out, offOut + i, m);
        }
    }

    private static void sigmoidSpan(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            FloatVector y = PanamaFunctions.sigmoid(x);
            y.intoArray(out, offOut + i, m);
        }
    }

    private static void erfSpan(float[] out, int offOut, float[] in, int offIn, int length) {
        PanamaMultiPass.run(PanamaMultiPass.ERF, out, offOut, in, offIn, null, 0, length);
    }

    private static void erfcSpan(float[] out, int offOut, float[] in, int offIn, int length) {
        PanamaMultiPass.run(PanamaMultiPass.ERFC, out, offOut, in, offIn, null, 0, length);
    }
}
