package dev.lanes.bench;

import dev.lanes.bench.report.GemmSection;
import dev.lanes.bench.report.PeakSection;
import dev.lanes.bench.report.ReportContext;
import dev.lanes.bench.report.ReportSection;
import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.KernelProvider;
import dev.lanes.kernels.Parallel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel report: what this machine runs and how fast, section by section.
 *
 * <p>{@code ./lanes bench [--quick] [--only=NAME,...] [--openblas=PATH/numpy_gemm.py]}. The peak
 * section always runs first: the others quote their GFLOP/s as a percentage of it.
 */
public final class Report {
    /** The sections, in order. Add a section here (one line) and in its own file. */
    private static final List<ReportSection> SECTIONS = List.of(
            new PeakSection(),
            new GemmSection());

    private Report() {
    }

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.equals("bench") || arg.isBlank()) {
                continue;
            }
            if (!arg.startsWith("--")) {
                System.err.println("usage: lanes [bench] [--quick] [--only=peak,gemm,...] [--openblas=numpy_gemm.py]");
                System.exit(2);
            }
            int equals = arg.indexOf('=');
            options.put(equals < 0 ? arg.substring(2) : arg.substring(2, equals), equals < 0 ? "" : arg.substring(equals + 1));
        }
        ReportContext context = new ReportContext(System.out, options);
        System.out.println("# Lanes kernel report");
        System.out.println("Java " + Runtime.version() + " on " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors; vector bits "
                + KernelProvider.vectorBits() + ", threads " + Parallel.threads() + ", gemm " + Gemm.implementation());
        String only = options.get("only");
        for (ReportSection section : SECTIONS) {
            boolean wanted = only == null || section.name().equals("peak") || List.of(only.split(",")).contains(section.name());
            if (wanted) {
                System.out.println();
                System.out.println("## " + section.title());
                section.run(context);
            }
        }
    }
}
