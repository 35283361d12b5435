package dev.lanes.unsupervised;

import static org.quicktheories.generators.Generate.range;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;

/**
 * RBMs small enough to enumerate (up to 16 visible and 12 hidden units) against {@link ExactRbm},
 * which sums e^(−E(v, h)) over states: the free energy and P(h | v) of the float code, the exact
 * log partition function of {@link Enumeration}, the contrastive-divergence positive phase, and
 * the trainer's update when the model's statistics are supplied exactly, which must be the exact
 * gradient of the mean log-likelihood (itself checked by central differences).
 *
 * <p>Tolerances: the float code computes the hidden inputs c + Wv in float32 (relative error
 * about 1e-7 per term over at most 16 terms of order 1), so free energies (sums of up to 12
 * softplus values of order 1 to 10) agree to 1e-4 relative and probabilities to 1e-5; a wrong
 * term is off by O(0.1) or more.
 */
class RbmExactTest {
    /**
     * {@code cases} generated cases from a fixed seed (printed on failure). QuickTheories 0.26 runs
     * one case fewer than withExamples asks for; shrinking stops after 30 cycles, since a case
     * here can take a second (AIS, long chains) and a failure should be reported in minutes.
     */
    static QuickTheory qt(long seed, int cases) {
        return QuickTheory.qt().withFixedSeed(seed).withExamples(cases + 1).withShrinkCycles(30);
    }

