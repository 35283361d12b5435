package dev.lanes.unsupervised;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.Reductions;
import dev.lanes.kernels.VectorMath;
import java.util.random.RandomGenerator;

/**
 * Draws unit states from their means with a seeded stream, in a fixed order, so that a run is
 * the same for a given seed on any machine and thread count. Each 64-bit draw gives two uniform
 * variates of 24 bits (the resolution of a float in [0, 1)).
 *
 * <p>The stream is SplitMix64 (Steele, Lea and Flood, 2014): draw k is a hash of the counter
 * {@code seed + k·γ}, the stream of {@code new java.util.SplittableRandom(seed)}, and its
 * {@code nextGaussian} is the {@link RandomGenerator} default that SplittableRandom uses too. Since
 * any draw can be computed from its number, a long Bernoulli draw is cut into chunks that run on
 * the kernels' threads, each from its own place in the stream, and draws that are not needed
 * can be skipped ({@link #sigmoidBernoulli} without drawing), with the same states as one thread
 * drawing them all in order.
 */
final class UnitSampler {
    private static final float UNIT = 0x1.0p-24f;
    private static final long GAMMA = 0x9e3779b97f4a7c15L;
    /** Elements per task of a Bernoulli draw (even, so that no draw is split between two tasks). */
    private static final int CHUNK = 4096;
    private final Stream random;

    UnitSampler(long seed) {
        this.random = new Stream(seed);
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
        long base = random.counter;
        random.counter += draws(length) * GAMMA;
        int chunks = (length + CHUNK - 1) / CHUNK;
        Parallel.forEach(chunks, chunk -> drawChunk(base, states, offStates, probabilities, offProbabilities,
                chunk * CHUNK, Math.min(length, (chunk + 1) * CHUNK)));
        return Reductions.sum(probabilities, offProbabilities, length);
    }

    /**
     * values[i] = σ(values[i]) in place (total inputs become probabilities), then, when
     * {@code draw}, states[i] drawn from them as {@link #bernoulli} draws them (the same states),
     * else the stream only moved past those draws. Each chunk takes the
     * logistic function and its draws on one thread while its values are in cache. Returns the sum
     * of the probabilities (non-finite when one is), summed chunk by chunk.
     */
    float sigmoidBernoulli(float[] states, int offStates, float[] values, int offValues, int length, boolean draw) {
        long base = random.counter;
        random.counter += draws(length) * GAMMA;
        int chunks = (length + CHUNK - 1) / CHUNK;
        float[] sums = new float[chunks];
        Parallel.forEach(chunks, chunk -> {
            int start = chunk * CHUNK;
            int end = Math.min(length, (chunk + 1) * CHUNK);
            VectorMath.sigmoid(values, offValues + start, values, offValues + start, end - start);
            if (draw) {
                drawChunk(base, states, offStates, values, offValues, start, end);
            }
            sums[chunk] = Reductions.sum(values, offValues + start, end - start);
        });
        float sum = 0;
        for (float chunkSum : sums) {
            sum += chunkSum;
        }
        return sum;
    }

    /** Elements [start, end) of a Bernoulli draw whose stream starts after counter {@code base}. */
    private static void drawChunk(long base, float[] states, int offStates, float[] probabilities,
                                  int offProbabilities, int start, int end) {
        long counter = base + (start / 2) * GAMMA;
        int i = start;
        for (; i + 1 < end; i += 2) {
            counter += GAMMA;
            long bits = mix(counter);
            states[offStates + i] = below((int) (bits >>> 40), probabilities[offProbabilities + i]);
            states[offStates + i + 1] = below((int) bits & 0xFFFFFF, probabilities[offProbabilities + i + 1]);
        }
        if (i < end) {
            states[offStates + i] = below((int) (mix(counter + GAMMA) >>> 40), probabilities[offProbabilities + i]);
        }
    }

    /** The 64-bit draws that {@code length} variates take: two per draw. */
    private static long draws(int length) {
        return (length + 1L) / 2;
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

    /** Stafford's Mix13 finalizer, SplitMix64's output function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The sequential view of the stream (Gaussian and single variates). */
    private static final class Stream implements RandomGenerator {
        private long counter;

        Stream(long seed) {
            this.counter = seed;
        }

        @Override
        public long nextLong() {
            counter += GAMMA;
            return mix(counter);
        }
    }
}
