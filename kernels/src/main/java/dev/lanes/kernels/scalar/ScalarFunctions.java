package dev.lanes.kernels.scalar;

/**
 * The double-precision reference functions behind the scalar kernels: StrictMath where it has the
 * function, and plain series for what it lacks (erf, erfc). The activations' own are in
 * {@link ScalarActivations}. Each result is accurate to a few units
 * of 2^-52, so rounding it to float gives the float function to within half an ulp (plus 1e-10
 * relative); the Panama kernels are tested against these.
 */
public final class ScalarFunctions {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_PI = 0.5641895835477563;
    /** Below this |x| erf sums its Taylor series; above, erfc evaluates its continued fraction. */
    private static final double SERIES_LIMIT = 2.5;
    /** Terms of the continued fraction: 40 give full double precision for x >= 2.5. */
    private static final int FRACTION_TERMS = 40;

    private ScalarFunctions() {
    }

    /** 1 / (1 + e^-x), evaluated so that neither tail loses relative accuracy. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + StrictMath.exp(-x));
        }
        double e = StrictMath.exp(x);
        return e / (1 + e);
    }

    /** erf(x): the Taylor series below |x| = 2.5 (at most 40 terms), 1 - erfc(|x|) above. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a < SERIES_LIMIT) {
            return erfSeries(x);
        }
        return Math.copySign(1 - erfcFraction(a), x);
    }

    /** erfc(x) = 1 - erf(x), with full relative accuracy in the right tail. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Math.abs(x) < SERIES_LIMIT) {
            return 1 - erfSeries(x);
        }
        return x > 0 ? erfcFraction(x) : 2 - erfcFraction(-x);
    }

    /** 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1)), summed until the terms stop mattering. */
    private static double erfSeries(double x) {
        double power = x;
        // -0 is the identity of addition that keeps every sign: erf(-0) = -0 + -0 = -0.
        double sum = -0.0;
        for (int n = 0; ; n++) {
            double term = power / (2 * n + 1);
            sum += term;
            if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                return TWO_OVER_SQRT_PI * sum;
            }
            power *= -x * x / (n + 1);
        }
    }

    /**
     * erfc(x) for x >= 2.5 by the continued fraction
     * erfc(x) = e^(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))),
     * evaluated from the 40th term back.
     */
    private static double erfcFraction(double x) {
        if (x == Double.POSITIVE_INFINITY) {
            return 0;
        }
        double fraction = x;
        for (int k = FRACTION_TERMS; k >= 1; k--) {
            fraction = x + 0.5 * k / fraction;
        }
        return StrictMath.exp(-x * x) * INV_SQRT_PI / fraction;
    }
}
