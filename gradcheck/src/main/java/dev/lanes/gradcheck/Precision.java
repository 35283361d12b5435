package dev.lanes.gradcheck;

/**
 * The arithmetic a checked function computes in, with the checker's defaults for it.
 *
 * <p><b>Step.</b> A central difference (f(x+h) - f(x-h)) / 2h has two errors: truncation, about
 * h^2 |f'''| / 6, and roundoff, about eps |f| / h, where eps is the unit roundoff of the
 * arithmetic (2^-23 for float32, 2^-52 for double; the evaluations of f are each off by a few eps
 * times their magnitude). Their sum is smallest near h = cbrt(3 eps |f| / |f'''|); with f and its
 * derivatives of comparable size this is the usual h = cbrt(eps) * scale, where scale = max(1, |x|)
 * keeps the step relative for large coordinates: 4.9e-3 for float32, 6.1e-6 for double. The total
 * error is then about eps^(2/3): 2.4e-5 relative in float32, 3.7e-11 in double. Perturbed
 * coordinates are rounded to the precision, and the checker divides by the step actually taken
 * (x+ - x-, exact in double), not by the nominal 2h.
 *
 * <p><b>Tolerance.</b> An entry passes when |numeric - analytic| is at most
 * {@code atol + rtol * max(|numeric|, |analytic|) + roundoff}, where {@code roundoff =
 * roundoffFactor * eps * M / (x+ - x-)} is the roundoff bound of the difference quotient itself:
 * M is the magnitude of the outputs involved (max of |f(x+)|, |f(x-)| and the root mean square
 * of the output, which stands in for intermediate values that cancel, as in a dot product whose
 * terms are larger than its sum). The factor covers the few roundings per output element plus
 * the error growth of short reductions (sqrt of their length). So the absolute part follows the
 * function's own magnitude instead of a fixed guess, and a loss summed over a large batch gets a
 * proportionally larger absolute tolerance, as its float value deserves.
 *
 * <ul>
 * <li>{@link #FLOAT32}: rtol 2e-3, atol 1e-5, roundoff factor 32. The relative part covers the
 *     truncation error of the central difference, h^2 f'''/(6 f'), which is largest where a
 *     function curves hard relative to its slope: binary cross-entropy near its clamp (-log p at
 *     small p, where it is about h^2 / (3 p^2)), a softplus or sigmoid in its tails. The worst
 *     measured over every Lanes layer and loss in the generated cases (docs/CORRECTNESS.md) is a
 *     few times below 2e-3, binary cross-entropy excepted (its slope can be small where -log p
 *     curves hard; its tests take a smaller step, as the last paragraph says), so a gradient off
 *     by 0.5% fails while a right one passes; a wrong
 *     formula (a sign, an index, a missing term) is off by tens of percent or more. The worst
 *     roundoff needed a factor below 2 (batch normalization, convolutions), so 32 leaves a factor
 *     16 for longer reductions than the tests use.
 * <li>{@link #FLOAT64}: rtol 1e-6, atol 1e-10, roundoff factor 32, for functions computed in
 *     double such as {@code dev.lanes.gradcheck.reference}; the error budget there is about
 *     1e-10 relative (h^2 ~ 4e-11 truncation, eps^(2/3) roundoff).
 * </ul>
 *
 * <p>A function whose third derivative dwarfs its first (x^3 near 0, a log near its pole) can
 * exceed rtol by truncation alone; a smaller {@code relativeStep} then helps, at the price of
 * more roundoff (which the tolerance follows).
 */
public enum Precision {
    /** float32 evaluation: unit roundoff 2^-23. */
    FLOAT32(0x1p-23, 2e-3, 1e-5, 32),
    /** double evaluation: unit roundoff 2^-52. */
    FLOAT64(0x1p-52, 1e-6, 1e-10, 32);

    private final double epsilon;
    private final double step;
    private final double relativeTolerance;
    private final double absoluteTolerance;
    private final double roundoffFactor;

    Precision(double epsilon, double relativeTolerance, double absoluteTolerance, double roundoffFactor) {
        this.epsilon = epsilon;
        this.step = Math.cbrt(epsilon);
        this.relativeTolerance = relativeTolerance;
        this.absoluteTolerance = absoluteTolerance;
        this.roundoffFactor = roundoffFactor;
    }

    /** {@return the unit roundoff: 2^-23 or 2^-52} */
    public double epsilon() {
        return epsilon;
    }

    /**
     * {@return the default relative step h0 = cbrt(eps); coordinate x moves by h0 * max(1, |x|)}
     */
    public double step() {
        return step;
    }

    /** {@return the default relative tolerance} */
    public double relativeTolerance() {
        return relativeTolerance;
    }

    /** {@return the default absolute tolerance floor} */
    public double absoluteTolerance() {
        return absoluteTolerance;
    }

    /**
     * {@return the default multiple of eps * M / step allowed for roundoff in the difference
     * quotient}
     */
    public double roundoffFactor() {
        return roundoffFactor;
    }

    /** The value nearest {@code value} that this precision holds. */
    double round(double value) {
        return this == FLOAT32 ? (double) (float) value : value;
    }
}
