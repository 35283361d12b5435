package dev.lanes.unsupervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Annealed importance sampling against the exact log partition function of RBMs small enough to
 * enumerate (up to 16 visible and 12 hidden units).
 *
 * <p>The stated tolerance: with 1,000 temperatures and 100 runs, log Ẑ lies within
 * {@value #TOLERANCE} nats of log Z for Bernoulli units with weights of spread up to 1 (from a
 * uniform or a base-rate start) and Gaussian units with weights of spread up to 0.5. Over 200
 * such models of each kind the largest errors were 0.059 (Bernoulli) and 0.080 (Gaussian):
 * AIS's own variance, which falls with more temperatures (3,000 gave at most 0.033 and, for
 * Gaussian weights of spread up to 1, 0.136 where 1,000 gave 0.30). Mutations it catches: the
 * base-rate term of the weights left out (0.22 nats off on a 1 x 1 model), the Gibbs transition
 * made at the previous temperature (0.20 nats off on a Gaussian 7 x 12 model; with 1,000
 * temperatures the Bernoulli cases stay inside the tolerance).
 *
 * <p>A per-unit error in the base model's log Z would be too small to see on these models, so
 * {@link #zeroWeightsMakeThePathExact} checks the base and the telescoping of the weights at a
 * full-size 784 x 500 model, where the answer is known in closed form.
 */
class AisTest {
    static final double TOLERANCE = 0.15;

    @Test
    void estimatesAreWithinTheToleranceOfTheExactLogPartition() {
        RbmExactTest.qt(1811, 40).forAll(RbmCase.cases(16, 12, 1.0, RbmCase.bernoulli()), RbmCase.seeds())
                .checkAssert((c, seed) -> check(c, seed, seed % 2 == 0));
        RbmExactTest.qt(1812, 40).forAll(RbmCase.cases(16, 12, 0.5, RbmCase.bothUnits().map(u -> VisibleUnits.GAUSSIAN)),
                RbmCase.seeds()).checkAssert((c, seed) -> check(c, seed, false));
    }

    static void check(RbmCase c, long seed, boolean baseRate) {
        Rbm rbm = c.build();
        double exact = Enumeration.logPartition(rbm);
        float[] base = baseRate ? AnnealedImportanceSampling.baseRateBiases(c.data(50, seed), 50, c.visible()) : null;
        AnnealedImportanceSampling.Estimate estimate = AnnealedImportanceSampling.logPartition(rbm, base,
                AnnealedImportanceSampling.schedule(1000), 100, seed);
        RbmExactTest.close(c + (baseRate ? ", base-rate start" : "") + ", seed " + seed + ": AIS log Z", exact,
                estimate.logPartition(), TOLERANCE);
        assertTrue(estimate.lower() <= estimate.logPartition() && estimate.logPartition() <= estimate.upper(),
                estimate.toString());
    }

    /**
     * With W = 0 every distribution on the path is the base times the hidden biases' factor, so
     * each run's log weight is exactly Σ_j softplus(c_j) − H·log 2 (the softplus terms telescope),
     * and log Z = log Z_A + that: Σ_i softplus(b_i) + Σ_j softplus(c_j) for Bernoulli units
     * starting from the model's own visible biases, V/2·log 2π + Σ_j softplus(c_j) for Gaussian
     * units. Float rounding of the 50 softplus differences per unit leaves about 1e-4 over 500 units.
     */
    @Test
    void zeroWeightsMakeThePathExact() {
        for (VisibleUnits units : VisibleUnits.values()) {
            Rbm rbm = new RbmCase(784, 500, units, 1.0, 3).build();
            java.util.Arrays.fill(rbm.weight().value().data(), 0f);
            double exact = 0;
            for (float c : rbm.hiddenBias().value().data()) {
                exact += Rbm.softplus(c);
            }
            for (float b : rbm.visibleBias().value().data()) {
                exact += units == VisibleUnits.BERNOULLI ? Rbm.softplus(b) : 0.5 * Math.log(2 * Math.PI);
            }
            float[] base = units == VisibleUnits.BERNOULLI ? rbm.visibleBias().value().toArray() : null;
            AnnealedImportanceSampling.Estimate estimate = AnnealedImportanceSampling.logPartition(rbm, base,
                    AnnealedImportanceSampling.schedule(50), 4, 7);
            RbmExactTest.close(units + " 784 x 500 with zero weights: AIS log Z", exact, estimate.logPartition(), 1e-3);
        }
    }

    @Test
    void theScheduleFollowsSalakhutdinovAndMurray() {
        double[] betas = AnnealedImportanceSampling.schedule(14500);
        assertEquals(14501, betas.length);
        assertEquals(0.0, betas[0]);
        assertEquals(0.5, betas[500], 1e-15);
        assertEquals(0.9, betas[4500], 1e-15);
        assertEquals(1.0, betas[14500]);
        assertEquals(1e-3, betas[1], 1e-15);
        assertEquals(1e-4, betas[501] - betas[500], 1e-12);
        assertEquals(1e-5, betas[4501] - betas[4500], 1e-12);
        for (int k = 1; k < betas.length; k++) {
            assertTrue(betas[k] > betas[k - 1], "increasing at " + k);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Rbm gaussian = new Rbm(3, 2, VisibleUnits.GAUSSIAN, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnnealedImportanceSampling.logPartition(gaussian, new float[3],
                        AnnealedImportanceSampling.schedule(10), 5, 1));
        assertEquals("AIS: Rbm(3 -> 2, Gaussian visible) anneals from N(b, I); base biases apply to Bernoulli units "
                + "only", e.getMessage());
        Rbm rbm = new Rbm(3, 2, VisibleUnits.BERNOULLI, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> AnnealedImportanceSampling.logPartition(rbm, null, new double[] {0, 0.5, 0.4, 1}, 5, 1));
        assertEquals("AIS: the inverse temperatures must increase, but β2 = 0.4 follows 0.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AnnealedImportanceSampling.logPartition(rbm, new float[2], new double[] {0, 1}, 5, 1));
        assertEquals("AIS: base biases need 3 values, got 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Enumeration.logPartition(new Rbm(30, 25,
                VisibleUnits.BERNOULLI, 1)));
        assertTrue(e.getMessage().contains("limited to 24 units (estimate log Z with AIS instead)"), e.getMessage());
    }
}
