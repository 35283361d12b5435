package dev.lanes.unsupervised;

import dev.lanes.kernels.Reductions;
import java.util.SplittableRandom;

/**
 * Draws unit states from their means with a seeded stream, in a fixed order, so that a run is
 * the same for a given seed on any machine and thread count. Each 64-bit draw gives two uniform
 * variates of 24 bits (the resolution of a float in [0, 1)).
 */
final class UnitSampler {
    private static final float UNIT = 0x1.0p-24f;
    private final SplittableRandom random;

    UnitSampler(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * states[i] = 1 with probability p[i], else 0, for i &lt; length. Returns the sum of the
     * probabilities, which is NaN or infinite when one of them is (a NaN probability would
     * otherwise draw 0 silently).
     *
     * <p>The draw loop has neither a branch on the outcome (a coin toss the branch predictor
     * cannot learn) nor a running float sum (a chain of dependent additions); the sum is a
     * separate vector reduction.
     */
    float bernoulli(float[] states, int offStates, float[] probabilities, int offProbabilities, int length) {
        int i = 0;
        for (; i + 1 < length; i += 2) {
            long bits = random.nextLong();
            states[offStates + i] = below((int) (bits >>> 40), probabilities[offProbabilities + i]);
            states[offStates + i + 1] = below((int) bits & 0xFFFFFF, probabilities[offProbabilities + i + 1]);
        }
        if (i < length) {
            states[offStates + i] = below((int) (random.nextLong() >>> 40), probabilities[offProbabilities + i]);
        }
        return Reductions.sum(probabilities, offProbabilities, length);
    }

    /**
     * 1 when the uniform variate {@code u24}·2^-24 is below p, else 0: the sign bit of their
     * difference, which is negative exactly when u &lt; p (the difference of two floats is exact
     * near zero, so it never rounds to zero or across it).
     */
    private static float below(int u24, float p) {
        return Float.floatToRawIntBits(u24 * UNIT - p) >>> 31;
    }

    /** states[i] = means[i] + N(0, 1). Returns the sum of the states (non-finite when one is). */
    float gaussian(float[] states, int offStates, float[] means, int offMeans, int length) {
        float sum = 0;
        for (int i = 0; i < length; i++) {
            float state = means[offMeans + i] + (float) random.nextGaussian();
            states[offStates + i] = state;
            sum += state;
        }
        return sum;
    }

    /** A uniform variate in [0, 1). */
    float uniform() {
        return (random.nextLong() >>> 40) * UNIT;
    }

    /** A uniform int in [0, bound). */
    int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
