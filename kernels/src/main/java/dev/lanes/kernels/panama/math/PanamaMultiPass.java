package dev.lanes.kernels.panama.math;

import static jdk.incubator.vector.VectorOperators.LE;

import dev.lanes.kernels.panama.support.PanamaSpecies;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels too large for one loop: erf, erfc, GELU with the exact CDF (forward and backward)
 * and softplus, each run as three passes over blocks of {@link #BLOCK} elements, the first two
 * writing intermediate rows to a per-thread scratch array that stays in L1.
 *
 * <p>Why: C2 stops inlining once a compilation's parse-time node count passes
 * NodeCountInliningCutoff, and a loop of more than about 50 vector operations (an exp, a
 * rational tail and a Taylor series) reaches it; the vector functions left uninlined then box
 * every vector on the heap and the loop runs 10-20x slower. Each pass here stays near 30
 * operations. The passes are called through one virtual call site that sees at least three
 * receiver classes, which C2 does not inline, so every pass is compiled on its own.
 *
 * <p>Every element goes through the same passes whatever its position, and out may be the same
 * region as an input: only the last pass writes it, reading its inputs at the same index first.
 */
public final class PanamaMultiPass {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    /** Elements per block: two scratch rows of 2 KB. */
    public static final int BLOCK = 512;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[2 * BLOCK]);

    private static final FloatVector ZERO = PanamaFunctions.ZERO;
    private static final FloatVector HALF = PanamaFunctions.HALF;
    private static final FloatVector ONE = PanamaFunctions.ONE;
    private static final FloatVector TWO = PanamaFunctions.TWO;
    private static final FloatVector MINUS_HALF = PanamaFunctions.constant(-0.5f);
    private static final FloatVector INV_SQRT2 = PanamaFunctions.constant(0.70710677f);
    private static final FloatVector INV_SQRT_2PI = PanamaFunctions.constant(0.3989423f);
    /** erfc(10.5) = 0 in float; clamping there keeps Inf out of x^2. */
    private static final FloatVector TAIL_MAX = PanamaFunctions.constant(10.5f);
    /** GELU's Phi(x) is 0 or 1 in float beyond |x| = 15 (and x Phi(x) rounds to -0 below -15). */
    private static final FloatVector GELU_LOW = PanamaFunctions.constant(-15f);
    private static final FloatVector GELU_HIGH = PanamaFunctions.constant(15f);

    /** erf(x): 1 - erfc(|x|) with the sign of x, the Taylor series below |x| = 1/2. */
    public static final Pass[] ERF = {new ErfExp(), new ErfTail(), new ErfCombine(false)};
    /** erfc(x): erfc(|x|), 2 - erfc(|x|) for x < 0, 1 - erf(x) below |x| = 1/2. */
    public static final Pass[] ERFC = {new ErfExp(), new ErfTail(), new ErfCombine(true)};
    /** x Phi(x). */
    public static final Pass[] GELU_ERF = {new GeluExp(false), new GeluTail(true), new GeluCombine()};
    /** g (Phi(x) + x phi(x)); x in in, g in other. */
    public static final Pass[] GELU_ERF_BACKWARD = {new GeluExp(true), new GeluTail(false), new GeluSlope()};
    /** max(x, 0) + log1p(e^-|x|). */
    public static final Pass[] SOFTPLUS = {new SoftplusExp(), new SoftplusLog(), new SoftplusCombine()};

    private PanamaMultiPass() {
    }

    /** One pass over n <= BLOCK elements; scratch holds two rows, [0, BLOCK) and [BLOCK, 2 BLOCK). */
    public abstract static class Pass {
        abstract void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther,
                          float[] scratch, int n);
    }

    /**
     * Runs the passes block by block: out = f(in) (and {@code other}, the upstream gradient of a
     * backward pass, or null).
     */
    public static void run(Pass[] passes, float[] out, int offOut, float[] in, int offIn, float[] other, int offOther,
                    int length) {
        float[] scratch = SCRATCH.get();
        for (int block = 0; block < length; block += BLOCK) {
            int n = Math.min(BLOCK, length - block);
            for (Pass pass : passes) {
                // The virtual call C2 must not inline: see the class comment.
                pass.run(out, offOut + block, in, offIn + block, other, offOther + block, scratch, n);
            }
        }
    }

    // ---- erf and erfc ----

    /** scratch row 0 = e^(-a^2), a = min(|x|, 10.5), with a^2 rounded (its low part goes into row 1). */
    private static final class ErfExp extends Pass {
        @Override
        void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther, float[] scratch, int n) {
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector a = clampedAbs(FloatVector.fromArray(F, in, offIn + i, m));
                PanamaFunctions.exp(a.mul(a).neg()).intoArray(scratch, i, m);
            }
        }
    }

    /**
     * scratch row 1 = erfcScaledTail(a) (1 - l), where a^2 = h + l exactly (fma) and row 0 holds
     * e^(-h): their product is erfc(a) without the rounding error of a^2 in the exponent.
     */
    private static final class ErfTail extends Pass {
        @Override
        void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther, float[] scratch, int n) {
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector a = clampedAbs(FloatVector.fromArray(F, in, offIn + i, m));
                FloatVector low = a.fma(a, a.mul(a).neg());
                PanamaFunctions.erfcScaledTail(a).mul(ONE.sub(low)).intoArray(scratch, BLOCK + i, m);
            }
        }
    }

    private static FloatVector clampedAbs(FloatVector x) {
        FloatVector a = x.abs();
        return a.blend(TAIL_MAX, TAIL_MAX.lt(a));
    }

    /** out = erf(x) or erfc(x) from the tail e^(-h) times row 1, or the Taylor series below 1/2. */
    private static final class ErfCombine extends Pass {
        private final boolean complement;

        ErfCombine(boolean complement) {
            this.complement = complement;
        }

        @Override
        void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther, float[] scratch, int n) {
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
                FloatVector tail = FloatVector.fromArray(F, scratch, i, m)
                        .mul(FloatVector.fromArray(F, scratch, BLOCK + i, m));
                FloatVector small = PanamaFunctions.erfSmall(x);
                FloatVector y = complement
                        ? tail.blend(TWO.sub(tail), x.lt(ZERO)).blend(ONE.sub(small), x.abs().lt(HALF))
                        : PanamaFunctions.withSignOf(ONE.sub(tail), x).blend(small, x.abs().lt(HALF));
                y.intoArray(out, offOut + i, m);
            }
        }
    }

    // ---- GELU with the exact CDF: x Phi(x), Phi(x) = erfc(-x / sqrt 2) / 2 ----

    /**
     * scratch row 0 = e^(-x^2/2), x clamped to [-15, 15]; for the backward pass times (1 - l/2),
     * the low part of x^2 = h + l (the forward pass applies it in the tail row instead).
     */
    private static final class GeluExp extends Pass {
        private final boolean withLowPart;

        GeluExp(boolean withLowPart) {
            this.withLowPart = withLowPart;
        }

        @Override
        void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther, float[] scratch, int n) {
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector c = PanamaFunctions.clamp(FloatVector.fromArray(F, in, offIn + i, m), GELU_LOW, GELU_HIGH);
                FloatVector square = c.mul(c);
                FloatVector e = PanamaFunctions.exp(square.mul(MINUS_HALF));
                if (withLowPart) {
                    e = e.mul(ONE.sub(c.fma(c, square.neg()).mul(HALF)));
                }
                e.intoArray(scratch, i, m);
            }
        }
    }

    /**
     * scratch row 1 = erfcScaledTail(|x| / sqrt 2), times (1 - l/2) / 2 for the forward pass (the
     * backward pass has the low part in row 0).
     */
    private static final class GeluTail extends Pass {
        private final boolean forward;

        GeluTail(boolean forward) {
            this.forward = forward;
        }

        @Override
        void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther, float[] scratch, int n) {
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector c = PanamaFunctions.clamp(FloatVector.fromArray(F, in, offIn + i, m), GELU_LOW, GELU_HIGH);
                FloatVector tail = PanamaFunctions.erfcScaledTail(c.mul(INV_SQRT2).abs());
                if (forward) {
                    tail = tail.mul(ONE.sub(c.fma(c, c.mul(c).neg()).mul(HALF))).mul(HALF);
                }
                tail.intoArray(scratch, BLOCK + i, m);
            }
        }
    }

    /**
     * out = x Phi(x): the left tail e (x s) with e multiplied last (so that results near the
     * subnormal range round once), the right x (1 - e s), the Taylor series where |x|/sqrt2 < 1/2.
     * gelu(-Inf) = -0 through the clamp.
     */
    private static final class GeluCombine extends Pass {
        @Override
        void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther, float[] scratch, int n) {
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
                FloatVector c = PanamaFunctions.clamp(x, GELU_LOW, GELU_HIGH);
                FloatVector z = c.mul(INV_SQRT2);
                FloatVector e = FloatVector.fromArray(F, scratch, i, m);
                FloatVector scaled = FloatVector.fromArray(F, scratch, BLOCK + i, m);
                FloatVector left = e.mul(c.mul(scaled));
                FloatVector right = x.mul(ONE.sub(e.mul(scaled)));
                FloatVector small = x.mul(PanamaFunctions.erfSmall(z).fma(HALF, HALF));
                right.blend(left, x.lt(ZERO)).blend(small, z.abs().lt(HALF)).intoArray(out, offOut + i, m);
            }
        }
    }

    /** gradIn = g (Phi(x) + x phi(x)), phi(x) = e^(-x^2/2) / sqrt(2 pi); 1 at +Inf, 0 at -Inf. */
    private static final class GeluSlope extends Pass {
        @Override
        void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther, float[] scratch, int n) {
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
                FloatVector c = PanamaFunctions.clamp(x, GELU_LOW, GELU_HIGH);
                FloatVector z = c.mul(INV_SQRT2);
                FloatVector e = FloatVector.fromArray(F, scratch, i, m);
                FloatVector halfTail = e.mul(FloatVector.fromArray(F, scratch, BLOCK + i, m)).mul(HALF);
                FloatVector cdf = ONE.sub(halfTail).blend(halfTail, x.lt(ZERO));
                cdf = cdf.blend(PanamaFunctions.erfSmall(z).fma(HALF, HALF), z.abs().lt(HALF));
                FloatVector g = FloatVector.fromArray(F, other, offOther + i, m);
                g.mul(c.mul(e).fma(INV_SQRT_2PI, cdf)).intoArray(out, offOut + i, m);
            }
        }
    }

    // ---- softplus: max(x, 0) + log1p(e^-|x|) ----

    /** scratch row 0 = e^-|x|. */
    private static final class SoftplusExp extends Pass {
        @Override
        void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther, float[] scratch, int n) {
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                PanamaFunctions.exp(FloatVector.fromArray(F, in, offIn + i, m).abs().neg()).intoArray(scratch, i, m);
            }
        }
    }

    /** scratch row 1 = log(1 + e) with 1 + e rounded; the last pass corrects it to log1p(e). */
    private static final class SoftplusLog extends Pass {
        @Override
        void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther, float[] scratch, int n) {
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector w = FloatVector.fromArray(F, scratch, i, m).add(ONE);
                PanamaFunctions.log(w).intoArray(scratch, BLOCK + i, m);
            }
        }
    }

    /** out = max(x, 0) + log1p(e). */
    private static final class SoftplusCombine extends Pass {
        @Override
        void run(float[] out, int offOut, float[] in, int offIn, float[] other, int offOther, float[] scratch, int n) {
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
                FloatVector e = FloatVector.fromArray(F, scratch, i, m);
                FloatVector logW = FloatVector.fromArray(F, scratch, BLOCK + i, m);
                FloatVector log1p = PanamaFunctions.log1pFinish(e, e.add(ONE), logW);
                x.blend(ZERO, x.compare(LE, ZERO)).add(log1p).intoArray(out, offOut + i, m);
            }
        }
    }
}
