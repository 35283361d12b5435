package dev.lanes.training.random;

import java.util.random.RandomGenerator;

/**
 * The SplitMix64 generator (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): a 64-bit counter stepped by the golden-ratio constant and hashed by
 * Stafford's "Mix13" finalizer.
 *
 * <p>Lanes uses it instead of {@link java.util.SplittableRandom} for two reasons: it can be
 * {@linkplain #reseed reseeded} in place, so a data loader starts each epoch's stream without
 * allocating, and its output is fixed by the three lines of {@link #nextLong()}, so shuffles,
 * augmentations and initial weights stay the same from one JDK to the next. The other
 * {@link RandomGenerator} methods ({@code nextInt(bound)}, {@code nextDouble()},
 * {@code nextGaussian()}) are the interface's defaults, computed from {@code nextLong()}.
 *
 * <p>Not thread-safe; give each thread its own instance.
 */
public final class SplitMix64 implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    /**
     * A generator whose stream is fixed by {@code seed}.
     *
     * @param seed the seed
     */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * Restarts the stream as if this generator had just been built with {@code seed}.
     *
     * @param seed the seed
     */
    public void reseed(long seed) {
        this.state = seed;
    }

    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /**
     * {@return a seed for an independent stream numbered {@code stream} derived from {@code seed},
     * for example one stream per epoch: {@code derive(seed, epoch)}} Different (seed, stream) pairs
     * give well-separated seeds because each step goes through the finalizer.
     *
     * @param seed the seed
     * @param stream the stream's number
     */
    public static long derive(long seed, long stream) {
        return mix(mix(seed + GOLDEN_GAMMA) + GOLDEN_GAMMA * (stream + 1));
    }

    /** Stafford's Mix13 64-bit finalizer, the output function of SplitMix64. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
