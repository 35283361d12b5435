package dev.lanes.kernels.panama.support;

/**
 * The fixed split of long arrays into chunks for the kernel pool. Chunk boundaries depend only on
 * the length, never on the thread count, so results that combine per-chunk partials are the
 * same for every thread count. The thresholds say from which length a second thread is used:
 * transcendental passes (about 0.5 ns per element per thread) pay for a hand-off early, memory-bound
 * ones gain only once the data no longer fits the caches (ActivationBench with -p threads=1,2).
 */
public final class Chunks {
    /** Elements per chunk: 64K floats, 256 KB, enough work to amortize a hand-off (~2 us). */
    public static final int SIZE = 1 << 16;
    /** From this length on, transcendental functions (about 1 ns per element) run in parallel. */
    public static final int TRANSCENDENTAL_PARALLEL = 1 << 17;
    /** From this length on, cheap memory-bound passes (ReLU, add, sum) run in parallel. */
    public static final int MEMORY_PARALLEL = 1 << 20;

    private Chunks() {
    }

    /** The number of chunks covering {@code length} elements. */
    public static int count(int length) {
        return (int) (((long) length + SIZE - 1) / SIZE);
    }

    /** The first element of a chunk. */
    public static int start(int chunk) {
        return chunk * SIZE;
    }

    /** The number of elements in a chunk. */
    public static int length(int chunk, int length) {
        return Math.min(SIZE, length - chunk * SIZE);
    }
}
