package dev.lanes.kernels;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the bytes allocated by the calling thread and the kernel pool's worker threads, through
 * HotSpot's {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes(long)} (reached by
 * reflection because the kernels module does not read java.management). The count is exact per
 * thread, so "nothing allocated" is a deterministic statement about the code, not a timing. A copy
 * of the layers module's test helper, extended to the workers: a task run by a worker allocates on
 * that worker's thread.
 */
final class Allocations {
    private static final int ROUNDS = 40;
    /** Rounds go on past {@link #ROUNDS} until this much time has passed, for a JIT slowed by a loaded machine. */
    private static final long PATIENCE_NANOS = 5_000_000_000L;
    private static final Object BEAN;
    private static final Method ALLOCATED;

    static {
        try {
            BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Allocations() {
    }

    /** The ids of the calling thread and of the kernel pool's workers alive now. */
    private static long[] threads() {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().threadId());
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("lanes-kernel-")) {
                ids.add(thread.threadId());
            }
        }
        long[] result = new long[ids.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = ids.get(i);
        }
        return result;
    }

    private static long allocated(long[] threads) {
        try {
            long sum = 0;
            for (long id : threads) {
                sum += (long) ALLOCATED.invoke(BEAN, id);
            }
            return sum;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The fewest bytes that {@code steps} runs of {@code step} allocate on the calling thread and
     * the kernel workers, over up to {@value #ROUNDS} rounds after {@code warmup} runs (which link
     * the classes, size the workspaces and let the JIT compile), less the cost of the measurement
     * itself; it stops at the first round that allocates nothing.
     *
     * <p>Why the minimum: a round during which the JIT replaces code (an on-stack replacement, a
     * deoptimization) can see a one-off allocation that is not the code's, and Vector API code
     * allocates its vectors until C2 has compiled it, which on a loaded machine can take longer
     * than any fixed warm-up. Code that allocates per step allocates at least 16 bytes times
     * {@code steps} in every round, so the minimum still exposes it. The rounds stop at the first
     * that allocates nothing, else after {@value #ROUNDS} rounds and at least five seconds: C2
     * compiles in the background, and on a loaded machine its queue can hold a kernel's loop for
     * seconds while the code that runs meanwhile (interpreted, or C1) boxes every vector.
     */
    static long steadyState(Runnable step, int warmup, int steps) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        long[] threads = threads();
        allocated(threads);
        long first = allocated(threads);
        long probe = allocated(threads) - first;
        long fewest = Long.MAX_VALUE;
        long start = System.nanoTime();
        for (int round = 0; fewest > 0 && (round < ROUNDS || System.nanoTime() - start < PATIENCE_NANOS); round++) {
            long before = allocated(threads);
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            // the probe varies by a few bytes; a real per-step allocation is far larger than that
            fewest = Math.min(fewest, Math.max(0, allocated(threads) - before - probe));
        }
        return fewest;
    }
}
