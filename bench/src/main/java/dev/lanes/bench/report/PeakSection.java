package dev.lanes.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * The FP32 peak of this machine, measured with {@link PanamaPeak} on one thread and on all
 * processors at once. Records "peak.1" and "peak.all" (GFLOP/s) for the other sections' "% of
 * peak" columns.
 */
public final class PeakSection implements ReportSection {
    private static final int ITERATIONS = 2_000_000;

    @Override
    public String name() {
        return "peak";
    }

    @Override
    public String title() {
        return "FP32 peak (register-only FMA loop, " + PanamaPeak.bits() + "-bit vectors, 16 accumulators)";
    }

    @Override
    public void run(ReportContext context) {
        int processors = Runtime.getRuntime().availableProcessors();
        int samples = context.quick() ? 3 : 7;
        double one = Timing.medianSeconds(() -> PanamaPeak.run(ITERATIONS, 1f), 0.5, samples, 0.05);
        double gflopsOne = PanamaPeak.flops(ITERATIONS) / one / 1e9;
        double gflopsAll = allThreads(processors, samples);
        context.record("peak.1", gflopsOne);
        context.record("peak.all", gflopsAll);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"threads", "GFLOP/s"});
        rows.add(new String[] {"1", ReportContext.fixed(gflopsOne)});
        rows.add(new String[] {String.valueOf(processors), ReportContext.fixed(gflopsAll)});
        context.table(rows);
    }

    /**
     * The FP32 peak of {@code threads} threads running the FMA loop together, in GFLOP/s: the
     * median over {@code samples} rounds of their aggregate rate, after one round of warm-up.
     */
    public static double allThreads(int threads, int samples) {
        double[] rates = new double[samples];
        for (int s = -1; s < samples; s++) {
            CyclicBarrier start = new CyclicBarrier(threads);
            long[] nanos = new long[threads];
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int index = t;
                workers[t] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    long begin = System.nanoTime();
                    for (int r = 0; r < 10; r++) {
                        PanamaPeak.run(ITERATIONS, index + r);
                    }
                    nanos[index] = System.nanoTime() - begin;
                });
                workers[t].start();
            }
            for (Thread worker : workers) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            long slowest = Arrays.stream(nanos).max().orElse(1);
            if (s >= 0) {
                // the first round warms every thread's compiled loop and is not counted
                rates[s] = threads * 10 * PanamaPeak.flops(ITERATIONS) / slowest; // flops per ns: GFLOP/s
            }
        }
        Arrays.sort(rates);
        return rates[samples / 2];
    }
}
