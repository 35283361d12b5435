package dev.lanes.kernels;

import dev.lanes.kernels.spi.MathKernel;

/**
 * Elementwise float transcendental functions over arrays: {@code out[offOut + i] = f(in[offIn + i])}
 * for {@code i < length}. {@code out} may be the same region as {@code in} (in place) but must not
 * overlap it partially.
 *
 * <p>The Panama implementation evaluates its own polynomial code (not the Vector API's lanewise
 * EXP/LOG/TANH, which are SVML calls on x86 HotSpot and scalar calls elsewhere; VectorMathBench
 * compares them). Its maximum error, in ulps of the correctly rounded result (|computed - exact|
 * over the spacing of floats at the exact value), measured once over every finite float against
 * StrictMath in double (erf and erfc against a double series checked against mpmath), and
 * tested by {@code VectorMathTest} over every 2^-12 step of [-88, 88], a sweep of all binades and
 * the edge values:
 * <table class="striped">
 * <caption>Maximum error of the Panama implementation</caption>
 * <tr><th>function</th><th>max error</th><th>special values</th></tr>
 * <tr><td>exp</td><td>1.06 ulp</td><td>+Inf above 88.7228, 0 below -103.97, subnormals in between</td></tr>
 * <tr><td>expm1</td><td>1.65 ulp</td><td>-1 below -17.33, keeps -0</td></tr>
 * <tr><td>log</td><td>0.92 ulp</td><td>-Inf at ±0, NaN below 0, subnormal inputs exact in the exponent</td></tr>
 * <tr><td>log1p</td><td>1.44 ulp</td><td>-Inf at -1, NaN below -1, keeps -0</td></tr>
 * <tr><td>tanh</td><td>2.42 ulp</td><td>exactly ±1 beyond |x| = 9.01, keeps -0</td></tr>
 * <tr><td>sigmoid</td><td>2.41 ulp</td><td>exactly 1 above 16.7, subnormal below -87.3, 0 below -103.97</td></tr>
 * <tr><td>erf</td><td>3.16 ulp</td><td>exactly ±1 beyond |x| = 3.92, keeps -0</td></tr>
 * <tr><td>erfc</td><td>5.9 ulp</td><td>0 above 10.05, exactly 2 below -3.92</td></tr>
 * </table>
 * NaN gives NaN, and a finite input never gives NaN. The scalar implementation (the fallback)
 * computes each element in double and rounds once: within 0.5 ulp (erf, erfc: plus 2e-11
 * relative).
 */
public final class VectorMath {
    private static final MathKernel IMPL = KernelProvider.KERNELS.math();

    private VectorMath() {
    }

    /**
     * out = e^in, elementwise; out and in are {@code length} floats from their offsets.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void exp(float[] out, int offOut, float[] in, int offIn, int length) {
        validate(out, offOut, in, offIn, length);
        IMPL.exp(out, offOut, in, offIn, length);
    }

    /**
     * out = e^in - 1, elementwise.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void expm1(float[] out, int offOut, float[] in, int offIn, int length) {
        validate(out, offOut, in, offIn, length);
        IMPL.expm1(out, offOut, in, offIn, length);
    }

    /**
     * out = ln(in), elementwise.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void log(float[] out, int offOut, float[] in, int offIn, int length) {
        validate(out, offOut, in, offIn, length);
        IMPL.log(out, offOut, in, offIn, length);
    }

    /**
     * out = ln(1 + in), elementwise.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void log1p(float[] out, int offOut, float[] in, int offIn, int length) {
        validate(out, offOut, in, offIn, length);
        IMPL.log1p(out, offOut, in, offIn, length);
    }

    /**
     * out = tanh(in), elementwise.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void tanh(float[] out, int offOut, float[] in, int offIn, int length) {
        validate(out, offOut, in, offIn, length);
        IMPL.tanh(out, offOut, in, offIn, length);
    }

    /**
     * out = 1 / (1 + e^-in), elementwise.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void sigmoid(float[] out, int offOut, float[] in, int offIn, int length) {
        validate(out, offOut, in, offIn, length);
        IMPL.sigmoid(out, offOut, in, offIn, length);
    }

    /**
     * out = erf(in), elementwise.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void erf(float[] out, int offOut, float[] in, int offIn, int length) {
        validate(out, offOut, in, offIn, length);
        IMPL.erf(out, offOut, in, offIn, length);
    }

    /**
     * out = erfc(in) = 1 - erf(in), elementwise, accurate in the right tail.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void erfc(float[] out, int offOut, float[] in, int offIn, int length) {
        validate(out, offOut, in, offIn, length);
        IMPL.erfc(out, offOut, in, offIn, length);
    }

    /** {@return the implementation in use: its simple class name} */
    public static String implementation() {
        return IMPL.getClass().getSimpleName();
    }

    private static void validate(float[] out, int offOut, float[] in, int offIn, int length) {
        Check.nonNegative("length", length);
        Check.range("out", out, offOut, length);
        Check.range("in", in, offIn, length);
        Check.sameOrDisjoint("out", out, offOut, "in", in, offIn, length);
    }
}
