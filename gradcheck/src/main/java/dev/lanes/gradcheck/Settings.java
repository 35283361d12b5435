package dev.lanes.gradcheck;

/**
 * The resolved options of one check.
 *
 * @param fixedStep an absolute step for every coordinate, or NaN for the relative default
 *                  h0 * max(1, |x|)
 */
record Settings(long seed, Mode mode, double relativeStep, double fixedStep, double relativeTolerance,
                double absoluteTolerance, double roundoffFactor, int directions, int probes, long fullJacobianLimit,
                Precision precision) {

    /** The nominal step for coordinate value x. */
    double stepAt(double x) {
        return Double.isNaN(fixedStep) ? relativeStep * Math.max(1, Math.abs(x)) : fixedStep;
    }

    /** The nominal step for a coordinate of size 1, used to scale directional differences. */
    double unitStep() {
        return Double.isNaN(fixedStep) ? relativeStep : fixedStep;
    }

    Comparison compare(String variable, String index, double numeric, double analytic, double roundoff,
                       double step) {
        double error = Math.abs(numeric - analytic);
        double scale = Math.max(Math.abs(numeric), Math.abs(analytic));
        double tolerance = absoluteTolerance + relativeTolerance * scale + roundoff;
        if (!Double.isFinite(numeric) || !Double.isFinite(analytic)) {
            error = Double.NaN;
        }
        return new Comparison(variable, index, numeric, analytic, error, tolerance, roundoff, step);
    }
}
