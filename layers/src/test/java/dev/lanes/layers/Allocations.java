package dev.lanes.layers;

import java.lang.reflect.Method;

/**
 * Counts the bytes the current thread allocates, through HotSpot's
 * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()} (reached by reflection
 * because the layers module does not read java.management). The count is exact per thread, so
 * "nothing allocated" is a deterministic statement about the code, not a timing.
 */
public final class Allocations {
    private static final int ROUNDS = 5;
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
     * deoptimization) can see a one-off allocation of a few hundred bytes that is not the code's.
     * Code that allocates per step allocates at least 16 bytes times {@code steps} in every
     * round, so the minimum still exposes it.
     */
    public static long steadyState(Runnable step, int warmup, int steps) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        allocated();
        long first = allocated();
        long probe = allocated() - first;
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && fewest > 0; round++) {
            long before = allocated();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            fewest = Math.min(fewest, allocated() - before - probe);
        }
        return fewest;
    }
}
