package dev.lanes.unsupervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.Generate.range;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The chains sample the model: after a burn-in, the visible states of many independent chains
 * follow P(v) (Bernoulli units: every state's frequency; Gaussian units: the means), within 5
 * binomial or normal standard errors plus 0.002.
 */
class GibbsSamplerTest {
    static final int CHAINS = 4000;
    static final int BURN_IN = 60;

    @Test
    void bernoulliChainsVisitEveryStateAsOftenAsTheModelSays() {
        RbmExactTest.qt(1821, 12).forAll(RbmCase.cases(4, 3, 1.5, RbmCase.bernoulli())).checkAssert(c -> {
            Rbm rbm = c.build();
            ExactRbm exact = new ExactRbm(rbm);
            double logZ = Enumeration.logPartition(rbm);
            GibbsSampler sampler = new GibbsSampler(rbm, CHAINS, c.seed());
            sampler.startRandom();
            sampler.run(BURN_IN);
            int[] counts = new int[1 << c.visible()];
            float[] states = sampler.visibleStates();
            for (int chain = 0; chain < CHAINS; chain++) {
                int code = 0;
                for (int i = 0; i < c.visible(); i++) {
                    code |= (int) states[chain * c.visible() + i] << i;
                }
                counts[code]++;
            }
            for (int code = 0; code < counts.length; code++) {
                double p = Math.exp(exact.negativeFreeEnergy(ExactRbm.state(code, c.visible())) - logZ);
                double frequency = counts[code] / (double) CHAINS;
                double bound = 5 * Math.sqrt(p * (1 - p) / CHAINS) + 0.002;
                RbmExactTest.close(c + ": frequency of visible state " + code, p, frequency, bound);
            }
        });
    }

    @Test
    void gaussianChainsHaveTheModelsMeans() {
        RbmExactTest.qt(1822, 12).forAll(RbmCase.cases(4, 3, 1.0, RbmCase.bothUnits().map(u -> VisibleUnits.GAUSSIAN)))
                .checkAssert(c -> {
                    Rbm rbm = c.build();
                    double[] expected = new ExactRbm(rbm).modelStatistics()[1];
                    GibbsSampler sampler = new GibbsSampler(rbm, CHAINS, c.seed());
                    sampler.startRandom();
                    sampler.run(BURN_IN);
                    float[] states = sampler.visibleStates();
                    for (int i = 0; i < c.visible(); i++) {
                        double sum = 0;
                        double squares = 0;
                        for (int chain = 0; chain < CHAINS; chain++) {
                            double v = states[chain * c.visible() + i];
                            sum += v;
                            squares += v * v;
                        }
                        double mean = sum / CHAINS;
                        double std = Math.sqrt(squares / CHAINS - mean * mean);
                        RbmExactTest.close(c + ": mean of visible unit " + i, expected[i], mean,
                                5 * std / Math.sqrt(CHAINS) + 0.002);
                    }
                });
    }

    /**
     * Running for statistics (the last hidden states not drawn) gives the same visible states and
     * hidden probabilities as running, and leaves the stream where running leaves it: the chains
     * restarted afterwards are the same.
     */
    @Test
    void runningForStatisticsSkipsOnlyTheLastHiddenDraw() {
        RbmExactTest.qt(1823, 30).forAll(RbmCase.cases(16, 12, 1.5, RbmCase.bothUnits()), range(1, 4))
                .checkAssert((c, steps) -> {
                    Rbm rbm = c.build();
                    GibbsSampler full = new GibbsSampler(rbm, 5, c.seed());
                    GibbsSampler statistics = new GibbsSampler(rbm, 5, c.seed());
                    float[] first = c.data(5, c.seed() + 1);
                    float[] second = c.data(5, c.seed() + 2);
                    full.start(first, 0, 5);
                    statistics.start(first, 0, 5);
                    full.run(steps);
                    statistics.runForStatistics(steps);
                    assertArrayEquals(full.visibleStates(), statistics.visibleStates(), c + ": visible states");
                    assertArrayEquals(full.hiddenProbabilities(), statistics.hiddenProbabilities(),
                            c + ": hidden probabilities");
                    full.start(second, 0, 5);
                    statistics.start(second, 0, 5);
                    full.run(2);
                    statistics.run(2);
                    assertArrayEquals(full.visibleStates(), statistics.visibleStates(), c + ": restarted, visible");
                    assertArrayEquals(full.hiddenStates(), statistics.hiddenStates(), c + ": restarted, hidden");
                });
    }

    @Test
    void clampedUnitsKeepTheirValues() {
        Rbm rbm = new RbmCase(6, 4, VisibleUnits.BERNOULLI, 2.0, 7).build();
        GibbsSampler sampler = new GibbsSampler(rbm, 3, 11);
        float[] start = {1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0};
        sampler.startChecked(start, 0, 3);
        sampler.clamp(new boolean[] {true, true, true, false, false, false});
        sampler.run(25);
        float[] states = sampler.visibleStates();
        for (int chain = 0; chain < 3; chain++) {
            assertArrayEquals(Arrays.copyOfRange(start, chain * 6, chain * 6 + 3),
                    Arrays.copyOfRange(states, chain * 6, chain * 6 + 3), "chain " + chain);
        }
        assertEquals(25, sampler.steps());
    }

    @Test
    void errorsAreNamed() {
        Rbm rbm = new Rbm(4, 2, VisibleUnits.BERNOULLI, 1);
        GibbsSampler sampler = new GibbsSampler(rbm, 2, 1);
        IllegalStateException notStarted = assertThrows(IllegalStateException.class, () -> sampler.run(1));
        assertEquals("Rbm(4 -> 2, Bernoulli visible): start the chains before running them", notStarted.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sampler.startChecked(new float[] {0, 1, 0.5f, 1}, 0, 1));
        assertEquals("Rbm(4 -> 2, Bernoulli visible): visible data value 0.5 at row 0, column 2 is not 0 or 1: "
                + "Bernoulli visible units model binary data (binarise it first, or use Gaussian visible units)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sampler.start(new float[7], 0, 2));
        assertTrue(e.getMessage().contains("chain start needs 2 rows of 4 values (8 floats) from offset 0, but the "
                + "array holds 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sampler.clamp(new boolean[3]));
        assertEquals("Rbm(4 -> 2, Bernoulli visible): clamp mask needs 4 entries, got 3", e.getMessage());
        // A NaN weight makes the hidden probabilities NaN: the chain stops instead of drawing zeros.
        rbm.weight().value().data()[3] = Float.NaN;
        ChainDivergedException diverged = assertThrows(ChainDivergedException.class,
                () -> sampler.start(new float[] {1, 1, 1, 1}, 0, 1));
        assertTrue(diverged.getMessage().contains("diverged at step 0 (hidden probabilities became NaN)"),
                diverged.getMessage());
    }
}
