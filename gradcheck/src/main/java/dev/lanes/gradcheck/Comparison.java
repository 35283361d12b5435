package dev.lanes.gradcheck;

import java.util.Locale;

/**
 * One numeric-versus-analytic comparison: an entry of the Jacobian ({@link Mode#FULL}) or a
 * directional derivative ({@link Mode#DIRECTIONS}).
 *
 * @param variable  "input", a parameter name, or the name given to a function input
 * @param index     where: {@code d output[0, 2] / d weight[1, 0]}, or {@code direction 3 of 4}
 * @param numeric   the central difference
 * @param analytic  what the backward pass gave
 * @param error     |numeric - analytic|
 * @param tolerance atol + rtol * max(|numeric|, |analytic|) + roundoff
 * @param roundoff  the roundoff part of the tolerance
 * @param step      the step actually taken, (x+ - x-) / 2 for one coordinate, the nominal step
 *                  for a direction
 */
public record Comparison(String variable, String index, double numeric, double analytic, double error,
                         double tolerance, double roundoff, double step) {

    /** {@return whether the error is within the tolerance (false for NaN on either side)} */
    public boolean passed() {
        return error <= tolerance;
    }

    /**
     * error / tolerance: below 1 passes; how close an entry came to failing.
     *
     * @return error / tolerance
     */
    public double ratio() {
        return error / tolerance;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: numeric %.7g, analytic %.7g, error %.3g, tolerance %.3g", index,
                numeric, analytic, error, tolerance);
    }
}