    static void close(String what, double expected, double actual, double tolerance) {
        if (!(Math.abs(expected - actual) <= tolerance)) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: expected %.9g, got %.9g (tolerance %.3g)", what,
                    expected, actual, tolerance));
        }
    }

    @Test
    void freeEnergyAndHiddenConditionalsMatchTheJointDistribution() {
        qt(1801, 150).forAll(RbmCase.cases(16, 12, 2.0, RbmCase.bothUnits()), range(1, 5))
                .checkAssert((c, n) -> {
                    Rbm rbm = c.build();
                    ExactRbm exact = new ExactRbm(rbm);
                    float[] data = c.data(n, c.seed() + 1);
                    double[] free = new double[n];
                    rbm.freeEnergy(free, data, 0, n, new float[n * c.hidden()]);
                    float[] probabilities = new float[n * c.hidden()];
                    rbm.hiddenProbabilities(probabilities, 0, data, 0, n);
                    for (int r = 0; r < n; r++) {
                        double[] v = new double[c.visible()];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = data[r * v.length + i];
                        }
                        double expected = -exact.negativeFreeEnergy(v);
                        close(c + ": F(v) of row " + r, expected, free[r], 1e-4 * (1 + Math.abs(expected)));
                        double[] marginals = exact.hiddenMarginals(v);
                        for (int j = 0; j < c.hidden(); j++) {
                            close(c + ": P(h" + j + " = 1 | v) of row " + r, marginals[j],
                                    probabilities[r * c.hidden() + j], 1e-5);
                        }
                    }
                });
    }

    @Test
    void exactLogPartitionMatchesTheSumOverAllPairs() {
        qt(1802, 150).forAll(RbmCase.cases(8, 8, 2.0, RbmCase.bernoulli())).checkAssert(c -> {
            Rbm rbm = c.build();
            double expected = new ExactRbm(rbm).bruteLogPartition();
            close(c + ": log Z", expected, Enumeration.logPartition(rbm), 1e-9 * (1 + Math.abs(expected)));
        });
    }

    /** Gaussian visible units: the closed-form integral over v against quadrature, for V = 1 and 2. */
    @Test
    void exactGaussianLogPartitionMatchesQuadrature() {
        qt(1803, 20).forAll(RbmCase.cases(2, 3, 1.0, RbmCase.bothUnits().map(u -> VisibleUnits.GAUSSIAN)))
                .checkAssert(c -> {
                    Rbm rbm = c.build();
                    double expected = new ExactRbm(rbm).quadratureLogPartition(0.05);
                    close(c + ": log Z", expected, Enumeration.logPartition(rbm), 1e-8 * (1 + Math.abs(expected)));
                });
    }

    /** Contrastive divergence's and PCD's positive phase is the exact data term E_data[P(h | v) vᵀ]. */
    @Test
    void positivePhaseIsTheExactDataTerm() {
        qt(1804, 100).forAll(RbmCase.cases(16, 12, 2.0, RbmCase.bothUnits()), range(1, 8),
                org.quicktheories.generators.Generate.booleans()).checkAssert((c, n, persistent) -> {
                    Rbm rbm = c.build();
                    float[] data = c.data(n, c.seed() + 2);
                    RbmTrainer trainer = new RbmTrainer(rbm, new RbmTrainingOptions().batchSize(8)
                            .persistent(persistent));
                    RbmGradient g = new RbmGradient(rbm);
                    trainer.positivePhase(g, data, 0, n);
                    double[][] expected = new ExactRbm(rbm).dataStatistics(data, n);
                    compare(c + (persistent ? " (PCD)" : " (CD)") + " positive phase", expected, g, 1e-5);
                });
    }

    static void compare(String what, double[][] expected, RbmGradient actual, double tolerance) {
        float[][] parts = {actual.weight(), actual.visibleBias(), actual.hiddenBias()};
        String[] names = {"weight", "visible bias", "hidden bias"};
        for (int p = 0; p < parts.length; p++) {
            for (int i = 0; i < parts[p].length; i++) {
                close(what + ", " + names[p] + " [" + i + "]", expected[p][i], parts[p][i],
                        tolerance * (1 + Math.abs(expected[p][i])));
            }
        }
    }

    /**
     * The positive phase minus the exact model statistics, applied by the trainer with learning
     * rate 1 and no momentum or decay, moves each parameter by the exact gradient of the mean
     * log-likelihood: the analytic one (data minus model statistics, from {@link ExactRbm}) for
     * every parameter, and central differences of {@link Enumeration#logLikelihood} for several.
     */
    @Test
    void updateWithTheExactModelTermIsTheExactGradient() {
        qt(1805, 100).forAll(RbmCase.cases(16, 12, 1.5, RbmCase.bothUnits()), range(1, 8)).checkAssert((c, n) -> {
            Rbm rbm = c.build();
            float[] data = c.data(n, c.seed() + 3);
            ExactRbm exact = new ExactRbm(rbm);
            double[][] data0 = exact.dataStatistics(data, n);
            double[][] model = exact.modelStatistics();
            double[][] gradient = new double[3][];
            for (int p = 0; p < 3; p++) {
                gradient[p] = new double[model[p].length];
                for (int i = 0; i < gradient[p].length; i++) {
                    gradient[p][i] = data0[p][i] - model[p][i];
                }
            }
            checkByCentralDifferences(c, rbm, data, n, gradient);
            RbmTrainer trainer = new RbmTrainer(rbm, new RbmTrainingOptions().batchSize(8).weightDecay(0));
            RbmGradient g = new RbmGradient(rbm);
            trainer.positivePhase(g, data, 0, n);
            float[][] parts = {g.weight(), g.visibleBias(), g.hiddenBias()};
            for (int p = 0; p < 3; p++) {
                for (int i = 0; i < parts[p].length; i++) {
                    parts[p][i] -= (float) model[p][i];
                }
            }
            float[][] before = new float[3][];
            for (int p = 0; p < 3; p++) {
                before[p] = rbm.parameters().get(p).value().data().clone();
            }
            trainer.apply(g, 1f, 0f);
            String[] names = {"weight", "visible bias", "hidden bias"};
            for (int p = 0; p < 3; p++) {
                float[] after = rbm.parameters().get(p).value().data();
                for (int i = 0; i < after.length; i++) {
                    double step = (double) after[i] - before[p][i];
                    close(c + ": update of " + names[p] + " [" + i + "]", gradient[p][i], step,
                            1e-5 * (1 + Math.abs(gradient[p][i]) + Math.abs(before[p][i])));
                }
            }
        });
    }

    /** Central differences of the exact mean log-likelihood at up to 12 parameters of each kind. */
    static void checkByCentralDifferences(RbmCase c, Rbm rbm, float[] data, int n, double[][] gradient) {
        for (int p = 0; p < 3; p++) {
            float[] values = rbm.parameters().get(p).value().data();
            int count = Math.min(values.length, 12);
            for (int t = 0; t < count; t++) {
                int i = (int) ((t * 7919L + c.seed()) % values.length);
                float saved = values[i];
                float plus = saved + 0x1p-10f * Math.max(1, Math.abs(saved));
                float minus = saved - 0x1p-10f * Math.max(1, Math.abs(saved));
                values[i] = plus;
                double up = Enumeration.logLikelihood(rbm, data, 0, n);
                values[i] = minus;
                double down = Enumeration.logLikelihood(rbm, data, 0, n);
                values[i] = saved;
                double numeric = (up - down) / ((double) plus - minus);
                close(c + ": d(mean log-likelihood)/d parameter " + p + " [" + i + "], central difference",
                        numeric, gradient[p][i], 1e-4 * (1 + Math.abs(numeric)));
            }
        }
    }
}
