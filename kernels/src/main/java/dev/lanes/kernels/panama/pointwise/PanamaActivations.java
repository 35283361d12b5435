package dev.lanes.kernels.panama.pointwise;

import dev.lanes.kernels.spi.ActivationKernel;
import dev.lanes.kernels.panama.support.ChunkCall;
import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.math.PanamaFunctions;
import dev.lanes.kernels.panama.math.PanamaMultiPass;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.NE;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector activations, forward here and backward in {@link PanamaActivationGradients}. One loop
 * per function, so each compiles to straight-line vector code: the cheap ones as a full-vector
 * loop and a masked last vector, the transcendental ones as a single masked loop (the body, a
 * composition of small PanamaFunctions, appears once); GELU with erf and softplus run as passes in
 * {@link PanamaMultiPass}. Long arrays are split into the fixed {@link Chunks} on the kernel pool.
 *
 * <p>The cheap loops (step, ReLU, leaky ReLU, hard sigmoid, softsign) build their constant vectors
 * as locals: with the static final vectors of PanamaFunctions C2 did not keep them in registers,
 * and ReLU over 1024 floats took 108 ns instead of 59 (JMH ActivationBench, one fork each).
 */
public final class PanamaActivations implements ActivationKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final FloatVector ZERO = PanamaFunctions.ZERO;
    private static final FloatVector SELU_LAMBDA = PanamaFunctions.constant((float) Activation.SELU_LAMBDA);
    private static final FloatVector SELU_LAMBDA_ALPHA =
            PanamaFunctions.constant((float) (Activation.SELU_LAMBDA * Activation.SELU_ALPHA));

    @Override
    public void forward(Activation.Kind kind, float parameter, float[] out, int offOut, float[] in, int offIn,
                        int length) {
        if (kind == Activation.Kind.IDENTITY) {
            if (out != in || offOut != offIn) {
                System.arraycopy(in, offIn, out, offOut, length);
            }
            return;
        }
        if (length < threshold(kind)) {
            span(kind, parameter, out, offOut, in, offIn, length);
            return;
        }
        ChunkCall call = ChunkCall.get(FORWARD_CHUNK, kind, out, offOut, in, offIn, length);
        call.p0 = parameter;
        call.start(Chunks.count(length));
    }

    /** One chunk of a long forward call: no capturing lambda, so the call allocates nothing. */
    private static final ChunkCall.Body FORWARD_CHUNK = (c, chunk) -> {
        int start = Chunks.start(chunk);
        span((Activation.Kind) c.op, c.p0, c.out, c.offOut + start, c.in, c.offIn + start,
                Chunks.length(chunk, c.length));
    };

    @Override
    public void backward(Activation.Kind kind, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                         int offGradOut, float[] saved, int offSaved, int length) {
        PanamaActivationGradients.backward(kind, parameter, gradIn, offGradIn, gradOut, offGradOut, saved,
                offSaved, length);
    }

    /** The length from which a function runs on the pool: later for the memory-bound ones. */
    static int threshold(Activation.Kind kind) {
        return switch (kind) {
            case STEP, IDENTITY, RELU, LEAKY_RELU, HARD_SIGMOID, SOFTSIGN -> Chunks.MEMORY_PARALLEL;
            default -> Chunks.TRANSCENDENTAL_PARALLEL;
        };
    }

    private static void span(Activation.Kind kind, float parameter, float[] out, int offOut, float[] in, int offIn,
                             int length) {
        PanamaTail.unary(BY_KIND[kind.ordinal()], parameter, out, offOut, in, offIn, length);
    }

    /** The loop of each kind, by ordinal. */
    private static final Loop[] BY_KIND = Loop.byKind();

    /**
     * The loops, one enum constant each, called through an abstract method. C2 sees that call as
     * megamorphic and compiles every loop as a unit of its own; a switch calling static loops
     * would let it inline all of them into one method, where the node budget
     * (NodeCountInliningCutoff) runs out and the vector functions stop being inlined.
     */
    private enum Loop implements PanamaTail.Span {
        STEP {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                step(out, offOut, in, offIn, length);
            }
        },
        IDENTITY {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                System.arraycopy(in, offIn, out, offOut, length);
            }
        },
        SIGMOID {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                sigmoid(out, offOut, in, offIn, length);
            }
        },
        TANH {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                tanh(out, offOut, in, offIn, length);
            }
        },
        RELU {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                relu(out, offOut, in, offIn, length);
            }
        },
        LEAKY_RELU {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                leakyRelu(parameter, out, offOut, in, offIn, length);
            }
        },
        ELU {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                elu(parameter, out, offOut, in, offIn, length);
            }
        },
        SELU {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                selu(out, offOut, in, offIn, length);
            }
        },
        GELU_TANH {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                geluTanh(out, offOut, in, offIn, length);
            }
        },
        GELU_ERF {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                geluErf(out, offOut, in, offIn, length);
            }
        },
        SOFTPLUS {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                softplus(out, offOut, in, offIn, length);
            }
        },
        SOFTSIGN {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                softsign(out, offOut, in, offIn, length);
            }
        },
        HARD_SIGMOID {
            @Override
            public void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
                hardSigmoid(out, offOut, in, offIn, length);
            }
        };

        /** The loop of each kind, by ordinal (null for kinds without one). */
        private static Loop[] byKind() {
            Loop[] loops = new Loop[Activation.Kind.values().length];
            for (Loop loop : values()) {
                loops[Activation.Kind.valueOf(loop.name()).ordinal()] = loop;
            }
            return loops;
        }

        @Override
        public abstract void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length);
    }

    // 1 where x > 0, NaN where x is NaN, else 0
    private static void step(float[] out, int offOut, float[] in, int offIn, int length) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, in, offIn + i);
            zero.blend(one, zero.lt(v)).blend(v, v.compare(NE, v)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector v = FloatVector.fromArray(F, in, offIn + i, tail);
            zero.blend(one, zero.lt(v)).blend(v, v.compare(NE, v)).intoArray(out, offOut + i, tail);
        }
    }

    // x <= 0 (including -0) gives +0 and NaN fails the test: Math.max(x, 0) exactly
    private static void relu(float[] out, int offOut, float[] in, int offIn, int length) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, in, offIn + i);
            v.blend(zero, v.compare(LE, zero)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector v = FloatVector.fromArray(F, in, offIn + i, tail);
            v.blend(zero, v.compare(LE, zero)).intoArray(out, offOut + i, tail);
        }
    }

    // slope * x, replaced by x where x > 0; NaN * slope is NaN
    private static void leakyRelu(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
        FloatVector p = FloatVector.broadcast(F, parameter);
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, in, offIn + i);
            v.mul(p).blend(v, zero.lt(v)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector v = FloatVector.fromArray(F, in, offIn + i, tail);
            v.mul(p).blend(v, zero.lt(v)).intoArray(out, offOut + i, tail);
        }
    }

    // clip((x + 3) / 6, 0, 1). The clip is done on the bits as ints: from +0 to +Inf a float's bits
    // order as its value, every negative float (-0, -Inf) has negative bits, so max(bits, 0) and
    // min(bits, bits of 1) clip exactly, each one vector operation. NaN lanes (either sign) would
    // come out 0 or 1, so both run masked to the lanes where x == x (y is NaN exactly where x is:
    // +-Inf stay infinite), and NaN keeps its bits. At 1K floats (in L1) the vector operations,
    // not memory, bound this loop: a float clip takes a compare and a blend per bound (six
    // operations in all), the integer clip with a NaN blend after it also six, this one five
    // (about 5% faster there than the NaN blend; 7% before that over the float clip). The NaN test
    // reads x rather than y so that it runs beside the add and the multiply instead of after
    // them: the shorter dependency chain took another 7% off a 1K call (57-62 ns from 62-67 in a
    // scratch sweep over array placements).
    private static void hardSigmoid(float[] out, int offOut, float[] in, int offIn, int length) {
        FloatVector three = FloatVector.broadcast(F, 3f);
        FloatVector sixth = FloatVector.broadcast(F, 1f / 6f);
        IntVector zero = IntVector.zero(I);
        IntVector one = IntVector.broadcast(I, Float.floatToRawIntBits(1f));
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            hardSigmoid(FloatVector.fromArray(F, in, offIn + i), three, sixth, zero, one).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            hardSigmoid(FloatVector.fromArray(F, in, offIn + i, tail), three, sixth, zero, one)
                    .intoArray(out, offOut + i, tail);
        }
    }

    private static FloatVector hardSigmoid(FloatVector x, FloatVector three, FloatVector sixth, IntVector zero,
                                           IntVector one) {
        VectorMask<Integer> number = x.compare(EQ, x).cast(I);
        FloatVector y = x.add(three).mul(sixth);
        return y.reinterpretAsInts().lanewise(MAX, zero, number).lanewise(MIN, one, number).reinterpretAsFloats();
    }

    // x / (1 + |x|), x clamped to +-2^25 first (softsign rounds to +-1 there; keeps Inf / Inf out)
    private static void softsign(float[] out, int offOut, float[] in, int offIn, int length) {
        FloatVector low = FloatVector.broadcast(F, -33554432f);
        FloatVector high = FloatVector.broadcast(F, 33554432f);
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector c = PanamaFunctions.clamp(FloatVector.fromArray(F, in, offIn + i), low, high);
            c.div(c.abs().add(one)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector c = PanamaFunctions.clamp(FloatVector.fromArray(F, in, offIn + i, tail), low, high);
            c.div(c.abs().add(one)).intoArray(out, offOut + i, tail);
        }
    }

    private static void sigmoid(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            FloatVector y = PanamaFunctions.sigmoid(x);
            y.intoArray(out, offOut + i, m);
        }
    }

    private static void tanh(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            FloatVector y = PanamaFunctions.tanh(x);
            y.intoArray(out, offOut + i, m);
        }
    }

    // x for x > 0, else alpha * expm1(x); expm1 keeps -0, so elu(-0) = -0 as in the reference
    private static void elu(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
        FloatVector alpha = FloatVector.broadcast(F, parameter);
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            VectorMask<Float> positive = ZERO.lt(x);
            FloatVector y = PanamaFunctions.expm1(x.blend(ZERO, positive)).mul(alpha).blend(x, positive);
            y.intoArray(out, offOut + i, m);
        }
    }

    // lambda x for x > 0, else lambda alpha expm1(x)
    private static void selu(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            VectorMask<Float> positive = ZERO.lt(x);
            FloatVector y = PanamaFunctions.expm1(x.blend(ZERO, positive)).mul(SELU_LAMBDA_ALPHA)
                    .blend(x.mul(SELU_LAMBDA), positive);
            y.intoArray(out, offOut + i, m);
        }
    }

    private static void geluTanh(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            FloatVector y = PanamaFunctions.geluTanh(x);
            y.intoArray(out, offOut + i, m);
        }
    }

    private static void geluErf(float[] out, int offOut, float[] in, int offIn, int length) {
        PanamaMultiPass.run(PanamaMultiPass.GELU_ERF, out, offOut, in, offIn, null, 0, length);
    }

    private static void softplus(float[] out, int offOut, float[] in, int offIn, int length) {
        PanamaMultiPass.run(PanamaMultiPass.SOFTPLUS, out, offOut, in, offIn, null, 0, length);
    }
}
