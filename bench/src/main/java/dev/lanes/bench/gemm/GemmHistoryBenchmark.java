package dev.lanes.bench.gemm;

import dev.lanes.kernels.Parallel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether sgemm's speed depends on what the JVM ran before: each shape of the tested orders timed
 * alone in a fresh JVM, and each order timed shape after shape in one fresh JVM; the report gives
 * every shape's "after" GFLOP/s over its "alone" GFLOP/s. C2 compiles the GEMM on the first shape
 * it sees, with that shape's profile, so a speed that holds alone but not after another shape
 * means the compiled code depends on the call history.
 *
 * <p>The JVMs run in rounds; in each round every "alone" JVM and every order's JVM runs once,
 * interleaved, and the figures are medians over the rounds. Each shape in a JVM is warmed up,
 * then timed in samples of repeated products (GFLOP/s = 2 m n k products / seconds; the shape's
 * figure is the median sample). The child JVMs get this JVM's options (add further ones, such as
 * {@code -XX:+PrintCompilation}, with {@code --jvm}) and class path.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp BENCH_CLASSPATH dev.lanes.bench.gemm.GemmHistoryBenchmark
 *     [--threads 1] [--rounds 2] [--warmup 1.5] [--samples 5] [--sample 0.2]
 *     [--orders 32x25088x9,128x3136x576,1024x1024x1024/...] [--jvm "-XX:+PrintCompilation"] [--show-children]
 * </pre>
 *
 * <p>{@code --child SHAPE,SHAPE...} is the child's mode: times the shapes in that order and prints
 * one line per shape.
 */
public final class GemmHistoryBenchmark {
    /**
     * The orders of issue 20: a skinny first-convolution shape (K = 9) first, then larger ones;
     * the six convolution shapes in order; a square shape first.
     */
    static final String DEFAULT_ORDERS = "32x25088x9,128x3136x576,1024x1024x1024"
            + "/32x25088x9,64x6272x288,128x3136x576,256x784x1152,64x128x3136,64x288x6272"
            + "/1024x1024x1024,32x25088x9,2048x2048x2048,512x512x512";

    private static final String RESULT = "shape ";

