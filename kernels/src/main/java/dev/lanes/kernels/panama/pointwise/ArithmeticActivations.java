package dev.lanes.kernels.panama.pointwise;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.NE;

import dev.lanes.kernels.panama.math.PanamaFunctions;
import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The activations made of compares, adds, multiplies and divides (no transcendental function),
 * each a full-vector loop and a masked last vector, forward and backward. They are bound by memory
 * once the data leaves the caches, so they go to the pool only from {@link Chunks#MEMORY_PARALLEL}.
 *
 * <p>The forward loops build their constant vectors as locals: with the static final vectors of
 * PanamaFunctions C2 did not keep them in registers (ReLU over 1K floats took nearly twice as
 * long).
 */
final class ArithmeticActivations {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final FloatVector ZERO = PanamaFunctions.ZERO;
    private static final FloatVector ONE = PanamaFunctions.ONE;
    private static final FloatVector SIXTH = PanamaFunctions.constant(1f / 6f);

    private ArithmeticActivations() {
    }

    /** Heaviside step. */
    static final class Step extends ActivationLoop {
        Step() {
            super(Chunks.MEMORY_PARALLEL);
        }

        // 1 where x > 0, NaN where x is NaN, else 0
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
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

        // 0 everywhere (the jump at 0 is not differentiated)
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                      float[] saved, int offSaved, int length) {
            Arrays.fill(gradIn, offGradIn, offGradIn + length, 0f);
        }
    }

    /** y = x. */
    static final class Identity extends ActivationLoop {
        Identity() {
            super(Chunks.MEMORY_PARALLEL);
        }

        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            System.arraycopy(in, offIn, out, offOut, length);
        }

        // g
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                      float[] saved, int offSaved, int length) {
            System.arraycopy(gradOut, offGradOut, gradIn, offGradIn, length);
        }
    }

    /** ReLU. */
    static final class Relu extends ActivationLoop {
        Relu() {
            super(Chunks.MEMORY_PARALLEL);
        }

        // x <= 0 (including -0) gives +0 and NaN fails the test: Math.max(x, 0) exactly
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
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

        // g where y > 0, 0 where y <= 0, NaN where y is NaN
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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
    }

    /** Leaky ReLU, the parameter its slope. */
    static final class LeakyRelu extends ActivationLoop {
        LeakyRelu() {
            super(Chunks.MEMORY_PARALLEL);
        }

        // slope * x, replaced by x where x > 0; NaN * slope is NaN
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
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

        // g where x > 0, slope * g elsewhere, NaN where x is NaN
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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
    }

    /** Thresholded ReLU, the parameter its threshold. */
    static final class ThresholdedRelu extends ActivationLoop {
        ThresholdedRelu() {
            super(Chunks.MEMORY_PARALLEL);
        }

        // x where x > threshold or x is NaN, else +0
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            FloatVector threshold = FloatVector.broadcast(F, parameter);
            FloatVector zero = FloatVector.zero(F);
            int i = 0;
            for (int bound = F.loopBound(length); i < bound; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, in, offIn + i);
                zero.blend(v, threshold.lt(v).or(v.compare(NE, v))).intoArray(out, offOut + i);
            }
            if (i < length) {
                VectorMask<Float> tail = F.indexInRange(i, length);
                FloatVector v = FloatVector.fromArray(F, in, offIn + i, tail);
                zero.blend(v, threshold.lt(v).or(v.compare(NE, v))).intoArray(out, offOut + i, tail);
            }
        }

        // g where x > threshold, 0 where x <= threshold, NaN where x is NaN
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                      float[] saved, int offSaved, int length) {
            FloatVector threshold = FloatVector.broadcast(F, parameter);
            int i = 0;
            for (int bound = F.loopBound(length); i < bound; i += F.length()) {
                FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
                FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
                ZERO.blend(g, threshold.lt(v)).blend(v, v.compare(NE, v)).intoArray(gradIn, offGradIn + i);
            }
            if (i < length) {
                VectorMask<Float> tail = F.indexInRange(i, length);
                FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
                FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
                ZERO.blend(g, threshold.lt(v)).blend(v, v.compare(NE, v)).intoArray(gradIn, offGradIn + i, tail);
            }
        }
    }

    /** Hard sigmoid, relu6(x + 3) / 6. */
    static final class HardSigmoid extends ActivationLoop {
        HardSigmoid() {
            super(Chunks.MEMORY_PARALLEL);
        }

        // clip((x + 3) / 6, 0, 1). The clip is done on the bits as ints: from +0 to +Inf a float's bits
        // order as its value, every negative float (-0, -Inf) has negative bits, so max(bits, 0) and
        // min(bits, bits of 1) clip exactly, each one vector operation. NaN lanes (either sign) would
        // come out 0 or 1, so both run masked to the lanes where x == x (y is NaN exactly where x is:
        // +-Inf stay infinite), and NaN keeps its bits. At 1K floats (in L1) the vector operations,
        // not memory, bound this loop: a float clip takes a compare and a blend per bound (six
        // operations in all), the integer clip with a NaN blend after it also six, this one five. The
        // NaN test reads x rather than y so that it runs beside the add and the multiply instead of
        // after them (a shorter dependency chain).
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            FloatVector three = FloatVector.broadcast(F, 3f);
            FloatVector sixth = FloatVector.broadcast(F, 1f / 6f);
            IntVector zero = IntVector.zero(I);
            IntVector one = IntVector.broadcast(I, Float.floatToRawIntBits(1f));
            int i = 0;
            for (int bound = F.loopBound(length); i < bound; i += F.length()) {
                hardSigmoid(FloatVector.fromArray(F, in, offIn + i), three, sixth, zero, one)
                        .intoArray(out, offOut + i);
            }
            if (i < length) {
                VectorMask<Float> tail = F.indexInRange(i, length);
                hardSigmoid(FloatVector.fromArray(F, in, offIn + i, tail), three, sixth, zero, one)
                        .intoArray(out, offOut + i, tail);
            }
        }

        // g / 6 where 0 < y < 1, else 0; NaN where y is NaN
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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

        private static FloatVector hardSigmoid(FloatVector x, FloatVector three, FloatVector sixth, IntVector zero,
                                               IntVector one) {
            VectorMask<Integer> number = x.compare(EQ, x).cast(I);
            FloatVector y = x.add(three).mul(sixth);
            return y.reinterpretAsInts().lanewise(MAX, zero, number).lanewise(MIN, one, number).reinterpretAsFloats();
        }

        private static FloatVector hardSigmoidSlope(FloatVector g, FloatVector y) {
            VectorMask<Float> inside = ZERO.lt(y).and(y.lt(ONE));
            return g.mul(SIXTH).blend(ZERO, inside.not()).blend(y, y.compare(NE, y));
        }
    }

    /** Hard swish, x relu6(x + 3) / 6. */
    static final class HardSwish extends ActivationLoop {
        HardSwish() {
            super(Chunks.MEMORY_PARALLEL);
        }

        // max(x, -3) (x + 3 clipped to [0, 6]) / 6: -0 for x <= -3 (-Inf included), exactly x from 3
        // on (6 / 6 = 1), NaN for NaN (max and min keep it)
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
            FloatVector three = FloatVector.broadcast(F, 3f);
            FloatVector six = FloatVector.broadcast(F, 6f);
            int i = 0;
            for (int bound = F.loopBound(length); i < bound; i += F.length()) {
                hardSwish(FloatVector.fromArray(F, in, offIn + i), three, six).intoArray(out, offOut + i);
            }
            if (i < length) {
                VectorMask<Float> tail = F.indexInRange(i, length);
                hardSwish(FloatVector.fromArray(F, in, offIn + i, tail), three, six).intoArray(out, offOut + i, tail);
            }
        }

        // g (2x + 3) / 6 for -3 <= x <= 3, g above, 0 below (whatever g holds); 2x + 3 is exact where
        // it cancels (Sterbenz), so the derivative has no cancellation floor
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                      float[] saved, int offSaved, int length) {
            FloatVector three = FloatVector.broadcast(F, 3f);
            FloatVector six = FloatVector.broadcast(F, 6f);
            int i = 0;
            for (int bound = F.loopBound(length); i < bound; i += F.length()) {
                FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i);
                FloatVector v = FloatVector.fromArray(F, saved, offSaved + i);
                hardSwish(g, v, three, six).intoArray(gradIn, offGradIn + i);
            }
            if (i < length) {
                VectorMask<Float> tail = F.indexInRange(i, length);
                FloatVector g = FloatVector.fromArray(F, gradOut, offGradOut + i, tail);
                FloatVector v = FloatVector.fromArray(F, saved, offSaved + i, tail);
                hardSwish(g, v, three, six).intoArray(gradIn, offGradIn + i, tail);
            }
        }

        private static FloatVector hardSwish(FloatVector x, FloatVector three, FloatVector six) {
            FloatVector gate = x.add(three).lanewise(MAX, 0f).lanewise(MIN, six).div(six);
            return x.lanewise(MAX, -3f).mul(gate);
        }

        private static FloatVector hardSwish(FloatVector g, FloatVector x, FloatVector three, FloatVector six) {
            FloatVector slope = x.add(x).add(three).div(six);
            return g.mul(slope).blend(g, three.lt(x)).blend(ZERO, x.lt(three.neg()));
        }
    }

    /** Softsign, x / (1 + |x|). */
    static final class Softsign extends ActivationLoop {
        Softsign() {
            super(Chunks.MEMORY_PARALLEL);
        }

        // x / (1 + |x|), x clamped to +-2^25 first (softsign rounds to +-1 there; keeps Inf / Inf out)
        @Override
        void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
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

        // g / (1 + |x|)^2, as g t t with t = 1 / (1 + |x|) so that t^2 may be subnormal
        @Override
        void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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

        private static FloatVector softsignSlope(FloatVector g, FloatVector x) {
            FloatVector t = ONE.div(x.abs().add(ONE));
            return g.mul(t).mul(t);
        }
    }
}
