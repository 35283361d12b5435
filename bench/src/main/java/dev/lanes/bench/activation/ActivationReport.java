package dev.lanes.bench.activation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The activation and elementwise section of the kernel report: GB/s of every activation and
 * cheap elementwise kernel beside this machine's measured copy bandwidth (a STREAM-style copy at
 * the same size), the speedup over the scalar twin, and softmax on (4096, 1000).
 *
 * <p>{@code ActivationReport a.csv b.csv ...} prints the section from JMH CSV result files (run
 * JMH with {@code -rf csv -rff a.csv} on ActivationBench, ElementwiseBench and SoftmaxBench);
 * without arguments it runs those benchmarks itself (about an hour) and prints the section.
 * {@link #print} is the entry point for the report program.
 */
public final class ActivationReport {
    /** Bytes moved per element: forward reads x and writes y, backward reads g and the saved value. */
    private static final Map<String, Integer> BYTES = Map.of(
            "ActivationBench.forward", 8, "ActivationBench.backward", 12,
            "ElementwiseBench.copy", 8, "ElementwiseBench.arraycopy", 8, "ElementwiseBench.scale", 8,
            "ElementwiseBench.clip", 8, "ElementwiseBench.bias", 8, "ElementwiseBench.add", 12,
            "ElementwiseBench.mul", 12, "ElementwiseBench.axpy", 24);
    /** Activations that are memory-bound (one compare or multiply per element): judged against copy. */
    private static final List<String> CHEAP = List.of("STEP", "IDENTITY", "RELU", "LEAKY_RELU", "HARD_SIGMOID", "HARD_SWISH",
            "THRESHOLDED_RELU");

    /** One benchmark score: the benchmark's short name, its parameters, seconds per operation. */
    record Score(String benchmark, Map<String, String> params, double seconds, double errorSeconds) {
        String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    private ActivationReport() {
    }

    public static void main(String[] args) throws IOException, RunnerException {
        List<Score> scores = new ArrayList<>();
        for (String file : args) {
            scores.addAll(fromCsv(Path.of(file)));
        }
        if (args.length == 0) {
            scores = run();
        }
        print(scores, System.out);
    }

    /** Runs the benchmarks of this section with JMH (2 forks, 5 warm-up and 5 measured seconds). */
    static List<Score> run() throws RunnerException {
        Options options = new OptionsBuilder()
                .include("ActivationBench.forward")
                .include("ElementwiseBench")
                .include("SoftmaxBench.(softmax|logSoftmax)$")
                .forks(2).warmupIterations(5).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .build();
        return fromResults(new Runner(options).run());
    }

    /** Scores from JMH's own results. */
    static List<Score> fromResults(Collection<RunResult> results) {
        List<Score> scores = new ArrayList<>();
        for (RunResult result : results) {
            Map<String, String> params = new HashMap<>();
            for (String key : result.getParams().getParamsKeys()) {
                params.put(key, result.getParams().getParam(key));
            }
            String unit = result.getPrimaryResult().getScoreUnit();
            scores.add(new Score(shortName(result.getParams().getBenchmark()), params,
                    seconds(result.getPrimaryResult().getScore(), unit),
                    seconds(result.getPrimaryResult().getScoreError(), unit)));
        }
        return scores;
    }

    /** Scores from a JMH CSV file (-rf csv): Benchmark, Mode, Threads, Samples, Score, Error, Unit, Param: ... */
    static List<Score> fromCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = split(lines.get(0));
        List<Score> scores = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = split(line);
            Map<String, String> params = new HashMap<>();
            for (int c = 7; c < header.length && c < cells.length; c++) {
                if (!cells[c].isEmpty()) {
                    params.put(header[c].replace("Param: ", ""), cells[c]);
                }
            }
            double error = cells[5].isEmpty() || cells[5].equals("NaN") ? 0 : Double.parseDouble(cells[5]);
            scores.add(new Score(shortName(cells[0]), params, seconds(Double.parseDouble(cells[4]), cells[6]),
                    seconds(error, cells[6])));
        }
        return scores;
    }

    /** Prints the section: bandwidth table, speedups, softmax, and the acceptance checks. */
    public static void print(List<Score> scores, PrintStream out) {
        out.println("## Activations and elementwise kernels (1 thread)");
        out.println();
        out.println("GB/s = bytes moved per element (8 for a forward activation or a copy, 12 for add/mul,"
                + " 24 for axpy run twice) over the time; % copy is relative to the STREAM-style vector copy at"
                + " the same size.");
        out.println();
        TreeSet<Integer> sizes = new TreeSet<>();
        for (Score s : scores) {
            if (!s.param("size").isEmpty()) {
                sizes.add(Integer.parseInt(s.param("size")));
            }
        }
        StringBuilder head = new StringBuilder("| kernel |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int size : sizes) {
            head.append(" ").append(label(size)).append(" GB/s | % copy | x scalar |");
            rule.append("---:|---:|---:|");
        }
        out.println(head);
        out.println(rule);
        out.println(row(scores, sizes, "copy (anchor)", "ElementwiseBench.copy", null));
        out.println(row(scores, sizes, "System.arraycopy", "ElementwiseBench.arraycopy", null));
        for (String op : List.of("add", "mul", "scale", "axpy", "clip", "bias")) {
            out.println(row(scores, sizes, op, "ElementwiseBench." + op, null));
        }
        TreeSet<String> activations = new TreeSet<>();
        for (Score s : scores) {
            if (s.benchmark().startsWith("ActivationBench")) {
                activations.add(s.param("activation"));
            }
        }
        for (String activation : activations) {
            out.println(row(scores, sizes, activation.toLowerCase(Locale.ROOT), "ActivationBench.forward", activation));
        }
        out.println();
        printSoftmax(scores, out);
        printChecks(scores, sizes, out);
    }

    private static String row(List<Score> scores, TreeSet<Integer> sizes, String label, String benchmark,
                              String activation) {
        StringBuilder line = new StringBuilder("| " + label + " |");
        for (int size : sizes) {
            Score panama = find(scores, benchmark, activation, size, "panama");
            Score scalar = find(scores, benchmark, activation, size, "scalar");
            double copy = copyBandwidth(scores, size);
            if (panama == null) {
                line.append(" | | |");
                continue;
            }
            double gbs = bandwidth(panama, size);
            line.append(String.format(Locale.ROOT, " %.1f | %.0f%% | %s |", gbs, 100 * gbs / copy,
                    scalar == null || benchmark.endsWith("arraycopy") ? ""
                            : String.format(Locale.ROOT, "%.1f", scalar.seconds() / panama.seconds())));
        }
        return line.toString();
    }

    private static void printSoftmax(List<Score> scores, PrintStream out) {
        String shape = "";
        for (Score s : scores) {
            if (s.benchmark().startsWith("SoftmaxBench")) {
                shape = " (" + s.param("rows") + ", " + s.param("cols") + ")";
            }
        }
        out.println("| softmax" + shape + " | Panama ms | scalar ms | x scalar |");
        out.println("|---|---:|---:|---:|");
        for (String name : List.of("softmax", "logSoftmax", "softmaxBackward", "logSoftmaxBackward")) {
            Score panama = find(scores, "SoftmaxBench." + name, null, -1, "panama");
            Score scalar = find(scores, "SoftmaxBench." + name, null, -1, "scalar");
            if (panama != null && scalar != null) {
                out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.1f |%n", name, 1e3 * panama.seconds(),
                        1e3 * scalar.seconds(), scalar.seconds() / panama.seconds());
            }
        }
        out.println();
    }

    /** The acceptance criteria of issue 3 for this section, evaluated on these scores. */
    private static void printChecks(List<Score> scores, TreeSet<Integer> sizes, PrintStream out) {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (int size : sizes) {
            double copy = copyBandwidth(scores, size);
            for (Score s : scores) {
                boolean cheapActivation = s.benchmark().equals("ActivationBench.forward")
                        && CHEAP.contains(s.param("activation"));
                boolean elementwise = s.benchmark().startsWith("ElementwiseBench.")
                        && !s.benchmark().endsWith("copy");
                if ((cheapActivation || elementwise) && s.param("impl").equals("panama")
                        && s.param("size").equals(Integer.toString(size))) {
                    checked++;
                    double share = bandwidth(s, size) / copy;
                    if (share < 0.8) {
                        failures.add(String.format(Locale.ROOT, "%s %s at %s: %.0f%% of copy", s.benchmark(),
                                s.param("activation"), label(size), 100 * share));
                    }
                }
            }
        }
        for (String activation : List.of("SIGMOID", "TANH", "GELU_TANH", "GELU_ERF")) {
            Score panama = find(scores, "ActivationBench.forward", activation, 65536, "panama");
            Score scalar = find(scores, "ActivationBench.forward", activation, 65536, "scalar");
            if (panama != null && scalar != null) {
                checked++;
                double speedup = scalar.seconds() / panama.seconds();
                if (speedup < 4) {
                    failures.add(String.format(Locale.ROOT, "%s at 64K: %.1fx scalar", activation, speedup));
                }
            }
        }
        out.println("Acceptance (cheap ops >= 80% of copy at every size; sigmoid, tanh, GELU >= 4x scalar at 64K): "
                + checked + " checks, " + (failures.isEmpty() ? "all pass" : failures.size() + " below: " + failures));
    }

    /**
     * The anchor: the STREAM-style vector copy loop. (System.arraycopy streams past the cache with
     * non-temporal stores at large sizes, which no Java loop can issue; it is shown for reference.)
     */
    private static double copyBandwidth(List<Score> scores, int size) {
        Score copy = find(scores, "ElementwiseBench.copy", null, size, "panama");
        return copy == null ? Double.NaN : bandwidth(copy, size);
    }

    private static double bandwidth(Score score, int size) {
        return BYTES.getOrDefault(score.benchmark(), 8) * (double) size / score.seconds() / 1e9;
    }

    private static Score find(List<Score> scores, String benchmark, String activation, int size, String impl) {
        for (Score s : scores) {
            if (s.benchmark().equals(benchmark) && s.param("impl").equals(impl)
                    && (activation == null || s.param("activation").equals(activation))
                    && (size < 0 || s.param("size").equals(Integer.toString(size)))
                    && (s.param("threads").isEmpty() || s.param("threads").equals("1"))) {
                return s;
            }
        }
        return null;
    }

    private static String label(int size) {
        return size >= 1 << 20 ? (size >> 20) + "M" : size >= 1024 ? (size >> 10) + "K" : Integer.toString(size);
    }

    private static String shortName(String benchmark) {
        String[] parts = benchmark.replace("\"", "").split("\\.");
        return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private static double seconds(double value, String unit) {
        return switch (unit.replace("\"", "")) {
            case "ns/op" -> value * 1e-9;
            case "us/op" -> value * 1e-6;
            case "ms/op" -> value * 1e-3;
            case "s/op" -> value;
            default -> throw new IllegalArgumentException("unit " + unit + " is not a time per operation");
        };
    }

    private static String[] split(String csvLine) {
        String[] cells = csvLine.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].replace("\"", "").trim();
        }
        return cells;
    }
}
