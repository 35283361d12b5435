package dev.lanes.kernels.internal;

/**
 * The fixed split of long arrays into chunks for the kernel pool. Chunk boundaries depend only on
 * the length, never on the thread count, so results that combine per-chunk partials are the
 * same for every thread count. Thresholds say where a second thread pays (measured with JMH,
 * see the bench module): memory-bound passes gain from it only once the data leaves the cache.
 */
final class Chunks {
    /** Elements per chunk: 64K floats, 256 KB, enough work to amortize a hand-off (~2 us). */
    static final int SIZE = 1 << 16;
    /** From this length on, transcendental functions (about 1 ns per element) run in parallel. */
    static final int TRANSCENDENTAL_PARALLEL = 1 << 17;
    /** From this length on, cheap memory-bound passes (ReLU, add, sum) run in parallel. */
    static final int MEMORY_PARALLEL = 1 << 20;

    private Chunks() {
    }

    /** The number of chunks covering {@code length} elements. */
    static int count(int length) {
        return (int) (((long) length + SIZE - 1) / SIZE);
    }

    /** The first element of a chunk. */
    static int start(int chunk) {
        return chunk * SIZE;
    }

    /** The number of elements in a chunk. */
    static int length(int chunk, int length) {
        return Math.min(SIZE, length - chunk * SIZE);
    }
}
