package dev.lanes.kernels.panama.pointwise;

import dev.lanes.kernels.panama.support.ChunkCall;
import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.math.PanamaFunctions;
import dev.lanes.kernels.panama.math.PanamaMultiPass;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.NE;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Backward passes of {@link PanamaActivations}: gradIn = gradOut * f'(saved), one loop per
 * function (full vectors and a masked last one; a single masked loop for the transcendental
 * ones), long arrays in fixed chunks on the kernel pool.
 */
final class PanamaActivationGradients {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final FloatVector ZERO = PanamaFunctions.ZERO;
    private static final FloatVector ONE = PanamaFunctions.ONE;
    private static final FloatVector SELU_LAMBDA = PanamaFunctions.constant((float) Activation.SELU_LAMBDA);
    private static final FloatVector SELU_LAMBDA_ALPHA =
            PanamaFunctions.constant((float) (Activation.SELU_LAMBDA * Activation.SELU_ALPHA));
    private static final FloatVector SIXTH = PanamaFunctions.constant(1f / 6f);

    private PanamaActivationGradients() {
    }

    static void backward(Activation.Kind kind, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                         int offGradOut, float[] saved, int offSaved, int length) {
        switch (kind) {
            case STEP -> Arrays.fill(gradIn, offGradIn, offGradIn + length, 0f);
            case IDENTITY -> {
                if (gradIn != gradOut || offGradIn != offGradOut) {
                    System.arraycopy(gradOut, offGradOut, gradIn, offGradIn, length);
                }
            }
            default -> {
                if (length < PanamaActivations.threshold(kind)) {
                    span(kind, parameter, gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
                    return;
                }
                ChunkCall call = ChunkCall.get(CHUNK, kind, gradIn, offGradIn, gradOut, offGradOut, length);
                call.p0 = parameter;
                call.other = saved;
                call.offOther = offSaved;
                call.start(Chunks.count(length));
            }
        }
    }

    /** One chunk of a long call: no capturing lambda, so the call allocates nothing. */
    private static final ChunkCall.Body CHUNK = (c, chunk) -> {
        int start = Chunks.start(chunk);
        span((Activation.Kind) c.op, c.p0, c.out, c.offOut + start, c.in, c.offIn + start, c.other,
                c.offOther + start, Chunks.length(chunk, c.length));
    };

    /**
     * Runs the loop in place up to {@link PanamaTail#inPlace}, the rest (if any) on PanamaTail's
     * scratch, through one call site (see PanamaActivations.span).
     */
    private static void span(Activation.Kind kind, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                             int offGradOut, float[] saved, int offSaved, int length) {
        int head = PanamaTail.inPlace(length, gradIn, offGradIn, gradOut, offGradOut, saved, offSaved);
        int n = length - head;
        float[] tail = n > 0 ? PanamaTail.copyIn(n, gradOut, offGradOut + head, saved, offSaved + head) : null;
        for (int part = tail == null ? 1 : 0; part < 2; part++) {
            boolean scratch = part == 0; // the tail first, then the head in place
            BY_KIND[kind.ordinal()].run(parameter, scratch ? tail : gradIn, scratch ? PanamaTail.OUT : offGradIn,
                    scratch ? tail : gradOut, scratch ? PanamaTail.IN0 : offGradOut,
                    scratch ? tail : saved, scratch ? PanamaTail.IN1 : offSaved, scratch ? n : head);
        }
        if (tail != null) {
            PanamaTail.copyOut(tail, gradIn, offGradIn + head, n);
        }
    }

    /** The loop of each kind, by ordinal. */
    private static final Loop[] BY_KIND = Loop.byKind();

    /**
     * The loops, one enum constant each, called through an abstract method. C2 sees that call as
     * megamorphic and compiles every loop as a unit of its own; a switch calling static loops
     * would let it inline all of them into one method, where the node budget
     * (NodeCountInliningCutoff) runs out and the vector functions stop being inlined.
     */
    private enum Loop {
        SIGMOID {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                sigmoid(gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
            }
        },
        TANH {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                tanh(gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
            }
        },
        RELU {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                relu(gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
            }
        },
        LEAKY_RELU {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                leakyRelu(parameter, gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
            }
        },
        ELU {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                elu(parameter, gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
            }
        },
        SELU {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                selu(gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
            }
        },
        GELU_TANH {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                geluTanh(gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
            }
        },
        GELU_ERF {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                geluErf(gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
            }
        },
        SOFTPLUS {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                softplus(gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
            }
        },
        SOFTSIGN {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                softsign(gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
            }
        },
        HARD_SIGMOID {
            @Override
            void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                     float[] saved, int offSaved, int length) {
                hardSigmoid(gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
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

        abstract void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                          float[] saved, int offSaved, int length);
    }

    // g where y > 0, 0 where y <= 0, NaN where y is NaN
    private static void relu(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                             float[] saved, int offSaved, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
            g.blend(ZERO, v.compare(LE, ZERO)).blend(v, v.compare(NE, v)).intoArray(gradIn, offGradIn + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
            g.blend(ZERO, v.compare(LE, ZERO)).blend(v, v.compare(NE, v)).intoArray(gradIn, offGradIn + i, tail);
        }
    }

    // g where x > 0, slope * g elsewhere, NaN where x is NaN
    private static void leakyRelu(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                                  float[] saved, int offSaved, int length) {
        FloatVector p = FloatVector.broadcast(F, parameter);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
            g.mul(p).blend(g, ZERO.lt(v)).blend(v, v.compare(NE, v)).intoArray(gradIn, offGradIn + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
            g.mul(p).blend(g, ZERO.lt(v)).blend(v, v.compare(NE, v)).intoArray(gradIn, offGradIn + i, tail);
        }
    }

    // g / 6 where 0 < y < 1, else 0; NaN where y is NaN
    private static void hardSigmoid(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                                    float[] saved, int offSaved, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
            hardSigmoidSlope(g, v).intoArray(gradIn, offGradIn + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
            hardSigmoidSlope(g, v).intoArray(gradIn, offGradIn + i, tail);
        }
    }

    // g / (1 + |x|)^2, as g t t with t = 1 / (1 + |x|) so that t^2 may be subnormal
    private static void softsign(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                                 float[] saved, int offSaved, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
            softsignSlope(g, v).intoArray(gradIn, offGradIn + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
            softsignSlope(g, v).intoArray(gradIn, offGradIn + i, tail);
        }
    }

    // g y (1 - y), with y (1 - y) = fma(-y, y, y) rounded once
    private static void sigmoid(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                                float[] saved, int offSaved, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
            g.mul(v.neg().fma(v, v)).intoArray(gradIn, offGradIn + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
            g.mul(v.neg().fma(v, v)).intoArray(gradIn, offGradIn + i, tail);
        }
    }

    // g (1 - y^2), with 1 - y^2 = fma(-y, y, 1) rounded once (no cancellation near |y| = 1)
    private static void tanh(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                             float[] saved, int offSaved, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
            g.mul(v.neg().fma(v, ONE)).intoArray(gradIn, offGradIn + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
            g.mul(v.neg().fma(v, ONE)).intoArray(gradIn, offGradIn + i, tail);
        }
    }

    // g where y > 0, else g (y + alpha) = g alpha e^x
    private static void elu(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                            float[] saved, int offSaved, int length) {
        FloatVector p = FloatVector.broadcast(F, parameter);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
            g.mul(v.add(p)).blend(g, ZERO.lt(v)).intoArray(gradIn, offGradIn + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
            g.mul(v.add(p)).blend(g, ZERO.lt(v)).intoArray(gradIn, offGradIn + i, tail);
        }
    }

    // lambda g where y > 0, else g (y + lambda alpha)
    private static void selu(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                             float[] saved, int offSaved, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
            g.mul(v.add(SELU_LAMBDA_ALPHA)).blend(g.mul(SELU_LAMBDA), ZERO.lt(v)).intoArray(gradIn, offGradIn + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
            FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
            g.mul(v.add(SELU_LAMBDA_ALPHA)).blend(g.mul(SELU_LAMBDA), ZERO.lt(v))
                    .intoArray(gradIn, offGradIn + i, tail);
        }
    }

    // g gelu'(x)
    private static void geluTanh(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                                 float[] saved, int offSaved, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, m);
            FloatVector x = FloatVector.fromArray(F, saved, offSaved + i, m);
            g.mul(PanamaFunctions.geluTanhDerivative(x)).intoArray(gradIn, offGradIn + i, m);
        }
    }

    private static void geluErf(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                                float[] saved, int offSaved, int length) {
        PanamaMultiPass.run(PanamaMultiPass.GELU_ERF_BACKWARD, gradIn, offGradIn, saved, offSaved, gradOut, offGradOut,
                length);
    }

    // g sigmoid(x)
    private static void softplus(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                                 float[] saved, int offSaved, int length) {
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, m);
            FloatVector x = FloatVector.fromArray(F, saved, offSaved + i, m);
            g.mul(PanamaFunctions.sigmoid(x)).intoArray(gradIn, offGradIn + i, m);
        }
    }

    private static FloatVector hardSigmoidSlope(FloatVector g, FloatVector y) {
        VectorMask<Float> inside = ZERO.lt(y).and(y.lt(ONE));
        return g.mul(SIXTH).blend(ZERO, inside.not()).blend(y, y.compare(NE, y));
    }

    private static FloatVector softsignSlope(FloatVector g, FloatVector x) {
        FloatVector t = ONE.div(x.abs().add(ONE));
        return g.mul(t).mul(t);
    }
}
