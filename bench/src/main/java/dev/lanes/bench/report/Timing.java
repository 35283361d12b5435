package dev.lanes.bench.report;

import java.util.Arrays;
import java.util.function.IntConsumer;

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
        int batch = batch(operation, warmupSeconds);
        double[] perCall = new double[samples];
        for (int s = 0; s < samples; s++) {
            perCall[s] = sample(operation, batch, sampleSeconds);
        }
        return median(perCall);
    }

    /**
     * Two operations timed back to back: the median over the rounds of the ratio of
     * {@code reference}'s time per call to {@code operation}'s, and the median time per call of
     * each.
     */
    public record Paired(double ratio, double referenceSeconds, double operationSeconds) {
    }

    /**
     * Times {@code reference} and {@code operation} back to back in each of {@code rounds} rounds
     * (which one goes first alternates), with samples of at least {@code sampleSeconds}. On a
     * shared machine whose speed drifts between seconds, a ratio of two medians taken a minute
     * apart moves by tens of percent; the ratio of neighbouring samples does not. Before each
     * round {@code placement} gets the round's number, to move the operands of both: where arrays
     * sit against the cache lines moves a copy of 1K floats between 45 and 77 ns, and the ratio
     * with it, so the median is taken over placements as well as over time. Both operations
     * should be warm.
     */
    public static Paired paired(Runnable reference, Runnable operation, int rounds, double sampleSeconds,
                                IntConsumer placement) {
        int referenceBatch = batch(reference, 0.02);
        int operationBatch = batch(operation, 0.02);
        double[] ratios = new double[rounds];
        double[] referenceSeconds = new double[rounds];
        double[] operationSeconds = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            placement.accept(r);
            if (r % 2 == 0) {
                referenceSeconds[r] = sample(reference, referenceBatch, sampleSeconds);
                operationSeconds[r] = sample(operation, operationBatch, sampleSeconds);
            } else {
                operationSeconds[r] = sample(operation, operationBatch, sampleSeconds);
                referenceSeconds[r] = sample(reference, referenceBatch, sampleSeconds);
            }
            ratios[r] = referenceSeconds[r] / operationSeconds[r];
        }
        placement.accept(0);
        return new Paired(median(ratios), median(referenceSeconds), median(operationSeconds));
    }

    /**
     * Calls {@code operation} for {@code warmupSeconds} (at least twice) and returns how many calls
     * last about {@link #BATCH_NANOS}.
     */
    private static int batch(Runnable operation, double warmupSeconds) {
        long warmupStart = System.nanoTime();
        long warmupEnd = warmupStart + (long) (warmupSeconds * 1e9);
        int calls = 0;
        while (calls < 2 || System.nanoTime() < warmupEnd) {
            operation.run();
            calls++;
        }
        double estimate = (double) (System.nanoTime() - warmupStart) / calls;
        return (int) Math.max(1, Math.min(1 << 20, BATCH_NANOS / estimate));
    }

    /** Seconds per call over batches of calls lasting at least {@code sampleSeconds} in all. */
    private static double sample(Runnable operation, int batch, double sampleSeconds) {
        long sampleNanos = (long) (sampleSeconds * 1e9);
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
        return elapsed / 1e9 / count;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Seconds for one call, to decide how long a measurement may take. */
    public static double once(Runnable operation) {
        long start = System.nanoTime();
        operation.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
