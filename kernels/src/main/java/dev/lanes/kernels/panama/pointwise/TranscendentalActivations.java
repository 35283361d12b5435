package dev.lanes.kernels.panama.pointwise;

import static jdk.incubator.vector.VectorOperators.MIN;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.panama.math.PanamaFunctions;
import dev.lanes.kernels.panama.math.PanamaMultiPass;
import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The activations built on exp, tanh or erf, forward and backward: each a single masked loop (the
 * body, a composition of small PanamaFunctions, appears once), GELU with erf and softplus as passes
 * of {@link PanamaMultiPass}. They cost about a nanosecond per element, so they go to the pool
 * from {@link Chunks#TRANSCENDENTAL_PARALLEL}. The cheap backward loops (from a saved output) are
 * a full-vector loop and a masked last vector.
 */
final class TranscendentalActivations {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final FloatVector ZERO = PanamaFunctions.ZERO;
    private static final FloatVector ONE = PanamaFunctions.ONE;
    private static final FloatVector TWO = PanamaFunctions.TWO;
    private static final FloatVector MINUS_ZERO = PanamaFunctions.constant(-0f);
    private static final FloatVector SELU_LAMBDA = PanamaFunctions.constant((float) Activation.SELU_LAMBDA);
    private static final FloatVector SELU_LAMBDA_ALPHA =
            PanamaFunctions.constant((float) (Activation.SELU_LAMBDA * Activation.SELU_ALPHA));

    private TranscendentalActivations() {
    }

    /** Sigmoid. */
    static final class Sigmoid extends ActivationLoop {
        Sigmoid() {
            super(Chunks.TRANSCENDENTAL_PARALLEL);
        }

        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            for (int i = 0; i < length; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, length);
                FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
                FloatVector y = PanamaFunctions.sigmoid(x);
                y.intoArray(out, offOut + i, m);
            }
        }

        // g y (1 - y), with y (1 - y) = fma(-y, y, y) rounded once
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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
    }

    /** tanh. */
    static final class Tanh extends ActivationLoop {
        Tanh() {
            super(Chunks.TRANSCENDENTAL_PARALLEL);
        }

        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            for (int i = 0; i < length; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, length);
                FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
                FloatVector y = PanamaFunctions.tanh(x);
                y.intoArray(out, offOut + i, m);
            }
        }

        // g (1 - y^2), with 1 - y^2 = fma(-y, y, 1) rounded once (no cancellation near |y| = 1)
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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
    }

    /** ELU, the parameter its alpha. */
    static final class Elu extends ActivationLoop {
        Elu() {
            super(Chunks.TRANSCENDENTAL_PARALLEL);
        }

        // x for x > 0, else alpha expm1(x)
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            exponentialLinear(parameter, 1f, out, offOut, in, offIn, length);
        }

        // g where y > 0, else g (y + alpha) = g alpha e^x
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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
    }

    /** CELU, the parameter its alpha. */
    static final class Celu extends ActivationLoop {
        Celu() {
            super(Chunks.TRANSCENDENTAL_PARALLEL);
        }

        // x for x > 0, else alpha expm1(x / alpha)
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            exponentialLinear(parameter, parameter, out, offOut, in, offIn, length);
        }

        // g where y > 0, else g (y / alpha + 1) = g e^(x / alpha)
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                      float[] saved, int offSaved, int length) {
            FloatVector alpha = FloatVector.broadcast(F, parameter);
            int i = 0;
            for (int bound = F.loopBound(length); i < bound; i += F.length()) {
                FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
                FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
                g.mul(v.div(alpha).add(ONE)).blend(g, ZERO.lt(v)).intoArray(gradIn, offGradIn + i);
            }
            if (i < length) {
                VectorMask<Float> tail = F.indexInRange(i, length);
                FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
                FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
                g.mul(v.div(alpha).add(ONE)).blend(g, ZERO.lt(v)).intoArray(gradIn, offGradIn + i, tail);
            }
        }
    }

    /** SELU. */
    static final class Selu extends ActivationLoop {
        Selu() {
            super(Chunks.TRANSCENDENTAL_PARALLEL);
        }

        // lambda x for x > 0, else lambda alpha expm1(x)
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            for (int i = 0; i < length; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, length);
                FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
                VectorMask<Float> positive = ZERO.lt(x);
                FloatVector y = PanamaFunctions.expm1(x.blend(ZERO, positive)).mul(SELU_LAMBDA_ALPHA)
                        .blend(x.mul(SELU_LAMBDA), positive);
                y.intoArray(out, offOut + i, m);
            }
        }

        // lambda g where y > 0, else g (y + lambda alpha)
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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
    }

    /** GELU, tanh approximation. */
    static final class GeluTanh extends ActivationLoop {
        GeluTanh() {
            super(Chunks.TRANSCENDENTAL_PARALLEL);
        }

        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            for (int i = 0; i < length; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, length);
                FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
                FloatVector y = PanamaFunctions.geluTanh(x);
                y.intoArray(out, offOut + i, m);
            }
        }

        // g gelu'(x)
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                      float[] saved, int offSaved, int length) {
            for (int i = 0; i < length; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, length);
                FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, m);
                FloatVector x = FloatVector.fromArray(F, saved, offSaved + i, m);
                g.mul(PanamaFunctions.geluTanhDerivative(x)).intoArray(gradIn, offGradIn + i, m);
            }
        }
    }

    /** GELU with erf, as passes of PanamaMultiPass. */
    static final class GeluErf extends ActivationLoop {
        GeluErf() {
            super(Chunks.TRANSCENDENTAL_PARALLEL);
        }

        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            PanamaMultiPass.run(PanamaMultiPass.GELU_ERF, out, offOut, in, offIn, null, 0, length);
        }

        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                      float[] saved, int offSaved, int length) {
            PanamaMultiPass.run(PanamaMultiPass.GELU_ERF_BACKWARD, gradIn, offGradIn, saved, offSaved, gradOut,
                    offGradOut, length);
        }
    }

    /** Softplus. */
    static final class Softplus extends ActivationLoop {
        Softplus() {
            super(Chunks.TRANSCENDENTAL_PARALLEL);
        }

        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            PanamaMultiPass.run(PanamaMultiPass.SOFTPLUS, out, offOut, in, offIn, null, 0, length);
        }

        // g sigmoid(x)
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                      float[] saved, int offSaved, int length) {
            for (int i = 0; i < length; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, length);
                FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, m);
                FloatVector x = FloatVector.fromArray(F, saved, offSaved + i, m);
                g.mul(PanamaFunctions.sigmoid(x)).intoArray(gradIn, offGradIn + i, m);
            }
        }
    }

    /** Mish. */
    static final class Mish extends ActivationLoop {
        Mish() {
            super(Chunks.TRANSCENDENTAL_PARALLEL);
        }

        // x n / (n + 2) with n = e (e + 2), e = h^2, h = e^(x/2): x h h (e + 2) / (n + 2) keeps full
        // precision where e^x is subnormal (x h is normal down to x = -174); x itself from x = 20 on
        // (n / (n + 2) rounds to 1 there), -0 at -Inf
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            FloatVector limit = FloatVector.broadcast(F, 20f);
            for (int i = 0; i < length; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, length);
                FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
                FloatVector h = PanamaFunctions.exp(x.lanewise(MIN, limit).mul(PanamaFunctions.HALF));
                FloatVector e = h.mul(h);
                FloatVector ePlusTwo = e.add(PanamaFunctions.TWO);
                FloatVector y = x.mul(h).mul(h).mul(ePlusTwo.div(e.fma(ePlusTwo, PanamaFunctions.TWO)));
                y.blend(x, limit.lt(x)).blend(MINUS_ZERO, x.eq(PanamaFunctions.NEGATIVE_INFINITY))
                        .intoArray(out, offOut + i, m);
            }
        }

        // g (t + 4 x e (1 + e) / (n + 2)^2), e = e^x, n = e (e + 2), t = n / (n + 2); g from x = 20 on
        // (the second term is below 2^-50 there), 0 at -Inf
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                      float[] saved, int offSaved, int length) {
            FloatVector limit = FloatVector.broadcast(F, 20f);
            FloatVector four = FloatVector.broadcast(F, 4f);
            for (int i = 0; i < length; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, length);
                FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, m);
                FloatVector x = FloatVector.fromArray(F, saved, offSaved + i, m);
                FloatVector c = x.lanewise(MIN, limit);
                FloatVector e = PanamaFunctions.exp(c);
                FloatVector n = e.mul(e.add(TWO));
                FloatVector d = n.add(TWO);
                FloatVector t = n.div(d);
                // e (1 + e) first: 0 there (x below -104) keeps 4 x from overflowing into Inf * 0
                FloatVector slope = e.mul(e.add(ONE)).mul(four).mul(c).div(d.mul(d)).add(t);
                g.mul(slope).blend(g, limit.lt(x)).blend(ZERO, x.eq(PanamaFunctions.NEGATIVE_INFINITY))
                        .intoArray(gradIn, offGradIn + i, m);
            }
        }
    }

    // x for x > 0, else alpha expm1(x / divisor): ELU with divisor 1 (x / 1 is x, exactly), CELU with
    // divisor alpha; expm1 keeps -0, so elu(-0) = -0 as in the reference
    private static void exponentialLinear(float parameter, float divisor, float[] out, int offOut, float[] in,
                                          int offIn, int length) {
        FloatVector alpha = FloatVector.broadcast(F, parameter);
        FloatVector scale = FloatVector.broadcast(F, divisor);
        for (int i = 0; i < length; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            VectorMask<Float> positive = ZERO.lt(x);
            FloatVector y = PanamaFunctions.expm1(x.blend(ZERO, positive).div(scale)).mul(alpha).blend(x, positive);
            y.intoArray(out, offOut + i, m);
        }
    }
}
