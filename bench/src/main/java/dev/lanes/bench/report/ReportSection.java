package dev.lanes.bench.report;

/**
 * One section of the kernel report (peak, GEMM, convolution, activations...). Each lives in its
 * own file and is listed once in {@link dev.lanes.bench.Report}; it measures with {@link Timing}
 * and prints through {@link ReportContext}.
 */
public interface ReportSection {
    /** A short name, used by {@code --only=NAME}. */
    String name();

    /** The heading printed above the section. */
    String title();

    /** Measures and prints; may read and record shared figures (the peak) in the context. */
    void run(ReportContext context);
}
