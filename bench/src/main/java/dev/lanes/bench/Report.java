package dev.lanes.bench;

import dev.lanes.bench.report.ActivationSection;
import dev.lanes.bench.report.ConvSection;
import dev.lanes.bench.report.GemmSection;
import dev.lanes.bench.report.PeakSection;
import dev.lanes.bench.report.ReportContext;
import dev.lanes.bench.report.ReportSection;
import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.KernelProvider;
import dev.lanes.kernels.Parallel;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.UsageException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel report: what this machine runs and how fast, section by section.
 *
 * <p>{@code ./lanes bench [--quick] [--only NAME,...] [--openblas PATH/numpy_gemm.py]}. The peak
 * section always runs first: the others quote their GFLOP/s as a percentage of it.
 */
public final class Report {
    /** The sections, in order. Add a section here (one line) and in its own file. */
    private static final List<ReportSection> SECTIONS = List.of(
            new PeakSection(),
            new GemmSection(),
            new ConvSection(),
            new ActivationSection());

    private static final String QUICK = "quick";
    private static final String ONLY = "only";
    private static final String OPENBLAS = "openblas";

    private Report() {
    }

    /** The names {@code --only} accepts, in report order. */
    public static List<String> sectionNames() {
        return SECTIONS.stream().map(ReportSection::name).toList();
    }

    /** The help text of {@code lanes bench}. */
    public static String help() {
        return """
                usage: lanes bench [--quick] [--only NAME,...] [--openblas PATH/numpy_gemm.py]

                The kernel report: this machine's FP32 peak (one thread and all processors), then
                GFLOP/s and %% of that peak for each kernel, section by section. The full report takes
                several minutes on an idle machine; --quick takes fewer, shorter samples.

                  --quick              fewer and shorter samples
                  --only NAMES         only these sections (comma-separated: %s); the peak
                                       section always runs, as the others quote it
                  --openblas FILE      also time OpenBLAS through numpy with this script (gemm section)
                """.formatted(String.join(", ", sectionNames()));
    }

    /**
     * Checks the options and returns the sections to run (the peak first, always).
     *
     * @throws UsageException for an unknown option or section name
     */
    static List<ReportSection> sections(Arguments parsed) throws UsageException {
        if (!parsed.has(ONLY)) {
            return SECTIONS;
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : parsed.string(ONLY, "").split(",")) {
            String trimmed = name.trim();
            if (!sectionNames().contains(trimmed)) {
                throw new UsageException("lanes bench: unknown section '" + trimmed + "' in --only (valid: "
                        + String.join(", ", sectionNames()) + ")");
            }
            wanted.add(trimmed);
        }
        List<ReportSection> chosen = new ArrayList<>();
        for (ReportSection section : SECTIONS) {
            if (section.name().equals("peak") || wanted.contains(section.name())) {
                chosen.add(section);
            }
        }
        return chosen;
    }

    /** Parses the options of {@code lanes bench}. */
    static Arguments parse(List<String> arguments) throws UsageException {
        return Arguments.parse("bench", arguments, Set.of(ONLY, OPENBLAS), Set.of(QUICK));
    }

    /**
     * Runs {@code lanes bench arguments...}, printing the report to {@code out}.
     *
     * @throws UsageException for bad options, before anything is measured
     */
    public static void run(List<String> arguments, PrintStream out) throws UsageException {
        Arguments parsed = parse(arguments);
        List<ReportSection> sections = sections(parsed);
        Map<String, String> options = new HashMap<>();
        if (parsed.flag(QUICK)) {
            options.put(QUICK, "");
        }
        if (parsed.has(OPENBLAS)) {
            options.put(OPENBLAS, parsed.string(OPENBLAS, null));
        }
        ReportContext context = new ReportContext(out, options);
        out.println("# Lanes kernel report");
        out.println("Java " + Runtime.version() + " on " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors; vector bits "
                + KernelProvider.vectorBits() + ", threads " + Parallel.threads() + ", gemm " + Gemm.implementation());
        for (ReportSection section : sections) {
            out.println();
            out.println("## " + section.title());
            section.run(context);
        }
    }
}
