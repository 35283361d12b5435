package dev.lanes.recurrent;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the calling thread and the kernel pool's workers, through HotSpot's
 * {@code com.sun.management.ThreadMXBean} (by reflection: the module does not read
 * java.management). Exact per thread, so "nothing allocated" is a statement about the code.
 */
final class Allocations {
    private static final Object BEAN;
    private static final Method ALLOCATED;

    static {
        try {
            BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes",
                    long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Allocations() {
    }

    private static long allocated() {
        long sum = 0;
        try {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread == Thread.currentThread() || thread.getName().startsWith("lanes-kernel-")) {
                    sum += (long) ALLOCATED.invoke(BEAN, thread.threadId());
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return sum;
    }

    /**
     * The smallest number of bytes allocated by {@code steps} calls of {@code step} over several
     * rounds after {@code warmup} calls: the JIT may need a while to compile the vector code, and
     * until it has, the vector operations allocate their boxes. That while is counted in the
     * process's CPU time (20 s of it), not in wall time: on a loaded machine 20 s of wall time left
     * the compiler threads too little CPU, and a layer that allocates nothing once compiled failed
     * with the boxes of its uncompiled code. Wall time is capped at 3 minutes all the same. Listing the
     * threads allocates too, so an empty round is measured and subtracted.
     */
    static long steadyState(Runnable step, int warmup, int steps) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        long best = Long.MAX_VALUE;
        long cpuDeadline = processCpuNanos() + 20_000_000_000L;
        long wallDeadline = System.nanoTime() + 180_000_000_000L;
        for (int round = 0; round < 40
                || best > 0 && processCpuNanos() < cpuDeadline && System.nanoTime() < wallDeadline; round++) {
            long empty = allocated();
            long baseline = allocated() - empty;
            long before = allocated();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            long bytes = allocated() - before - baseline;
            best = Math.min(best, Math.max(0, bytes));
            if (best == 0) {
                break;
            }
        }
        return best;
    }

    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration()
                .orElseThrow(() -> new AssertionError("this platform reports no process CPU time"))
                .toNanos();
    }
}
