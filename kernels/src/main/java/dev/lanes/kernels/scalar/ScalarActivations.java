package dev.lanes.kernels.scalar;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.spi.ActivationKernel;

/**
 * The reference activations: one element at a time, in double, rounded once to float. The
 * formulas are the definitions on {@link Activation}, written to avoid cancellation (sigmoid and
 * erf from {@link ScalarFunctions}, softplus through log1p, ELU through expm1). {@link #value} and
 * {@link #gradient} are what the tests compare the vector kernels with.
 */
public final class ScalarActivations implements ActivationKernel {
    private static final double SELU_LAMBDA = Activation.SELU_LAMBDA;
    private static final double SELU_ALPHA = Activation.SELU_ALPHA;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double INV_SQRT2 = 0.7071067811865476;

    @Override
    public void forward(Activation.Kind kind, float parameter, float[] out, int offOut, float[] in, int offIn,
                        int length) {
        for (int i = 0; i < length; i++) {
            out[offOut + i] = (float) value(kind, parameter, in[offIn + i]);
        }
    }

    @Override
    public void backward(Activation.Kind kind, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                         int offGradOut, float[] saved, int offSaved, int length) {
        for (int i = 0; i < length; i++) {
            float s = kind == Activation.Kind.STEP || kind == Activation.Kind.IDENTITY ? 0f : saved[offSaved + i];
            gradIn[offGradIn + i] = (float) gradient(kind, parameter, gradOut[offGradOut + i], s);
        }
    }

    @Override
    public void preluForward(float[] out, int offOut, float[] in, int offIn, float[] slope, int offSlope,
                             int batch, int channels, int spatial) {
        for (int plane = 0; plane < batch * channels; plane++) {
            float a = slope[offSlope + plane % channels];
            int at = plane * spatial;
            for (int i = 0; i < spatial; i++) {
                float x = in[offIn + at + i];
                out[offOut + at + i] = x > 0 ? x : a * x;
            }
        }
    }

    // dL/dx = g where x > 0, else slope g; dL/dslope[c] = sum of g x where x <= 0
    @Override
    public void preluBackward(float[] gradIn, int offGradIn, float[] gradSlope, int offGradSlope, float[] gradOut,
                              int offGradOut, float[] in, int offIn, float[] slope, int offSlope,
                              int batch, int channels, int spatial) {
        preluSlopeGradient(gradSlope, offGradSlope, gradOut, offGradOut, in, offIn, batch, channels, spatial);
        for (int plane = 0; plane < batch * channels; plane++) {
            float a = slope[offSlope + plane % channels];
            int at = plane * spatial;
            for (int i = 0; i < spatial; i++) {
                float x = in[offIn + at + i];
                float g = gradOut[offGradOut + at + i];
                gradIn[offGradIn + at + i] = Float.isNaN(x) ? x : x > 0 ? g : a * g;
            }
        }
    }

