package dev.lanes.unsupervised;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.VectorMath;

/**
 * Element-wise passes over long arrays split into chunks of a fixed size on the kernels' thread
 * pool. The chunk boundaries do not depend on the thread count, and every element is computed on
 * its own, so the results are the same bits on any number of threads.
 */
final class Chunks {
    /** Large enough that a task outweighs handing it to a thread, small enough to spread a batch. */
    static final int SIZE = 4096;

    private Chunks() {
    }

    /** The number of chunks covering {@code length} elements. */
    static int count(int length) {
        return (length + SIZE - 1) / SIZE;
    }

    /** values[offset + i] = σ(values[offset + i]) for i &lt; length. */
    static void sigmoid(float[] values, int offset, int length) {
        Parallel.forEach(count(length), chunk -> {
            int start = chunk * SIZE;
            int end = Math.min(length, start + SIZE);
            VectorMath.sigmoid(values, offset + start, values, offset + start, end - start);
        });
    }
}
