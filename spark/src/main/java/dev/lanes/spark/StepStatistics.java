package dev.lanes.spark;

import java.util.Locale;

/**
 * Timings and traffic of a distributed training's steps: wall time per step on the driver, the
 * slowest task's compute time per step, their difference (what Spark and the combine cost), and
 * the bytes the workers send (gradient sums, or with averaging their weights and optimizer
 * slots) and receive (the same state, once per worker and Spark job), per optimizer step. The
 * first {@value #WARM_UP_JOBS} Spark jobs of a run are left out: they include starting the
 * executors' replicas and the JIT's first compilations.
 */
public final class StepStatistics {
    /** Jobs at the start of a run that are not counted. */
    public static final int WARM_UP_JOBS = 8;
    private int seen;
    private int workers;
    private long floats;
    private long steps;
    private long jobs;
    private long wallNanos;
    private long computeNanos;
    private long receivedBytes;
    private long images;

    /** No steps measured yet. */
    public StepStatistics() {
    }

    void reset(int workers, long floats) {
        this.workers = workers;
        this.floats = floats;
        seen = 0;
        steps = 0;
        jobs = 0;
        wallNanos = 0;
        computeNanos = 0;
        receivedBytes = 0;
        images = 0;
    }

    void add(long wall, long slowestCompute, long received, int stepImages, int stepCount) {
        if (++seen <= WARM_UP_JOBS) {
            return;
        }
        steps += stepCount;
        jobs++;
        wallNanos += wall;
        computeNanos += slowestCompute;
        receivedBytes += received;
        images += stepImages;
    }

    /** {@return steps measured (after the warm-up)} */
    public long steps() {
        return steps;
    }

    /** {@return images per second of wall time} */
    public double imagesPerSecond() {
        return images / Math.max(1e-9, wallNanos / 1e9);
    }

    /** {@return mean milliseconds per step of wall time minus the slowest task's compute} */
    public double overheadMillisPerStep() {
        return steps == 0 ? 0 : (wallNanos - computeNanos) / 1e6 / steps;
    }

    /** {@return mean milliseconds per step of wall time} */
    public double millisPerStep() {
        return steps == 0 ? 0 : wallNanos / 1e6 / steps;
    }

    /** {@return bytes per step from the workers to the driver (the tree nodes' sums)} */
    public double bytesUpPerStep() {
        return steps == 0 ? 0 : (double) receivedBytes / steps;
    }

    /**
     * {@return bytes per step from the driver to the workers: the state, once to each worker per
     * job}
     */
    public double bytesDownPerStep() {
        return steps == 0 ? 0 : 4.0 * floats * workers * jobs / steps;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d steps  %.1f ms/step  %.0f img/s  Spark overhead %.1f ms/step"
                        + "  %.0f bytes up + %.0f down per step", steps, millisPerStep(), imagesPerSecond(),
                overheadMillisPerStep(), bytesUpPerStep(), bytesDownPerStep());
    }
}
