package dev.lanes.gradcheck;

import java.util.Locale;

/**
 * What a passing check measured.
 *
 * @param subject     the layer, loss or function name
 * @param precision   the arithmetic assumed
 * @param mode        {@link Mode#FULL} or {@link Mode#DIRECTIONS} (AUTO resolved)
 * @param seed        the seed of the check's random choices
 * @param comparisons how many entries or directions were compared
 * @param maxError    the largest |numeric - analytic|
 * @param worst       the comparison with the largest error / tolerance
 */
public record GradCheckResult(String subject, Precision precision, Mode mode, long seed, long comparisons,
                              double maxError, Comparison worst) {

    /**
     * {@return the largest error / tolerance over all comparisons (below 1 when the check passed)}
     */
    public double worstRatio() {
        return worst == null ? 0 : worst.ratio();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d comparisons (%s, %s, seed %d), max error %.3g, worst %s",
                subject, comparisons, mode, precision, seed, maxError, worst == null ? "none" : worst);
    }
}
