package dev.lanes.gradcheck.reference;

/** The error function in double, for the exact GELU (Java has none). */
public final class Erf {
    private Erf() {
    }

    /**
     * erf(x) by the series erf(x) = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))
     * (Abramowitz and Stegun 7.1.6), whose terms are all positive, so nothing cancels and the
     * relative error stays near a few ulps; |x| &gt;= 6 gives ±1 (1 - erf(6) is about 2e-17).
     *
     * @param x the input
     * @return erf(x)
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= 6) {
            return Math.copySign(1, x);
        }
        double term = a;
        double sum = a;
        for (int n = 1; n < 500; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return Math.copySign(2 / Math.sqrt(Math.PI) * Math.exp(-a * a) * sum, x);
    }
}
