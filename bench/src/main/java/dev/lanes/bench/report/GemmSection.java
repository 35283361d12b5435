package dev.lanes.bench.report;

import dev.lanes.bench.gemm.GemmImplementation;
import dev.lanes.bench.gemm.GemmOperands;
import dev.lanes.bench.gemm.GemmShape;
import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * sgemm on the benchmark shapes: Lanes on one thread and on all, EJML and netlib's pure-Java
 * BLAS (single-threaded peers), and OpenBLAS through numpy when {@code --openblas=numpy_gemm.py}
 * is given. Every implementation is checked on its result once before it is timed.
 */
public final class GemmSection implements ReportSection {
    /** EJML runs near 3 GFLOP/s: above this many flops per product it would take too long. */
    private static final double EJML_MAX_FLOPS = 2.2e9;

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    public String title() {
        return "sgemm C = A B, row-major (GFLOP/s, median of samples; ratios are Lanes / peer)";
    }

    @Override
    public void run(ReportContext context) {
        int all = Runtime.getRuntime().availableProcessors();
        String netlib = GemmImplementation.netlibClass();
        context.out().println("Lanes " + Gemm.implementation() + "; netlib " + netlib
                + (netlib.endsWith(".VectorBLAS") ? "" : " (NOT its Vector-API implementation)"));
        String script = context.option("openblas");
        Map<String, Double> openBlasOne = OpenBlasPeer.measure(script, 1, context.out());
        Map<String, Double> openBlasAll = OpenBlasPeer.measure(script, all, context.out());
        boolean withOpenBlas = !openBlasOne.isEmpty();
        double peakOne = context.figure("peak.1");
        double peakAll = context.figure("peak.all");
        List<String[]> rows = new ArrayList<>();
        rows.add(withOpenBlas
                ? new String[] {"shape (MxNxK)", "threads", "Lanes", "% peak", "OpenBLAS", "EJML", "netlib",
                    "vs OpenBLAS", "vs EJML", "vs netlib"}
                : new String[] {"shape (MxNxK)", "threads", "Lanes", "% peak", "EJML", "netlib", "vs EJML", "vs netlib"});
        int saved = Parallel.threads();
        try {
            warmUp();
            for (GemmShape shape : GemmShape.ALL) {
                GemmOperands operands = new GemmOperands(shape, 42);
                double ejml = shape.flops() <= EJML_MAX_FLOPS ? gflops(context, GemmImplementation.EJML, operands) : Double.NaN;
                double net = gflops(context, GemmImplementation.NETLIB, operands);
                for (int threads : all > 1 ? new int[] {1, all} : new int[] {1}) {
                    Parallel.setThreads(threads);
                    double lanes = gflops(context, GemmImplementation.PANAMA, operands);
                    double peak = threads == 1 ? peakOne : peakAll;
                    String label = shape.key() + (threads == 1 ? "  " + shape.name() : "");
                    String percent = ReportContext.fixed(100 * lanes / peak);
                    // the peers are single-threaded: ratios only on the one-thread row
                    double e = threads == 1 ? ejml : Double.NaN;
                    double n = threads == 1 ? net : Double.NaN;
                    if (withOpenBlas) {
                        double o = (threads == 1 ? openBlasOne : openBlasAll).getOrDefault(shape.key(), Double.NaN);
                        rows.add(new String[] {label, String.valueOf(threads), ReportContext.fixed(lanes), percent,
                            ReportContext.fixed(o), ReportContext.fixed(e), ReportContext.fixed(n),
                            ReportContext.ratio(lanes / o), ReportContext.ratio(lanes / e), ReportContext.ratio(lanes / n)});
                    } else {
                        rows.add(new String[] {label, String.valueOf(threads), ReportContext.fixed(lanes), percent,
                            ReportContext.fixed(e), ReportContext.fixed(n),
                            ReportContext.ratio(lanes / e), ReportContext.ratio(lanes / n)});
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
        context.table(rows);
    }

    /** Compiles the micro-kernels on real shapes before anything is timed. */
    private static void warmUp() {
        for (String key : new String[] {"256x256x256", "64x6272x288", "64x128x3136", "32x25088x9"}) {
            GemmOperands operands = new GemmOperands(GemmShape.parse(key), 1);
            Runnable product = GemmImplementation.PANAMA.bind(operands);
            Timing.medianSeconds(product, 0.4, 1, 0.01);
        }
    }

    private static double gflops(ReportContext context, GemmImplementation implementation, GemmOperands operands) {
        Runnable product = implementation.bind(operands);
        double first = Timing.once(product);
        operands.verify(implementation.key());
        boolean quick = context.quick();
        // slow products get fewer and shorter samples so the report stays within minutes
        double sample = Math.max(first, quick ? 0.05 : 0.15);
        int samples = first > 0.5 ? 3 : quick ? 3 : 7;
        double warmup = first > 0.5 ? 0 : quick ? 0.2 : 0.5;
        double seconds = Timing.medianSeconds(product, warmup, samples, sample);
        return operands.shape.flops() / seconds / 1e9;
    }
}
