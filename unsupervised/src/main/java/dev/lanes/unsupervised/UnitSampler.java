package dev.lanes.unsupervised;

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
     */
    float bernoulli(float[] states, int offStates, float[] probabilities, int offProbabilities, int length) {
        float sum = 0;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            long bits = random.nextLong();
            float p0 = probabilities[offProbabilities + i];
            float p1 = probabilities[offProbabilities + i + 1];
            states[offStates + i] = (bits >>> 40) * UNIT < p0 ? 1f : 0f;
            states[offStates + i + 1] = (bits & 0xFFFFFF) * UNIT < p1 ? 1f : 0f;
            sum += p0 + p1;
        }
        if (i < length) {
            float p = probabilities[offProbabilities + i];
            states[offStates + i] = (random.nextLong() >>> 40) * UNIT < p ? 1f : 0f;
            sum += p;
        }
        return sum;
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