    private GemmHistoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int threads = Integer.parseInt(options.getOrDefault("threads", "1"));
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "1.5"));
        int samples = Integer.parseInt(options.getOrDefault("samples", "5"));
        double sample = Double.parseDouble(options.getOrDefault("sample", "0.2"));
        if (options.containsKey("child")) {
            child(options.get("child").split(","), threads, warmup, samples, sample);
            return;
        }
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        List<List<String>> orders = new ArrayList<>();
        for (String order : options.getOrDefault("orders", DEFAULT_ORDERS).split("/")) {
            orders.add(List.of(order.split(",")));
        }
        LinkedHashSet<String> shapes = new LinkedHashSet<>();
        orders.forEach(shapes::addAll);
        List<String> jvm = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (options.containsKey("jvm")) {
            jvm.addAll(List.of(options.get("jvm").trim().split("\\s+")));
        }
        boolean show = options.containsKey("show-children");
        List<String> common = List.of("--threads", String.valueOf(threads), "--warmup", String.valueOf(warmup),
                "--samples", String.valueOf(samples), "--sample", String.valueOf(sample));

        System.out.printf(Locale.ROOT, "# sgemm history: %d thread(s), %d rounds, warm-up %.1f s, %d samples of %.2f s;"
                + " %d processors%n", threads, rounds, warmup, samples, sample,
                Runtime.getRuntime().availableProcessors());
        Map<String, double[]> alone = new LinkedHashMap<>();
        List<Map<String, double[]>> after = new ArrayList<>();
        for (String shape : shapes) {
            alone.put(shape, new double[rounds]);
        }
        for (List<String> order : orders) {
            Map<String, double[]> figures = new LinkedHashMap<>();
            for (String shape : order) {
                figures.put(shape, new double[rounds]);
            }
            after.add(figures);
        }
        for (int r = 0; r < rounds; r++) {
            // alternate the alone JVMs with the order JVMs so that a drift of the machine's speed
            // falls on both
            List<String> aloneShapes = new ArrayList<>(shapes);
            for (int i = 0; i < Math.max(aloneShapes.size(), orders.size()); i++) {
                if (i < aloneShapes.size()) {
                    String shape = aloneShapes.get(i);
                    alone.get(shape)[r] = runChild(jvm, List.of(shape), common, show).get(shape);
                }
                if (i < orders.size()) {
                    Map<String, Double> measured = runChild(jvm, orders.get(i), common, show);
                    for (Map.Entry<String, Double> e : measured.entrySet()) {
                        after.get(i).get(e.getKey())[r] = e.getValue();
                    }
                }
            }
        }
        System.out.println();
        System.out.println("| order | position | shape | alone GFLOP/s | after GFLOP/s | after/alone |");
        System.out.println("|---|---|---|---|---|---|");
        double worst = Double.POSITIVE_INFINITY;
        for (int o = 0; o < orders.size(); o++) {
            int position = 0;
            for (Map.Entry<String, double[]> e : after.get(o).entrySet()) {
                double a = median(alone.get(e.getKey()));
                double b = median(e.getValue());
                double ratio = b / a;
                worst = Math.min(worst, ratio);
                System.out.printf(Locale.ROOT, "| %d | %d | %s | %.1f %s | %.1f %s | %.3f |%n", o + 1, ++position,
                        e.getKey(), a, Arrays.toString(round(alone.get(e.getKey()))), b,
                        Arrays.toString(round(e.getValue())), ratio);
            }
        }
        System.out.printf(Locale.ROOT, "%nlowest after/alone: %.3f%n", worst);
    }

    private static Map<String, Double> runChild(List<String> jvm, List<String> shapes, List<String> common,
                                                boolean show) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvm);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GemmHistoryBenchmark.class.getName());
        command.add("--child");
        command.add(String.join(",", shapes));
        command.addAll(common);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, Double> figures = new LinkedHashMap<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.add(line);
                if (show) {
                    System.out.println("  > " + line);
                }
                if (line.startsWith(RESULT)) {
                    String[] parts = line.split(" ");
                    figures.put(parts[1], Double.parseDouble(parts[2]));
                }
            }
        }
        int status = process.waitFor();
        if (status != 0 || figures.size() != shapes.size()) {
            throw new IllegalStateException("the JVM timing " + shapes + " failed (status " + status + "):\n"
                    + String.join("\n", output));
        }
        System.out.printf(Locale.ROOT, "%-60s %s%n", String.join(" then ", shapes), figures.values().stream()
                .map(g -> String.format(Locale.ROOT, "%.1f", g)).toList());
        return figures;
    }

    /** Times the shapes in order in this JVM; one line per shape: "shape KEY GFLOPS min max". */
    private static void child(String[] shapes, int threads, double warmup, int samples, double sample) {
        Parallel.setThreads(threads);
        for (String key : shapes) {
            GemmOperands operands = new GemmOperands(GemmShape.parse(key), 42);
            Runnable product = GemmImplementation.PANAMA.bind(operands);
            product.run();
            operands.verify("panama");
            long end = System.nanoTime() + (long) (warmup * 1e9);
            while (System.nanoTime() < end) {
                product.run();
            }
            double[] gflops = new double[samples];
            for (int s = 0; s < samples; s++) {
                long start = System.nanoTime();
                long stop = start + (long) (sample * 1e9);
                long now;
                int calls = 0;
                do {
                    product.run();
                    calls++;
                    now = System.nanoTime();
                } while (now < stop);
                gflops[s] = calls * operands.shape.flops() / (now - start);
            }
            double[] sorted = gflops.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, RESULT + "%s %.2f %.2f %.2f%n", key, median(gflops), sorted[0],
                    sorted[samples - 1]);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option (--name value), got '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (name.equals("show-children")) {
                options.put(name, "");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
        }
        return options;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] round(double[] values) {
        double[] rounded = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = Math.round(values[i] * 10) / 10.0;
        }
        return rounded;
    }
}