    /**
     * gradSlope[c] += sum of gradOut in where in &lt;= 0 or is NaN, summed in double in index
     * order, so the Panama set (which calls this too) gives the same bits at every width.
     */
    public static void preluSlopeGradient(float[] gradSlope, int offGradSlope, float[] gradOut, int offGradOut,
                                          float[] in, int offIn, int batch, int channels, int spatial) {
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                int at = (n * channels + c) * spatial;
                for (int i = 0; i < spatial; i++) {
                    float x = in[offIn + at + i];
                    if (!(x > 0)) {
                        sum += (double) gradOut[offGradOut + at + i] * x;
                    }
                }
            }
            gradSlope[offGradSlope + c] += (float) sum;
        }
    }

    /** f(x) in double (also the function the tests differentiate numerically). */
    public static double value(Activation.Kind kind, float parameter, double x) {
        return switch (kind) {
            case STEP -> Double.isNaN(x) ? x : x > 0 ? 1 : 0;
            case IDENTITY -> x;
            case SIGMOID -> ScalarFunctions.sigmoid(x);
            case TANH -> StrictMath.tanh(x);
            case RELU -> Math.max(x, 0.0);
            case LEAKY_RELU -> x > 0 ? x : parameter * x;
            case ELU -> x > 0 ? x : parameter * StrictMath.expm1(x);
            case SELU -> SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * StrictMath.expm1(x));
            case GELU_TANH -> geluTanh(x);
            case GELU_ERF -> geluErf(x);
            // log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): no overflow, no cancellation.
            case SOFTPLUS -> Math.max(x, 0.0) + StrictMath.log1p(StrictMath.exp(-Math.abs(x)));
            case SOFTSIGN -> Double.isInfinite(x) ? Math.signum(x) : x / (1.0 + Math.abs(x));
            case HARD_SIGMOID -> Math.min(Math.max((x + 3.0) / 6.0, 0.0), 1.0);
            case HARD_SWISH -> x <= -3 ? -0.0 : x >= 3 ? x : x * (x + 3.0) / 6.0;
            case MISH -> mish(x);
            case CELU -> x > 0 ? x : parameter * StrictMath.expm1(x / parameter);
            case THRESHOLDED_RELU -> x > parameter || Double.isNaN(x) ? x : 0;
        };
    }

    /** gradOut * f'(x) in double, f' computed from the saved input or output s. */
    public static double gradient(Activation.Kind kind, float parameter, float gradOut, float s) {
        double g = gradOut;
        if (Float.isNaN(s) && kind != Activation.Kind.STEP && kind != Activation.Kind.IDENTITY) {
            return s;
        }
        return switch (kind) {
            case STEP -> 0;
            case IDENTITY -> g;
            case SIGMOID -> g * s * (1.0 - s);
            case TANH -> g * (1.0 - s) * (1.0 + s);
            case RELU -> s > 0 ? g : 0;
            case LEAKY_RELU -> s > 0 ? g : parameter * g;
            case ELU -> s > 0 ? g : g * (s + (double) parameter);
            case SELU -> s > 0 ? SELU_LAMBDA * g : g * (s + SELU_LAMBDA * SELU_ALPHA);
            case GELU_TANH -> g * geluTanhDerivative(s);
            case GELU_ERF -> g * geluErfDerivative(s);
            case SOFTPLUS -> g * ScalarFunctions.sigmoid(s);
            case SOFTSIGN -> g / ((1.0 + Math.abs(s)) * (1.0 + Math.abs(s)));
            case HARD_SIGMOID -> s > 0 && s < 1 ? g / 6.0 : 0;
            case HARD_SWISH -> s < -3 ? 0 : s > 3 ? g : g * (2.0 * s + 3.0) / 6.0;
            case MISH -> s == Float.NEGATIVE_INFINITY ? 0 : g * mishDerivative(s);
            case CELU -> s > 0 ? g : g * (s / parameter + 1.0);
            case THRESHOLDED_RELU -> s > parameter ? g : 0;
        };
    }

    /** GELU, tanh approximation, as x ScalarFunctions.sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)); gelu(-Inf) = -0. */
    private static double geluTanh(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return -0.0;
        }
        return x * ScalarFunctions.sigmoid(2 * SQRT_2_OVER_PI * (x + 0.044715 * x * x * x));
    }

    /** d/dx geluTanh(x); the limits 0 and 1 at -Inf and +Inf. */
    private static double geluTanhDerivative(double x) {
        if (Double.isInfinite(x)) {
            return x > 0 ? 1 : 0;
        }
        double v = 2 * SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
        double s = ScalarFunctions.sigmoid(v);
        double slope = 2 * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
        return s + x * s * ScalarFunctions.sigmoid(-v) * slope;
    }

    /** GELU with the exact normal CDF: x ScalarFunctions.erfc(-x / sqrt 2) / 2; gelu(-Inf) = -0. */
    private static double geluErf(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return -0.0;
        }
        return 0.5 * x * ScalarFunctions.erfc(-x * INV_SQRT2);
    }

    /** d/dx geluErf(x) = Phi(x) + x phi(x); the limits 0 and 1 at -Inf and +Inf. */
    private static double geluErfDerivative(double x) {
        if (Double.isInfinite(x)) {
            return x > 0 ? 1 : 0;
        }
        return 0.5 * ScalarFunctions.erfc(-x * INV_SQRT2) + x * INV_SQRT_2PI * StrictMath.exp(-0.5 * x * x);
    }

    /** Mish, x tanh(ln(1 + e^x)); mish(-Inf) = -0 (the limit of x e^x). */
    private static double mish(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return -0.0;
        }
        return x * StrictMath.tanh(StrictMath.log1p(StrictMath.exp(x)));
    }

    /**
     * d/dx mish(x) = t + 4 x e (1 + e) / (n + 2)^2 with e = e^x, n = e (e + 2), t = n / (n + 2);
     * above x = 20 the asymptote 1 + (4x - 2) e^-2x (the next term is O(x e^-3x)), 0 at -Inf.
     */
    private static double mishDerivative(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        if (x > 20) {
            return x == Double.POSITIVE_INFINITY ? 1 : 1 + (4 * x - 2) * StrictMath.exp(-2 * x);
        }
        double e = StrictMath.exp(x);
        double n = e * (e + 2);
        double d = n + 2;
        return n / d + 4 * x * e * (1 + e) / (d * d);
    }
}
