package dev.lanes.kernels.panama.support;

import dev.lanes.kernels.Parallel;

/**
 * The task context of one parallel kernel call whose tasks are ranges of items (the elements of
 * a long array, rows, planes): task t runs the items [t perTask, min(items, (t + 1) perTask)). A
 * kernel extends it with its arguments as fields named for what they hold, set once per call,
 * and keeps one instance per calling thread. That instance is what the pool runs, so a call
 * allocates nothing (a capturing lambda would be a new object every call: it escapes into the
 * pool, so C2 cannot remove it). A kernel's tasks never start the same kernel on their thread, so
 * one instance per thread and kernel suffices.
 */
public abstract class RangeTask implements Parallel.Task {
    private int items;
    private int perTask;

    /** Runs the ranges of {@code items} on the pool, {@code perTask} items each, then {@link #clear}s. */
    protected final void start(int items, int perTask) {
        this.items = items;
        this.perTask = perTask;
        try {
            Parallel.forEach(Math.ceilDiv(items, perTask), this);
        } finally {
            clear();
        }
    }

    @Override
    public final void run(int task) {
        int first = task * perTask;
        range(first, first + Math.min(perTask, items - first));
    }

    /** The work on items [first, end). */
    protected abstract void range(int first, int end);

    /** Drops the references to the caller's arrays once the call is over. */
    protected abstract void clear();
}
