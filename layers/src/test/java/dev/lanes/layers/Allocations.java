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
    /** Rounds go on past {@link #ROUNDS} until this much time has passed, for a JIT slowed by a loaded machine. */
    private static final long PATIENCE_NANOS = 5_000_000_000L;
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
     * round allocates, they go on for at least five seconds, as in the kernels module's
     * Allocations (the same rule; test sources are not shared between modules): in about one run
     * of the layers suite in five, ReLU's loop still ran in C1's code, boxing its vectors (17.5 KB
     * per 1K floats), 6,000 calls after it started, C2's queue behind the suite's other work on
     * two cores. Code that allocates for good fails after those five seconds.
     */
    public static long steadyState(Runnable step, int warmup, int steps) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        // The cost of one reading, as the least of several: a single reading can include a one-off
        // allocation that is not the measurement's (reflection setting up its accessor, a JIT event),
        // and subtracting that from every round would make a round that allocates nothing negative.
        long probe = Long.MAX_VALUE;
        for (int i = 0; i < 16; i++) {
            long first = allocated();
            probe = Math.min(probe, allocated() - first);
        }
        long fewest = Long.MAX_VALUE;
        long start = System.nanoTime();
        for (int round = 0; fewest > 0 && (round < ROUNDS || System.nanoTime() - start < PATIENCE_NANOS); round++) {
            long before = allocated();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            fewest = Math.min(fewest, allocated() - before - probe);
        }
        return fewest;
    }
}
