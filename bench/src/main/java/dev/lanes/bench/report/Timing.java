package dev.lanes.bench.report;

import java.util.Arrays;

/**
 * The report's timer: warm up, then time several samples and take the median time per call, which
 * shrugs off the outliers of a shared, noisy machine better than a mean.
 */
public final class Timing {
    private Timing() {
    }

    /**
     * Median seconds per call of {@code operation}: calls it for {@code warmupSeconds} (at least
     * twice), then takes {@code samples} samples of at least {@code sampleSeconds} each (at least
     * one call each).
     */
    public static double medianSeconds(Runnable operation, double warmupSeconds, int samples, double sampleSeconds) {
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int calls = 0;
        while (calls < 2 || System.nanoTime() < warmupEnd) {
            operation.run();
            calls++;
        }
        double[] perCall = new double[samples];
        long sampleNanos = (long) (sampleSeconds * 1e9);
        for (int s = 0; s < samples; s++) {
            long start = System.nanoTime();
            long elapsed;
            int count = 0;
            do {
                operation.run();
                count++;
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
