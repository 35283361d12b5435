package dev.lanes.spark;

import java.io.Serializable;

/**
 * Called by every task before it computes: the place where tests inject failures (throw, or halt
 * the executor's JVM) to show that a retried task gives the same step.
 */
@FunctionalInterface
public interface TaskProbe extends Serializable {
    /**
     * Called with the global step (from 0), the task's partition (its worker index) and Spark's
     * attempt number of the task (0 for the first attempt).
     *
     * @param step the global step, from 0
     * @param partition the task's partition: its worker index
     * @param attempt Spark's attempt number of the task, 0 for the first
     * @throws Exception to make the task fail, as a test wants
     */
    void beforeStep(long step, int partition, int attempt) throws Exception;

    /**
     * Calls {@code probe} (when not null) with the running task's attempt number.
     *
     * @param probe the probe, or null for none
     * @param step the global step, from 0
     * @param partition the task's partition: its worker index
     * @throws Exception to make the task fail, as a test wants
     */
    static void call(TaskProbe probe, long step, int partition) throws Exception {
        if (probe != null) {
            org.apache.spark.TaskContext context = org.apache.spark.TaskContext.get();
            probe.beforeStep(step, partition, context == null ? 0 : context.attemptNumber());
        }
    }
}
