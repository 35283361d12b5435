package dev.lanes.kernels.panama.pointwise;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.NE;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.panama.math.PanamaFunctions;
import dev.lanes.kernels.panama.math.PanamaMultiPass;
import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import dev.lanes.kernels.scalar.ScalarActivations;
import dev.lanes.kernels.spi.ActivationKernel;
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
 * as locals: with the static final vectors of PanamaFunctions C2 did not keep them in registers
 * (ReLU over 1K floats took nearly twice as long).
 */
public final class PanamaActivations implements ActivationKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final FloatVector ZERO = PanamaFunctions.ZERO;
    private static final FloatVector MINUS_ZERO = PanamaFunctions.constant(-0f);
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
        ActivationTasks.Forward.onPool(kind, parameter, out, offOut, in, offIn, length);
    }

    @Override
    public void backward(Activation.Kind kind, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                         int offGradOut, float[] saved, int offSaved, int length) {
        PanamaActivationGradients.backward(kind, parameter, gradIn, offGradIn, gradOut, offGradOut, saved,
                offSaved, length);
    }

    /** Leaky ReLU over each (image, channel) plane with that channel's slope. */
    @Override
    public void preluForward(float[] out, int offOut, float[] in, int offIn, float[] slope, int offSlope,
                             int batch, int channels, int spatial) {
        for (int plane = 0; plane < batch * channels; plane++) {
            int at = plane * spatial;
            forward(Activation.Kind.LEAKY_RELU, slope[offSlope + plane % channels], out, offOut + at, in, offIn + at,
                    spatial);
        }
    }

    /** The slope gradient first (gradIn may overwrite gradOut or in), then leaky ReLU's backward per plane. */
    @Override
    public void preluBackward(float[] gradIn, int offGradIn, float[] gradSlope, int offGradSlope, float[] gradOut,
                              int offGradOut, float[] in, int offIn, float[] slope, int offSlope,
                              int batch, int channels, int spatial) {
        ScalarActivations.preluSlopeGradient(gradSlope, offGradSlope, gradOut, offGradOut, in, offIn, batch,
                channels, spatial);
        for (int plane = 0; plane < batch * channels; plane++) {
            int at = plane * spatial;
            PanamaActivationGradients.backward(Activation.Kind.LEAKY_RELU, slope[offSlope + plane % channels],
                    gradIn, offGradIn + at, gradOut, offGradOut + at, in, offIn + at, spatial);
        }
    }

    /** The length from which a function runs on the pool: later for the memory-bound ones. */
    static int threshold(Activation.Kind kind) {
        return switch (kind) {
            case STEP, IDENTITY, RELU, LEAKY_RELU, HARD_SIGMOID, SOFTSIGN, HARD_SWISH, THRESHOLDED_RELU ->
                    Chunks.MEMORY_PARALLEL;
            default -> Chunks.TRANSCENDENTAL_PARALLEL;
        };
    }

    static void span(Activation.Kind kind, float parameter, float[] out, int offOut, float[] in, int offIn,
                     int length) {
        PanamaTail.unary(BY_KIND[kind.ordinal()], parameter, out, offOut, in, offIn, length);
    }

    /** The loop of each kind, by ordinal. */
    private static final PanamaTail.Span[] BY_KIND = new PanamaTail.Span[Activation.Kind.values().length];

    static {
        for (Activation.Kind kind : Activation.Kind.values()) {
            BY_KIND[kind.ordinal()] = loop(kind);
        }
    }

    /**
     * The loop of a kind: one lambda each, called through the interface. C2 sees that call as
     * megamorphic and compiles every loop as a unit of its own; a switch calling static loops
     * would let it inline all of them into one method, where the node budget
     * (NodeCountInliningCutoff) runs out and the vector functions stop being inlined.
     */
    private static PanamaTail.Span loop(Activation.Kind kind) {
        return switch (kind) {
            case STEP -> (p, out, offOut, in, offIn, n) -> step(out, offOut, in, offIn, n);
            case IDENTITY -> (p, out, offOut, in, offIn, n) -> System.arraycopy(in, offIn, out, offOut, n);
            case SIGMOID -> (p, out, offOut, in, offIn, n) -> sigmoid(out, offOut, in, offIn, n);
            case TANH -> (p, out, offOut, in, offIn, n) -> tanh(out, offOut, in, offIn, n);
            case RELU -> (p, out, offOut, in, offIn, n) -> relu(out, offOut, in, offIn, n);
            case LEAKY_RELU -> PanamaActivations::leakyRelu;
            case ELU -> (p, out, offOut, in, offIn, n) -> exponentialLinear(p, 1f, out, offOut, in, offIn, n);
            case SELU -> (p, out, offOut, in, offIn, n) -> selu(out, offOut, in, offIn, n);
            case GELU_TANH -> (p, out, offOut, in, offIn, n) -> geluTanh(out, offOut, in, offIn, n);
            case GELU_ERF -> (p, out, offOut, in, offIn, n) -> geluErf(out, offOut, in, offIn, n);
            case SOFTPLUS -> (p, out, offOut, in, offIn, n) -> softplus(out, offOut, in, offIn, n);
            case SOFTSIGN -> (p, out, offOut, in, offIn, n) -> softsign(out, offOut, in, offIn, n);
            case HARD_SIGMOID -> (p, out, offOut, in, offIn, n) -> hardSigmoid(out, offOut, in, offIn, n);
            case HARD_SWISH -> (p, out, offOut, in, offIn, n) -> hardSwish(out, offOut, in, offIn, n);
            case MISH -> (p, out, offOut, in, offIn, n) -> mish(out, offOut, in, offIn, n);
            case CELU -> (p, out, offOut, in, offIn, n) -> exponentialLinear(p, p, out, offOut, in, offIn, n);
            case THRESHOLDED_RELU -> PanamaActivations::thresholdedRelu;
        };
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
    // operations in all), the integer clip with a NaN blend after it also six, this one five. The
    // NaN test reads x rather than y so that it runs beside the add and the multiply instead of
    // after them (a shorter dependency chain).
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

    // max(x, -3) (x + 3 clipped to [0, 6]) / 6: -0 for x <= -3 (-Inf included), exactly x from 3
    // on (6 / 6 = 1), NaN for NaN (max and min keep it)
    private static void hardSwish(float[] out, int offOut, float[] in, int offIn, int length) {
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

    private static FloatVector hardSwish(FloatVector x, FloatVector three, FloatVector six) {
        FloatVector gate = x.add(three).lanewise(MAX, 0f).lanewise(MIN, six).div(six);
        return x.lanewise(MAX, -3f).mul(gate);
    }

    // x n / (n + 2) with n = e (e + 2), e = h^2, h = e^(x/2): x h h (e + 2) / (n + 2) keeps full
    // precision where e^x is subnormal (x h is normal down to x = -174); x itself from x = 20 on
    // (n / (n + 2) rounds to 1 there), -0 at -Inf
    private static void mish(float[] out, int offOut, float[] in, int offIn, int length) {
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

    // x where x > threshold or x is NaN, else +0
    private static void thresholdedRelu(float parameter, float[] out, int offOut, float[] in, int offIn,
                                        int length) {
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
}
