package dev.lanes.kernels.panama.math;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;

import dev.lanes.kernels.panama.support.PanamaSpecies;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized float transcendental functions, written with plain lanewise arithmetic so that C2
 * compiles them to straight-line FMA code on every platform. (The Vector API's own lanewise EXP,
 * LOG and TANH call SVML stubs on x86 and fall back to one scalar call per lane elsewhere; see
 * VectorMathBench for the comparison.) Accuracy figures are on {@link dev.lanes.kernels.VectorMath}.
 *
 * <p>How the code is shaped for C2, which must inline everything here into the calling loop or
 * box every vector on the heap (30-100x slower):
 * <ul>
 * <li>Constants are {@code static final} vectors, and operations take vector operands. A scalar
 * operand ({@code v.mul(0.5f)}, {@code compare(LT, 0f)}) inlines a broadcast per use; in a
 * function of 30 operations that exhausts C2's parse-time node budget (NodeCountInliningCutoff)
 * and the rest of the loop is left uninlined.</li>
 * <li>No call to a helper of ours late in a function. C2 stops inlining non-{@code @ForceInline}
 * methods once a compilation has parsed NodeCountInliningCutoff (18000) nodes, and a loop with
 * masked loads and stores and one of these functions reaches that: each Vector API operation
 * parses into about 450 nodes, a masked load or store about 2400, exp about 11000. A helper
 * called at the end of a function (powerOfTwo at the end of exp was parsed at 14500 nodes in the
 * log-softmax backward loop, over 18000 once C2 inlined that loop into its row loop) is then
 * left out and the vectors crossing the call are boxed, two per step. So the helpers are called
 * first (clamp, expm1Reduced) and the late steps are written out (checked with
 * -XX:+LogCompilation, the node count at each {@code <parse>}).</li>
 * <li>Each function is a leaf of about 30 operations calling only trivial helpers: every function
 * is compiled on its own first (it is hot in C1's code of the loop, which does not inline it), and
 * C2 refuses to inline a function already compiled into more than InlineSmallCode (2500) bytes.
 * Larger functions (erf, log1p, GELU with erf, softplus) are composed in the loops themselves
 * (PanamaMath, PanamaActivations), split into passes where one loop would be too large.</li>
 * </ul>
 * Checked with -XX:+PrintInlining and -XX:+LogCompilation on JDK 25.
 *
 * <p>All functions propagate NaN, handle ±0, ±Inf and subnormals, and never turn a finite input
 * into NaN.
 */
public final class PanamaFunctions {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    public static final FloatVector ZERO = FloatVector.zero(F);
    public static final FloatVector HALF = constant(0.5f);
    public static final FloatVector ONE = constant(1f);
    public static final FloatVector TWO = constant(2f);
    public static final FloatVector POSITIVE_INFINITY = constant(Float.POSITIVE_INFINITY);
    public static final FloatVector NEGATIVE_INFINITY = constant(Float.NEGATIVE_INFINITY);
    public static final FloatVector NAN = constant(Float.NaN);

    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer in the low bits. */
    private static final float ROUND_VALUE = 12582912f;
    private static final FloatVector ROUND = constant(ROUND_VALUE);
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND_VALUE);
    private static final FloatVector LOG2E = constant(1.44269504f);
    /** ln 2 split so that n * LN2_HI is exact for |n| < 512 (LN2_HI has 15 significant bits). */
    private static final float LN2_HI_VALUE = 0.693145751953125f;
    private static final float LN2_LO_VALUE = 1.42860677e-6f;
    private static final FloatVector LN2_HI = constant(LN2_HI_VALUE);
    private static final FloatVector LN2_LO = constant(LN2_LO_VALUE);
    private static final FloatVector MINUS_LN2_HI = constant(-LN2_HI_VALUE);
    private static final FloatVector MINUS_LN2_LO = constant(-LN2_LO_VALUE);
    /** Taylor coefficients 1/n! of e^r. */
    private static final FloatVector INV_6 = constant(1f / 6f);
    private static final FloatVector INV_24 = constant(1f / 24f);
    private static final FloatVector INV_120 = constant(1f / 120f);
    private static final FloatVector INV_720 = constant(1f / 720f);
    private static final FloatVector INV_5040 = constant(1f / 5040f);
    /** exp(-104) rounds to 0 and exp(89) overflows: clamping there keeps n in [-150, 129]. */
    private static final FloatVector EXP_LOW = constant(-104f);
    private static final FloatVector EXP_HIGH = constant(89f);
    /** expm1(x) rounds to -1 below -17.33; clamping at -30 keeps 2^n normal. */
    private static final FloatVector EXPM1_LOW = constant(-30f);
    /** Above 80, expm1(x) = exp(x) in float, taken from the overflow-safe exp formula. */
    private static final FloatVector EXPM1_LARGE = constant(80f);
    /** tanh rounds to 1 above 9.01; clamping at 10 avoids Inf / Inf. */
    private static final FloatVector TANH_LIMIT = constant(10f);
    private static final int SIGN = 0x80000000;
    /** Bits of sqrt(1/2): the mantissa of log's argument is reduced to [sqrt(1/2), sqrt(2)). */
    private static final int SQRT_HALF_BITS = 0x3F3504F3;
    private static final FloatVector MIN_NORMAL = constant(Float.MIN_NORMAL);
    private static final FloatVector TWO_TO_23 = constant(8388608f);
    private static final FloatVector TWENTY_THREE = constant(23f);
    /** The atanh series of log: 2/3, 2/5, 2/7, 2/9. */
    private static final FloatVector ATANH_3 = constant(2f / 3f);
    private static final FloatVector ATANH_5 = constant(2f / 5f);
    private static final FloatVector ATANH_7 = constant(2f / 7f);
    private static final FloatVector ATANH_9 = constant(2f / 9f);
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    /** erf's Taylor coefficients 2/sqrt(pi) (-1)^n / (n! (2n+1)), n = 0..6. */
    private static final FloatVector ERF_0 = constant((float) TWO_OVER_SQRT_PI);
    private static final FloatVector ERF_1 = constant((float) (-TWO_OVER_SQRT_PI / 3));
    private static final FloatVector ERF_2 = constant((float) (TWO_OVER_SQRT_PI / 10));
    private static final FloatVector ERF_3 = constant((float) (-TWO_OVER_SQRT_PI / 42));
    private static final FloatVector ERF_4 = constant((float) (TWO_OVER_SQRT_PI / 216));
    private static final FloatVector ERF_5 = constant((float) (-TWO_OVER_SQRT_PI / 1320));
    private static final FloatVector ERF_6 = constant((float) (TWO_OVER_SQRT_PI / 9360));
    /** P(t) of erfcScaledTail, by degree. */
    private static final FloatVector TAIL_0 = constant(0.2820768654346466f);
    private static final FloatVector TAIL_1 = constant(0.2825673222541809f);
    private static final FloatVector TAIL_2 = constant(0.24151957035064697f);
    private static final FloatVector TAIL_3 = constant(0.20968972146511078f);
    private static final FloatVector TAIL_4 = constant(-0.044763606041669846f);
    private static final FloatVector TAIL_5 = constant(0.306232213973999f);
    private static final FloatVector TAIL_6 = constant(-0.5127342939376831f);
    private static final FloatVector TAIL_7 = constant(0.296844482421875f);
    private static final FloatVector TAIL_8 = constant(-0.061422765254974365f);
    /** 2 sqrt(2/pi) and 2 sqrt(2/pi) 0.044715: gelu(x) = x sigmoid(x (K1 + K2 x^2)). */
    private static final float GELU_K1_VALUE = (float) (2 * 0.7978845608028654);
    private static final float GELU_K2_VALUE = (float) (2 * 0.7978845608028654 * 0.044715);
    private static final FloatVector GELU_K1 = constant(GELU_K1_VALUE);
    private static final FloatVector GELU_K2 = constant(GELU_K2_VALUE);
    private static final FloatVector GELU_3K2 = constant(3 * GELU_K2_VALUE);
    /** What float leaves of K1 and K2: K = K_VALUE + K_LOW to about 2^-48 relative. */
    private static final FloatVector GELU_K1_LOW = constant((float) (2 * 0.7978845608028654 - GELU_K1_VALUE));
    private static final FloatVector GELU_K2_LOW = constant((float) (2 * 0.7978845608028654 * 0.044715
            - GELU_K2_VALUE));
    private static final FloatVector GELU_LOW = constant(-20f);
    private static final FloatVector GELU_HIGH = constant(20f);

    private PanamaFunctions() {
    }

    /** A broadcast constant, for static final fields. */
    public static FloatVector constant(float value) {
        return FloatVector.broadcast(F, value);
    }

    /** x clamped to [low, high]; NaN fails both comparisons and stays NaN. */
    public static FloatVector clamp(FloatVector x, FloatVector low, FloatVector high) {
        return x.blend(low, x.lt(low)).blend(high, high.lt(x));
    }

    /** Copies the sign bit of {@code sign} onto the non-negative {@code magnitude}. */
    public static FloatVector withSignOf(FloatVector magnitude, FloatVector sign) {
        IntVector s = sign.reinterpretAsInts().and(SIGN);
        return magnitude.reinterpretAsInts().or(s).reinterpretAsFloats();
    }

    /**
     * 2^k as a float for k in [-126, 127]. Only where it is parsed early in a loop (expm1Core): at
     * the end of exp and expm1 the same two operations are written out (see the class comment).
     */
    private static FloatVector powerOfTwo(IntVector k) {
        return k.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
    }

    /** e^r - 1 for |r| <= ln2/2: r + r^2 (1/2! + r/3! + ... + r^5/7!), Taylor error below 2^-26. */
    private static FloatVector expm1Reduced(FloatVector r) {
        FloatVector q = r.fma(INV_5040, INV_720);
        q = q.fma(r, INV_120);
        q = q.fma(r, INV_24);
        q = q.fma(r, INV_6);
        q = q.fma(r, HALF);
        return r.mul(r).fma(q, r);
    }

    /**
     * e^x: x = n ln2 + r with n = round(x / ln2) (rounded by adding 1.5 * 2^23, so n sits in the
     * low mantissa bits of t), e^r by its Taylor series, and 2^n applied as two normal factors
     * 2^(n>>1) 2^(n - n>>1), so that subnormal results and overflow each come from one IEEE
     * multiply. +Inf above 88.72, correctly scaled subnormals, 0 below -103.97.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector c = clamp(x, EXP_LOW, EXP_HIGH);
        FloatVector t = c.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(MINUS_LN2_HI, c);
        r = n.fma(MINUS_LN2_LO, r);
        FloatVector p = expm1Reduced(r).add(ONE);
        IntVector k = t.reinterpretAsInts().sub(ROUND_BITS);
        IntVector k1 = k.lanewise(ASHR, 1);
        // powerOfTwo(k1) and powerOfTwo(k - k1), written out: no helper call this late (class comment)
        FloatVector s1 = k1.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k.sub(k1).add(127).lanewise(LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /**
     * e^x - 1 for x in [-30, 80] (no clamping): 2^n (e^r - 1) + (2^n - 1) in one fma, where
     * 2^n - 1 is exact for n <= 24 and negligible beyond.
     */
    public static FloatVector expm1Core(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(MINUS_LN2_HI, x);
        r = n.fma(MINUS_LN2_LO, r);
        FloatVector s = powerOfTwo(t.reinterpretAsInts().sub(ROUND_BITS));
        return s.fma(expm1Reduced(r), s.sub(ONE));
    }

    /**
     * e^x - 1, accurate near 0 (keeps the sign of zero), -1 below -17.33, +Inf above 88.72. Above
     * 80 it is e^x, scaled in two factors as in {@link #exp} from the same reduction.
     */
    public static FloatVector expm1(FloatVector x) {
        FloatVector c = clamp(x, EXPM1_LOW, EXP_HIGH);
        FloatVector t = c.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(MINUS_LN2_HI, c);
        r = n.fma(MINUS_LN2_LO, r);
        FloatVector p = expm1Reduced(r);
        IntVector k = t.reinterpretAsInts().sub(ROUND_BITS);
        IntVector k1 = k.lanewise(ASHR, 1);
        // powerOfTwo written out, as in exp
        FloatVector s1 = k1.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k.sub(k1).add(127).lanewise(LSHL, 23).reinterpretAsFloats();
        FloatVector s = s1.mul(s2);
        FloatVector small = s.fma(p, s.sub(ONE));
        FloatVector large = p.add(ONE).mul(s1).mul(s2);
        return small.blend(large, EXPM1_LARGE.lt(c)).blend(x, x.eq(ZERO));
    }

    /** tanh(x) = expm1(2|x|) / (expm1(2|x|) + 2) with the sign of x; exactly ±1 beyond |x| = 9.01. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        a = a.blend(TANH_LIMIT, TANH_LIMIT.lt(a));
        FloatVector e = expm1Core(a.add(a));
        return withSignOf(e.div(e.add(TWO)), x);
    }

    /**
     * 1 / (1 + e^-x), computed as 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0 with
     * e = e^-|x|, so that both tails keep their relative accuracy (subnormals included).
     */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        return ONE.blend(e, x.lt(ZERO)).div(e.add(ONE));
    }

    /**
     * Natural logarithm: x = 2^k m with m in [sqrt(1/2), sqrt(2)), f = m - 1, s = f / (2 + f);
     * log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)) with R(z) = 2z/3 + 2z^2/5 + 2z^3/7 + 2z^4/9
     * (the atanh series; the first omitted term is below 2^-30 of the result).
     */
    public static FloatVector log(FloatVector x) {
        // Subnormals: scale into the normal range and correct the exponent by 23.
        VectorMask<Float> subnormal = x.lt(MIN_NORMAL);
        FloatVector y = x.blend(x.mul(TWO_TO_23), subnormal);
        IntVector shifted = y.reinterpretAsInts().sub(SQRT_HALF_BITS);
        FloatVector m = shifted.and(0x007FFFFF).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector exponent = (FloatVector) shifted.lanewise(ASHR, 23).convert(I2F, 0);
        exponent = exponent.blend(exponent.sub(TWENTY_THREE), subnormal);
        FloatVector f = m.sub(ONE);
        FloatVector s = f.div(f.add(TWO));
        FloatVector z = s.mul(s);
        FloatVector r = z.fma(ATANH_9, ATANH_7);
        r = r.fma(z, ATANH_5);
        r = r.fma(z, ATANH_3).mul(z);
        FloatVector halfSquare = f.mul(f).mul(HALF);
        FloatVector low = s.mul(halfSquare.add(r)).sub(halfSquare).add(exponent.mul(LN2_LO));
        FloatVector result = low.add(f).add(exponent.mul(LN2_HI));
        // log(+Inf) = +Inf and log(NaN) = NaN, log(x < 0) = NaN, log(±0) = -Inf.
        result = result.blend(x, x.lt(POSITIVE_INFINITY).not());
        result = result.blend(NAN, x.lt(ZERO));
        return result.blend(NEGATIVE_INFINITY, x.eq(ZERO));
    }

    /**
     * Completes log1p(x) from w = fl(1 + x) and logW = log(w): log1p(x) = log(w) + (x - (w - 1)) / w,
     * where x - (w - 1) is the exact rounding error of 1 + x (a first-order correction, below
     * 2^-47 relative). Keeps -0, and drops the correction where it is 0/0 (w = 0) or Inf - Inf.
     */
    public static FloatVector log1pFinish(FloatVector x, FloatVector w, FloatVector logW) {
        return logW.add(log1pCorrection(x, w)).blend(x, x.eq(ZERO));
    }

    /**
     * The correction term of {@link #log1pFinish}, (x - (w - 1)) / w or 0, to be computed before
     * log(w) so that no helper is called after log's 14000 parsed nodes (see the class comment).
     */
    public static FloatVector log1pCorrection(FloatVector x, FloatVector w) {
        FloatVector correction = x.sub(w.sub(ONE)).div(w);
        VectorMask<Float> special = w.eq(ZERO).or(w.eq(POSITIVE_INFINITY));
        return correction.blend(ZERO, special);
    }

    /** erf(x) for |x| < 1/2: x P(x^2), P the Taylor series to n = 6; the next term is below 2^-30. */
    public static FloatVector erfSmall(FloatVector x) {
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(ERF_6, ERF_5);
        p = p.fma(z, ERF_4);
        p = p.fma(z, ERF_3);
        p = p.fma(z, ERF_2);
        p = p.fma(z, ERF_1);
        p = p.fma(z, ERF_0);
        return x.mul(p);
    }

    /**
     * erfc(a) e^(a^2) for a in [1/2, 10.5] as t P(t), t = 1 / (1 + a/2), P of degree 8. The
     * coefficients are a weighted least-squares fit of the relative error (Lawson iterations
     * towards minimax) on 800 Chebyshev nodes in t, against 40-digit values, rounded to float one
     * at a time with a refit of the rest; in float arithmetic the relative error is below 4 2^-24.
     */
    public static FloatVector erfcScaledTail(FloatVector a) {
        FloatVector t = ONE.div(a.fma(HALF, ONE));
        FloatVector p = t.fma(TAIL_8, TAIL_7);
        p = p.fma(t, TAIL_6);
        p = p.fma(t, TAIL_5);
        p = p.fma(t, TAIL_4);
        p = p.fma(t, TAIL_3);
        p = p.fma(t, TAIL_2);
        p = p.fma(t, TAIL_1);
        p = p.fma(t, TAIL_0);
        return p.mul(t);
    }

    /**
     * GELU, tanh approximation: x (1 + tanh(u)) / 2 with u = sqrt(2/pi) (x + 0.044715 x^3),
     * computed as x sigmoid(2u) (the same function, without the cancellation of 1 + tanh for
     * x < 0). gelu(-Inf) = -0.
     */
    public static FloatVector geluTanh(FloatVector x) {
        FloatVector c = x.blend(GELU_LOW, x.lt(GELU_LOW));
        // For x < 0 the result is about x e^v, so every rounding of v (|v| 2^-24 each) moves it by
        // |v| 2^-24 relatively: 4|v| ulp from c^2, the fma, the product and the constants, some
        // hundreds at x = -10. So v is carried as a float pair v + vLow (exact products by fma,
        // an exact sum, the constants' low parts), good to about 2^-40 relative, and e^v is
        // corrected by the factor e^vLow = 1 + vLow.
        FloatVector square = c.mul(c);
        FloatVector squareLow = c.fma(c, square.neg());
        FloatVector product = square.mul(GELU_K2);
        FloatVector productLow = square.fma(GELU_K2, product.neg())
                .add(squareLow.fma(GELU_K2, square.mul(GELU_K2_LOW)));
        FloatVector sum = product.add(GELU_K1);
        FloatVector k1Part = sum.sub(product);
        FloatVector productPart = sum.sub(k1Part);
        FloatVector sumLow = product.sub(productPart).add(GELU_K1.sub(k1Part)).add(productLow.add(GELU_K1_LOW));
        FloatVector v = c.mul(sum);
        FloatVector vLow = c.fma(sumLow, c.fma(sum, v.neg()));
        VectorMask<Float> negative = v.lt(ZERO);
        FloatVector e = exp(v.abs().neg());
        // Only where v < 0, where e = e^v: for x >= 0 the plain v is accurate enough (and at
        // x = +Inf its low part is NaN).
        e = e.fma(ZERO.blend(vLow, negative), e);
        return c.mul(ONE.blend(e, negative).div(e.add(ONE)));
    }

    /**
     * d/dx of {@link #geluTanh}: s + x s (1 - s) (K1 + 3 K2 x^2) with s = sigmoid(v); s (1 - s) is
     * e / (1 + e)^2, e = e^-|v|, which keeps its accuracy where s rounds to 1.
     */
    public static FloatVector geluTanhDerivative(FloatVector x) {
        FloatVector c = clamp(x, GELU_LOW, GELU_HIGH);
        FloatVector square = c.mul(c);
        FloatVector v = c.mul(square.fma(GELU_K2, GELU_K1));
        FloatVector e = exp(v.abs().neg());
        FloatVector q = ONE.div(e.add(ONE));
        FloatVector s = q.blend(e.mul(q), v.lt(ZERO));
        FloatVector slope = square.fma(GELU_3K2, GELU_K1);
        return c.mul(e).mul(q.mul(q)).fma(slope, s);
    }
}
