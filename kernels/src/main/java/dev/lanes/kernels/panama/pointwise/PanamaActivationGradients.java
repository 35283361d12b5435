package dev.lanes.kernels.panama.pointwise;

import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.NE;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.panama.math.PanamaFunctions;
import dev.lanes.kernels.panama.math.PanamaMultiPass;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
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
    private static final FloatVector TWO = PanamaFunctions.TWO;
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
                ActivationTasks.Backward.onPool(kind, parameter, gradIn, offGradIn, gradOut, offGradOut, saved,
                        offSaved, length);
            }
        }
    }

    /**
     * Runs the loop in place up to {@link PanamaTail#inPlace}, the rest (if any) on PanamaTail's
     * scratch, through one call site (see PanamaActivations.span).
     */
    static void span(Activation.Kind kind, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
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

    /** The backward loop of one function: gradIn = gradOut * f'(saved). */
    @FunctionalInterface
    private interface Loop {
        void run(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                 float[] saved, int offSaved, int length);
    }

    /** The loop of each kind, by ordinal (null for step and identity, which need none). */
    private static final Loop[] BY_KIND = new Loop[Activation.Kind.values().length];

    static {
        for (Activation.Kind kind : Activation.Kind.values()) {
            BY_KIND[kind.ordinal()] = loop(kind);
        }
    }

    /**
     * The loop of a kind: one lambda each, called through the interface, so that C2 compiles
     * every loop as a unit of its own (see PanamaActivations.loop).
     */
    private static Loop loop(Activation.Kind kind) {
        return switch (kind) {
            case STEP, IDENTITY -> null;
            case SIGMOID -> (p, dx, offDx, g, offG, s, offS, n) -> sigmoid(dx, offDx, g, offG, s, offS, n);
            case TANH -> (p, dx, offDx, g, offG, s, offS, n) -> tanh(dx, offDx, g, offG, s, offS, n);
            case RELU -> (p, dx, offDx, g, offG, s, offS, n) -> relu(dx, offDx, g, offG, s, offS, n);
            case LEAKY_RELU -> PanamaActivationGradients::leakyRelu;
            case ELU -> PanamaActivationGradients::elu;
            case SELU -> (p, dx, offDx, g, offG, s, offS, n) -> selu(dx, offDx, g, offG, s, offS, n);
            case GELU_TANH -> (p, dx, offDx, g, offG, s, offS, n) -> geluTanh(dx, offDx, g, offG, s, offS, n);
            case GELU_ERF -> (p, dx, offDx, g, offG, s, offS, n) -> geluErf(dx, offDx, g, offG, s, offS, n);
            case SOFTPLUS -> (p, dx, offDx, g, offG, s, offS, n) -> softplus(dx, offDx, g, offG, s, offS, n);
            case SOFTSIGN -> (p, dx, offDx, g, offG, s, offS, n) -> softsign(dx, offDx, g, offG, s, offS, n);
            case HARD_SIGMOID -> (p, dx, offDx, g, offG, s, offS, n) -> hardSigmoid(dx, offDx, g, offG, s, offS, n);
            case HARD_SWISH -> (p, dx, offDx, g, offG, s, offS, n) -> hardSwish(dx, offDx, g, offG, s, offS, n);
            case MISH -> (p, dx, offDx, g, offG, s, offS, n) -> mish(dx, offDx, g, offG, s, offS, n);
            case CELU -> PanamaActivationGradients::celu;
            case THRESHOLDED_RELU -> PanamaActivationGradients::thresholdedRelu;
        };
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

    // g (2x + 3) / 6 for -3 <= x <= 3, g above, 0 below (whatever g holds); 2x + 3 is exact where
    // it cancels (Sterbenz), so the derivative has no cancellation floor
    private static void hardSwish(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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

    private static FloatVector hardSwish(FloatVector g, FloatVector x, FloatVector three, FloatVector six) {
        FloatVector slope = x.add(x).add(three).div(six);
        return g.mul(slope).blend(g, three.lt(x)).blend(ZERO, x.lt(three.neg()));
    }

    // g (t + 4 x e (1 + e) / (n + 2)^2), e = e^x, n = e (e + 2), t = n / (n + 2); g from x = 20 on
    // (the second term is below 2^-50 there), 0 at -Inf
    private static void mish(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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

    // g where y > 0, else g (y / alpha + 1) = g e^(x / alpha)
    private static void celu(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
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

    // g where x > threshold, 0 where x <= threshold, NaN where x is NaN
    private static void thresholdedRelu(float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                                        int offGradOut, float[] saved, int offSaved, int length) {
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
