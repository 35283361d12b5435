package dev.lanes.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread pool of the kernels.
 *
 * <p>Kernels split their work into independent tasks (blocks of C, images of a batch) and run
 * them with {@link #forEach}. The split never changes what any task computes, so results are
 * bitwise identical for every thread count; that is a contract, and tested.
 *
 * <p>The thread count defaults to {@code -Dlanes.threads}, else the available processors, and
 * can be changed with {@link #setThreads}. A {@code forEach} called from inside a task, or while
 * another thread is using the pool, runs its tasks on the calling thread: nested parallelism
 * would only add scheduling cost on a machine this size.
 */
public final class Parallel {
    /** System property: the number of threads the kernels use. */
    public static final String THREADS_PROPERTY = "lanes.threads";
    /**
     * A waiting thread first spins (a handoff within microseconds, as between the back-to-back
     * loops of one GEMM), then yields (on a machine with more runnable threads than cores, the
     * thread it waits for may need this very core), then parks.
     */
    private static final int SPINS = 2_000;
    private static final int YIELDS = SPINS + 200;

    /** One task of a parallel loop. */
    @FunctionalInterface
    public interface Task {
        /**
         * Runs the task with the given index, in {@code [0, count)}.
         *
         * @param index the task's index, in {@code [0, count)}
         */
        void run(int index);
    }

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Job JOB = new Job();
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static volatile Worker[] workers = startWorkers(defaultThreads() - 1);

    private Parallel() {
    }

    /** {@return the number of threads kernels use, at least 1} */
    public static int threads() {
        return workers.length + 1;
    }

    /**
     * Sets the number of threads kernels use (the caller counts as one).
     *
     * @param threads the number of threads, {@code >= 1}
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        LOCK.lock();
        try {
            if (threads != threads()) {
                for (Worker worker : workers) {
                    worker.stop();
                }
                workers = startWorkers(threads - 1);
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Runs {@code task.run(i)} for every {@code i} in {@code [0, count)} on up to {@link #threads()}
     * threads and returns when all have finished. The first exception a task throws is rethrown
     * here (wrapped when it is checked); the remaining tasks still run.
     *
     * @param count the number of tasks, {@code >= 0}
     * @param task the task, run once per index
     */
    public static void forEach(int count, Task task) {
        if (count <= 0) {
            return;
        }
        if (count == 1 || workers.length == 0 || INSIDE.get() || !LOCK.tryLock()) {
            runSerially(count, task);
            return;
        }
        try {
            Worker[] pool = workers;
            int helpers = Math.min(pool.length, count - 1);
            // one job object, reused under LOCK: a parallel loop allocates nothing
            Job job = JOB.reset(count, task, helpers, Thread.currentThread());
            for (int i = 0; i < helpers; i++) {
                pool[i].assign(job);
            }
            INSIDE.set(Boolean.TRUE);
            try {
                job.work();
            } finally {
                INSIDE.set(Boolean.FALSE);
            }
            job.awaitHelpers();
            Throwable failure = job.failure;
            job.clear();
            rethrow(failure);
        } finally {
            LOCK.unlock();
        }
    }

    private static void runSerially(int count, Task task) {
        boolean outer = !INSIDE.get();
        INSIDE.set(Boolean.TRUE);
        Throwable failure = null;
        try {
            for (int i = 0; i < count; i++) {
                try {
                    task.run(i);
                } catch (Throwable t) {
                    // same contract as the parallel path: the other tasks still run
                    if (failure == null) {
                        failure = t;
                    }
                }
            }
        } finally {
            if (outer) {
                INSIDE.set(Boolean.FALSE);
            }
        }
        rethrow(failure);
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        if (t != null) {
            throw new IllegalStateException("a parallel task failed", t);
        }
    }

    private static int defaultThreads() {
        String configured = System.getProperty(THREADS_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(configured.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw new IllegalArgumentException(THREADS_PROPERTY + " must be a positive integer, got '" + configured + "'");
    }

    private static Worker[] startWorkers(int count) {
        Worker[] started = new Worker[count];
        for (int i = 0; i < count; i++) {
            started[i] = new Worker(i + 1);
        }
        return started;
    }

    /** One parallel loop: tasks are handed out by an atomic counter. */
    private static final class Job {
        private int count;
        private Task task;
        private Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger helpersLeft = new AtomicInteger();
        private volatile Throwable failure;

        /**
         * Prepares the one job for a new loop. Only the holder of LOCK calls this, after the
         * previous loop's helpers have all finished with it; the volatile writes that hand the
         * job to the workers publish these fields.
         */
        Job reset(int count, Task task, int helpers, Thread caller) {
            this.count = count;
            this.task = task;
            this.caller = caller;
            this.failure = null;
            next.set(0);
            helpersLeft.set(helpers);
            return this;
        }

        void clear() {
            task = null;
            caller = null;
            failure = null;
        }

        void work() {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                try {
                    task.run(i);
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                }
            }
        }

        void helperDone() {
            // read before the decrement: once it reaches 0 the caller may reuse the job
            Thread waiting = caller;
            if (helpersLeft.decrementAndGet() == 0) {
                LockSupport.unpark(waiting);
            }
        }

        void awaitHelpers() {
            for (int spin = 0; helpersLeft.get() != 0; spin++) {
                if (spin < SPINS) {
                    Thread.onSpinWait();
                } else if (spin < YIELDS) {
                    Thread.yield();
                } else {
                    LockSupport.park(this);
                }
            }
        }

    }

    /** A daemon thread that runs the jobs assigned to it. */
    private static final class Worker implements Runnable {
        private final Thread thread;
        private volatile Job assigned;
        private volatile boolean stopped;

        Worker(int number) {
            thread = new Thread(this, "lanes-kernel-" + number);
            thread.setDaemon(true);
            thread.start();
        }

        void assign(Job job) {
            assigned = job;
            LockSupport.unpark(thread);
        }

        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            INSIDE.set(Boolean.TRUE);
            int spin = 0;
            while (!stopped) {
                Job job = assigned;
                if (job == null) {
                    if (spin < SPINS) {
                        Thread.onSpinWait();
                    } else if (spin < YIELDS) {
                        Thread.yield();
                    } else {
                        LockSupport.park(this);
                    }
                    spin++;
                    continue;
                }
                spin = 0;
                assigned = null;
                job.work();
                job.helperDone();
            }
        }
    }
}
