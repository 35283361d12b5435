package dev.lanes.unsupervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.VectorMath;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Bernoulli draw is the comparison "uniform below p" with the uniform variates of the seeded
 * stream (two 24-bit variates per 64-bit draw, high bits first), written out here the obvious
 * way: the same states, including probabilities equal to a variate (not below it: state 0), 0,
 * 1, values outside [0, 1] and odd lengths. Long draws run in chunks on the kernels' threads and
 * skipped draws only move the stream: a script of draws, draws from total inputs (the logistic
 * function taken in place first) with and without the states, single variates and Gaussian states
 * gives the states of {@code SplittableRandom} used in order, on one thread and on two.
 */
class UnitSamplerTest {
    private static final float UNIT = 0x1.0p-24f;

    @Test
    void bernoulliStatesAreTheVariatesBelowTheProbabilities() {
        RbmExactTest.qt(1841, 60).forAll(org.quicktheories.generators.Generate.range(1, 301),
                org.quicktheories.generators.Generate.longRange(0, Long.MAX_VALUE)).checkAssert((length, seed) -> {
                    float[] p = probabilities(length, seed);
                    float[] states = new float[length + 3];
                    float sum = new UnitSampler(seed).bernoulli(states, 2, withOffset(p, 1), 1, length);
                    float[] expected = obviousDraw(p, seed);
                    double expectedSum = 0;
                    for (int i = 0; i < length; i++) {
                        assertEquals(expected[i], states[2 + i], "seed " + seed + ", state " + i + " for p = " + p[i]);
                        expectedSum += p[i];
                    }
                    assertEquals(0f, states[0] + states[1] + states[length + 2], "seed " + seed + ": outside the range");
                    assertEquals(expectedSum, sum, 1e-5 * (1 + Math.abs(expectedSum)), "seed " + seed + ": sum");
                });
    }

    @Test
    void aScriptOfDrawsIsTheSequentialStreamOnAnyThreadCount() {
        int previous = Parallel.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                int t = threads;
                RbmExactTest.qt(1842, 25).forAll(org.quicktheories.generators.Generate.longRange(0, Long.MAX_VALUE))
                        .checkAssert(seed -> runScript(seed, t));
            }
        } finally {
            Parallel.setThreads(previous);
        }
    }

    /** Eight random operations, Bernoulli draws up to three chunks long, against the obvious stream. */
    private static void runScript(long seed, int threads) {
        SplittableRandom script = new SplittableRandom(~seed);
        UnitSampler sampler = new UnitSampler(seed);
        SplittableRandom reference = new SplittableRandom(seed);
        for (int step = 0; step < 8; step++) {
            String where = "seed " + seed + ", " + threads + " threads, step " + step;
            int length = 1 + script.nextInt(3 * 4096 + 3);
            switch (script.nextInt(4)) {
                case 0 -> {
                    float[] p = new float[length];
                    for (int i = 0; i < length; i++) {
                        p[i] = (float) script.nextDouble();
                    }
                    float[] states = new float[length];
                    sampler.bernoulli(states, 0, p, 0, length);
                    for (int i = 0; i < length; i += 2) {
                        long bits = reference.nextLong();
                        assertEquals((bits >>> 40) * UNIT < p[i] ? 1f : 0f, states[i], where + ", state " + i);
                        if (i + 1 < length) {
                            assertEquals((bits & 0xFFFFFF) * UNIT < p[i + 1] ? 1f : 0f, states[i + 1],
                                    where + ", state " + (i + 1));
                        }
                    }
                }
                case 1 -> {
                    float[] values = new float[length];
                    for (int i = 0; i < length; i++) {
                        values[i] = (float) (script.nextDouble() * 16 - 8);
                    }
                    float[] p = new float[length];
                    VectorMath.sigmoid(p, 0, values, 0, length);
                    boolean draw = script.nextBoolean();
                    float[] states = new float[length];
                    float sum = sampler.sigmoidBernoulli(states, 0, values, 0, length, draw);
                    double expectedSum = 0;
                    for (int i = 0; i < length; i++) {
                        assertEquals(p[i], values[i], where + ": σ of input " + i);
                        expectedSum += p[i];
                    }
                    assertEquals(expectedSum, sum, 1e-5 * (1 + expectedSum), where + ": sum");
                    for (int i = 0; i < length; i += 2) {
                        long bits = reference.nextLong();
                        assertEquals(draw && (bits >>> 40) * UNIT < p[i] ? 1f : 0f, states[i], where + ", state " + i);
                        if (i + 1 < length) {
                            assertEquals(draw && (bits & 0xFFFFFF) * UNIT < p[i + 1] ? 1f : 0f, states[i + 1],
                                    where + ", state " + (i + 1));
                        }
                    }
                }
                case 2 -> assertEquals((reference.nextLong() >>> 40) * UNIT, sampler.uniform(), where + ": uniform");
                default -> {
                    int count = 1 + length % 50;
                    float[] means = new float[count];
                    float[] states = new float[count];
                    sampler.gaussian(states, 0, means, 0, count);
                    for (int i = 0; i < count; i++) {
                        assertEquals((float) reference.nextGaussian(), states[i], where + ", Gaussian state " + i);
                    }
                }
            }
        }
    }

    @Test
    void aNonFiniteInputShowsInTheSumOfTheProbabilities() {
        float[] states = new float[5];
        assertTrue(Float.isNaN(new UnitSampler(3).sigmoidBernoulli(states, 0, new float[] {0.5f, -3, Float.NaN, 1, 0},
                0, 5, true)));
        assertTrue(Float.isNaN(new UnitSampler(3).sigmoidBernoulli(states, 0, new float[] {0.5f, -3, Float.NaN, 1, 0},
                0, 5, false)));
    }

    @Test
    void aNonFiniteProbabilityShowsInTheSum() {
        float[] states = new float[5];
        assertTrue(Float.isNaN(new UnitSampler(3).bernoulli(states, 0, new float[] {0.5f, 0.1f, Float.NaN, 1, 0}, 0,
                5)));
        assertTrue(Float.isInfinite(new UnitSampler(3).bernoulli(states, 0,
                new float[] {0.5f, Float.POSITIVE_INFINITY, 0, 1, 0}, 0, 5)));
    }

    /** Probabilities of several kinds, some set to the very variates the sampler will draw. */
    private static float[] probabilities(int length, long seed) {
        float[] variates = variates(length, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        float[] p = new float[length];
        for (int i = 0; i < length; i++) {
            p[i] = switch (random.nextInt(6)) {
                case 0 -> variates[i];
                case 1 -> Math.nextUp(variates[i]);
                case 2 -> random.nextBoolean() ? 0f : 1f;
                case 3 -> (float) (random.nextDouble() * 1.4 - 0.2);
                default -> (float) random.nextDouble();
            };
        }
        return p;
    }

    private static float[] variates(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] u = new float[length];
        for (int i = 0; i < length; i += 2) {
            long bits = random.nextLong();
            u[i] = (bits >>> 40) * UNIT;
            if (i + 1 < length) {
                u[i + 1] = (bits & 0xFFFFFF) * UNIT;
            }
        }
        return u;
    }

    private static float[] obviousDraw(float[] p, long seed) {
        float[] u = variates(p.length, seed);
        float[] states = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            states[i] = u[i] < p[i] ? 1f : 0f;
        }
        return states;
    }

    private static float[] withOffset(float[] values, int offset) {
        float[] shifted = new float[values.length + offset];
        System.arraycopy(values, 0, shifted, offset, values.length);
        return shifted;
    }
}
