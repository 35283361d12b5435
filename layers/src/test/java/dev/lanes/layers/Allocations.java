package dev.lanes.layers;

import java.lang.reflect.Method;

/**
 * Counts the bytes the current thread allocates, through HotSpot's
 * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()} (reached by reflection
 * because the layers module does not read java.management). The count is exact per thread, so
 * "nothing allocated" is a deterministic statement about the code, not a timing.
 */
public final class Allocations {
    private static final int ROUNDS = 40;
    /** How long the rounds may go on past {@link #ROUNDS} while every one allocates. */
    private static final long PATIENCE_NANOS = 10_000_000_000L;
    private static final Object BEAN;
    private static final Method ALLOCATED;

    static {
        try {
            BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Allocations() {
    }

    private static long allocated() {
        try {
            return (long) ALLOCATED.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The fewest bytes that {@code steps} runs of {@code step} allocate, over up to
     * {@value #ROUNDS} rounds after {@code warmup} runs (which link the classes and let the JIT
     * compile), less the cost of the measurement itself; it stops at the first round that
     * allocates nothing.
     *
     * <p>Why the minimum: a round during which the JIT replaces code (an on-stack replacement, a
     * deoptimization) can see a one-off allocation of a few hundred bytes that is not the code's,
     * and Vector API code allocates its vectors until C2 has compiled it, which on a loaded
     * machine can take longer than any fixed warm-up. Code that allocates per step allocates at
     * least 16 bytes times {@code steps} in every round, so the minimum still exposes it; the
     * rounds stop at the first that allocates nothing, so a passing test stays short. While every
     * round allocates, they go on for at least 10 s: in about one run of the layers suite in five,
     * on two cores busy with the suite's other work, ReLU's loop still ran in C1's code, boxing its
     * vectors (17.5 KB per 1K floats), 6,000 calls after it started; C2's tier-4 compile of it had
     * not come yet. Code that allocates for good fails after those 10 s.
     */
    public static long steadyState(Runnable step, int warmup, int steps) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        allocated();
        long first = allocated();
        long probe = allocated() - first;
        long fewest = Long.MAX_VALUE;
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        for (int round = 0; fewest > 0 && (round < ROUNDS || System.nanoTime() < deadline); round++) {
            long before = allocated();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            fewest = Math.min(fewest, allocated() - before - probe);
        }
        return fewest;
    }
}
