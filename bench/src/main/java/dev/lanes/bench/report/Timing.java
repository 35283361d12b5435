package dev.lanes.bench.report;

import java.util.Arrays;

/**
 * The report's timer: warm up, then time several samples and take the median time per call, which
 * shrugs off the outliers of a shared, noisy machine better than a mean.
 */
public final class Timing {
    /** The time between two readings of the clock while sampling. */
    private static final double BATCH_NANOS = 1000;

    private Timing() {
    }

    /**
     * Median seconds per call of {@code operation}: calls it for {@code warmupSeconds} (at least
     * twice), then takes {@code samples} samples of at least {@code sampleSeconds} each (at least
     * one call each). The clock is read once per batch of calls lasting about a microsecond (sized
     * from the warm-up), so that its own cost, some 20 ns, does not weigh on short calls: a copy
     * of 1024 floats takes about 60 ns.
     */
    public static double medianSeconds(Runnable operation, double warmupSeconds, int samples, double sampleSeconds) {
        long warmupStart = System.nanoTime();
        long warmupEnd = warmupStart + (long) (warmupSeconds * 1e9);
        int calls = 0;
        while (calls < 2 || System.nanoTime() < warmupEnd) {
            operation.run();
            calls++;
        }
        double estimate = (double) (System.nanoTime() - warmupStart) / calls;
        int batch = (int) Math.max(1, Math.min(1 << 20, BATCH_NANOS / estimate));
        double[] perCall = new double[samples];
        long sampleNanos = (long) (sampleSeconds * 1e9);
        for (int s = 0; s < samples; s++) {
            long start = System.nanoTime();
            long elapsed;
            long count = 0;
            do {
                for (int i = 0; i < batch; i++) {
                    operation.run();
                }
                count += batch;
                elapsed = System.nanoTime() - start;
            } while (elapsed < sampleNanos);
            perCall[s] = elapsed / 1e9 / count;
        }
        Arrays.sort(perCall);
        return samples % 2 == 1 ? perCall[samples / 2] : (perCall[samples / 2 - 1] + perCall[samples / 2]) / 2;
    }

    /** Seconds for one call, to decide how long a measurement may take. */
    public static double once(Runnable operation) {
        long start = System.nanoTime();
        operation.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
