package dev.lanes.kernels.scalar;

import dev.lanes.kernels.spi.MathKernel;
/**
 * Reference transcendental functions: each element computed in double ({@code StrictMath} or
 * {@link ScalarFunctions}) and rounded once to float, so the result is within half an ulp of the
 * exact value (plus 1e-10 relative for erf and erfc). Slow and obviously right.
 */
public final class ScalarMath implements MathKernel {
    @Override
    public void exp(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i] = (float) StrictMath.exp(in[offIn + i]);
        }
    }

    @Override
    public void expm1(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i] = (float) StrictMath.expm1(in[offIn + i]);
        }
    }

    @Override
    public void log(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i] = (float) StrictMath.log(in[offIn + i]);
        }
    }

    @Override
    public void log1p(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i] = (float) StrictMath.log1p(in[offIn + i]);
        }
    }

    @Override
    public void tanh(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i] = (float) StrictMath.tanh(in[offIn + i]);
        }
    }

    @Override
    public void sigmoid(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i] = (float) ScalarFunctions.sigmoid(in[offIn + i]);
        }
    }

    @Override
    public void erf(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i] = (float) ScalarFunctions.erf(in[offIn + i]);
        }
    }

    @Override
    public void erfc(float[] out, int offOut, float[] in, int offIn, int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i] = (float) ScalarFunctions.erfc(in[offIn + i]);
        }
    }
}
