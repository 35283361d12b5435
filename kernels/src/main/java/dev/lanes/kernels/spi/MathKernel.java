package dev.lanes.kernels.spi;

/**
 * Elementwise float transcendental functions: {@code out[offOut + i] = f(in[offIn + i])} for
 * {@code i < length}. Arguments arrive validated by {@link dev.lanes.kernels.VectorMath}; out and in
 * are either the same region or disjoint.
 */
public interface MathKernel {
    /** e^x. */
    void exp(float[] out, int offOut, float[] in, int offIn, int length);

    /** e^x - 1. */
    void expm1(float[] out, int offOut, float[] in, int offIn, int length);

    /** Natural logarithm. */
    void log(float[] out, int offOut, float[] in, int offIn, int length);

    /** log(1 + x). */
    void log1p(float[] out, int offOut, float[] in, int offIn, int length);

    /** Hyperbolic tangent. */
    void tanh(float[] out, int offOut, float[] in, int offIn, int length);

    /** Logistic sigmoid 1 / (1 + e^-x). */
    void sigmoid(float[] out, int offOut, float[] in, int offIn, int length);

    /** Error function. */
    void erf(float[] out, int offOut, float[] in, int offIn, int length);

    /** Complementary error function. */
    void erfc(float[] out, int offOut, float[] in, int offIn, int length);
}
