package dev.lanes.bench.gemm;

import dev.lanes.kernels.Parallel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Issue 20's history check with "alone" and "after" paired in time. {@link GemmHistoryBenchmark}
 * times each side in JVMs run one after the other, so on a shared machine a JVM's figure moves with
 * the machine's speed during its few seconds, and a ratio of two JVMs carries both JVMs' share of
 * that drift. Here, for every position of an order, two JVMs are alive at once and take turns: the
 * order's JVM, which has run the shapes before that position, and a fresh JVM that sees only that
 * shape. Each prepares the shape (warm-up) while the other waits, then they alternate samples
 * (ABBA), so both sides' samples fall in the same seconds. The ratio of one round is the median
 * "after" sample over the median "alone" sample; the verdict looks at the ratios of all rounds.
 *
 * <p>The warm-up can be matched between the sides: {@code --settle S} keeps warming up past
 * {@code --warmup} until the JVM has compiled nothing for S seconds (up to {@code --warmup-max}).
 * A fixed warm-up favours "after", whose kernels were compiled on the shapes before; with the
 * settle both sides are timed once their JIT has gone quiet. {@code --clock cpu} (one thread only)
 * times by the timing thread's CPU time, so the waiting JVM's compiler threads and other processes
 * on the core do not count against the sampling one.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp BENCH_CLASSPATH dev.lanes.bench.gemm.GemmHistoryPaired
 *     [--threads 1] [--rounds 3] [--pairs 4] [--sample 0.2] [--warmup 1.5] [--settle 0] [--warmup-max 6]
 *     [--clock wall|cpu] [--orders 32x25088x9,128x3136x576,1024x1024x1024/...]
 * </pre>
 *
 * <p>{@code --serve} is the child's mode: it reads commands from its input ({@code prepare SHAPE},
 * {@code sample}, {@code exit}) and answers one line per command.
 */
public final class GemmHistoryPaired {
    /** The acceptance line's threshold: "at least 0.95x its speed alone". */
    static final double THRESHOLD = 0.95;

    /** Rounds needed before every round below the threshold is read as a loss (a sign test, p <= 1/32). */
    static final int ROUNDS_FOR_A_LOSS = 5;

    private static final String NAME = "GemmHistoryPaired: ";

    private GemmHistoryPaired() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--serve")) {
            serve(Settings.parse(Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        List<String> jvm = new ArrayList<>();
        jvm.add(ProcessHandle.current().info().command().orElse("java"));
        jvm.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        jvm.add("-cp");
        jvm.add(System.getProperty("java.class.path"));
        jvm.add(GemmHistoryPaired.class.getName());
        run(args, System.out, jvm);
    }

    /** The benchmark's settings, from the command line. */
    record Settings(int threads, int rounds, int pairs, double sample, double warmup, double settle,
                    double warmupMax, boolean cpuClock, List<List<String>> orders) {

        static Settings parse(String[] args) {
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException(NAME + "expected an option (--name value), got '" + args[i] + "'");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(NAME + args[i] + " needs a value");
                }
                options.put(args[i].substring(2), args[++i]);
            }
            List<String> known = List.of("threads", "rounds", "pairs", "sample", "warmup", "settle", "warmup-max",
                    "clock", "orders");
            for (String name : options.keySet()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException(NAME + "no option --" + name + "; the options are " + known);
                }
            }
            int threads = integer(options, "threads", "1", 1, 256);
            String clock = options.getOrDefault("clock", "wall");
            if (!clock.equals("wall") && !clock.equals("cpu")) {
                throw new IllegalArgumentException(NAME + "--clock is wall or cpu, got '" + clock + "'");
            }
            if (clock.equals("cpu") && threads != 1) {
                throw new IllegalArgumentException(NAME + "--clock cpu times one thread's CPU time, so it needs"
                        + " --threads 1, got " + threads);
            }
            double warmup = number(options, "warmup", "1.5", 0, 600);
            double warmupMax = number(options, "warmup-max", "6", 0, 600);
            if (warmupMax < warmup) {
                throw new IllegalArgumentException(NAME + "--warmup-max (" + warmupMax + ") is below --warmup ("
                        + warmup + ")");
            }
            List<List<String>> orders = new ArrayList<>();
            for (String order : options.getOrDefault("orders", GemmHistoryBenchmark.DEFAULT_ORDERS).split("/")) {
                List<String> shapes = List.of(order.split(","));
                for (String shape : shapes) {
                    GemmShape.parse(shape);
                }
                orders.add(shapes);
            }
            return new Settings(threads, integer(options, "rounds", "3", 1, 1000), integer(options, "pairs", "4", 1, 1000),
                    number(options, "sample", "0.2", 1e-6, 60), warmup, number(options, "settle", "0", 0, 60), warmupMax,
                    clock.equals("cpu"), orders);
        }

        private static int integer(Map<String, String> options, String name, String fallback, int low, int high) {
            return bounded(options, name, fallback, Integer::valueOf, "an integer", low, high);
        }

        private static double number(Map<String, String> options, String name, String fallback, double low,
                                     double high) {
            return bounded(options, name, fallback, Double::valueOf, "a number", low, high);
        }

        /** Option {@code --name} (or the fallback) parsed, in [low, high] (a NaN is outside), else a clear error. */
        private static <T extends Number> T bounded(Map<String, String> options, String name, String fallback,
                                                  Function<String, T> parse, String kind, T low, T high) {
            String text = options.getOrDefault(name, fallback);
            T value;
            try {
                value = parse.apply(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(NAME + "--" + name + " needs " + kind + ", got '" + text + "'");
            }
            double v = value.doubleValue();
            if (!(v >= low.doubleValue() && v <= high.doubleValue())) {
                throw new IllegalArgumentException(NAME + "--" + name + " must be in [" + low + ", " + high + "], got "
                        + text);
            }
            return value;
        }

        /** The options a child gets (everything but the orders, the rounds and the pairs). */
        List<String> childOptions() {
            return List.of("--serve", "--threads", String.valueOf(threads), "--sample", String.valueOf(sample),
                    "--warmup", String.valueOf(warmup), "--settle", String.valueOf(settle), "--warmup-max",
                    String.valueOf(warmupMax), "--clock", cpuClock ? "cpu" : "wall");
        }
    }

    /**
     * Runs the rounds and prints each position's figures as they come, then the summary table.
     *
     * @param jvm the command that starts this class in a fresh JVM (options and class path included)
     */
    static void run(String[] args, PrintStream out, List<String> jvm) throws IOException, InterruptedException {
        Settings settings = Settings.parse(args);
        out.printf(Locale.ROOT, "# sgemm history, paired: %d thread(s), %d rounds, %d sample pairs of %.3f s (%s clock),"
                        + " warm-up %.1f s%s; %d processors%n", settings.threads, settings.rounds, settings.pairs,
                settings.sample, settings.cpuClock ? "thread CPU" : "wall", settings.warmup,
                settings.settle > 0 ? String.format(Locale.ROOT, " then until %.1f s without compilation (at most %.1f s)",
                        settings.settle, settings.warmupMax) : "", Runtime.getRuntime().availableProcessors());
        List<String> command = new ArrayList<>(jvm);
        command.addAll(settings.childOptions());
        int positions = settings.orders.stream().mapToInt(List::size).sum();
        double[][] alone = new double[positions][settings.rounds];
        double[][] after = new double[positions][settings.rounds];
        for (int r = 0; r < settings.rounds; r++) {
            int index = 0;
            for (int o = 0; o < settings.orders.size(); o++) {
                List<String> order = settings.orders.get(o);
                try (Child history = new Child(command)) {
                    for (int p = 0; p < order.size(); p++, index++) {
                        String shape = order.get(p);
                        try (Child fresh = new Child(command)) {
                            // which side warms up first, and so waits while the other does, alternates
                            boolean freshFirst = (r + index) % 2 == 0;
                            double[] warmups = new double[2];
                            warmups[freshFirst ? 0 : 1] = (freshFirst ? fresh : history).prepare(shape);
                            warmups[freshFirst ? 1 : 0] = (freshFirst ? history : fresh).prepare(shape);
                            double[] a = new double[settings.pairs];
                            double[] b = new double[settings.pairs];
                            for (int s = 0; s < settings.pairs; s++) {
                                if ((s % 2 == 0) == freshFirst) {
                                    a[s] = fresh.sample();
                                    b[s] = history.sample();
                                } else {
                                    b[s] = history.sample();
                                    a[s] = fresh.sample();
                                }
                            }
                            alone[index][r] = median(a);
                            after[index][r] = median(b);
                            out.printf(Locale.ROOT, "round %d order %d position %d %s: alone %.2f %s (warm-up %.1f s),"
                                            + " after %.2f %s (warm-up %.1f s), after/alone %.3f%n", r + 1, o + 1, p + 1,
                                    shape, alone[index][r], Arrays.toString(rounded(a)), warmups[0], after[index][r],
                                    Arrays.toString(rounded(b)), warmups[1], after[index][r] / alone[index][r]);
                        }
                    }
                }
            }
        }
        out.println();
        out.println("| order | position | shape | alone GFLOP/s | after GFLOP/s | after/alone per round"
                + " | median | geometric mean (s.e.) | verdict |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        int index = 0;
        for (int o = 0; o < settings.orders.size(); o++) {
            List<String> order = settings.orders.get(o);
            for (int p = 0; p < order.size(); p++, index++) {
                double[] ratios = new double[settings.rounds];
                for (int r = 0; r < settings.rounds; r++) {
                    ratios[r] = after[index][r] / alone[index][r];
                }
                double[] logs = Arrays.stream(ratios).map(Math::log).toArray();
                double mean = Arrays.stream(logs).average().orElseThrow();
                double se = logs.length < 2 ? Double.NaN
                        : Math.sqrt(Arrays.stream(logs).map(x -> (x - mean) * (x - mean)).sum() / (logs.length - 1)
                        / logs.length);
                StringBuilder perRound = new StringBuilder();
                for (double ratio : ratios) {
                    perRound.append(perRound.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.3f", ratio));
                }
                out.printf(Locale.ROOT, "| %d | %d%s | %s | %.1f | %.1f | %s | %.3f | %.3f (%.1f%%) | %s |%n", o + 1, p + 1,
                        p == 0 ? " (first)" : "", order.get(p), median(alone[index]), median(after[index]), perRound,
                        median(ratios), Math.exp(mean), 100 * se, verdict(ratios));
            }
        }
    }

    /**
     * The rule written before the sittings: a position holds if the median of its rounds' ratios is at
     * least the threshold; it is a loss if every round is below the threshold in at least
     * {@link #ROUNDS_FOR_A_LOSS} rounds; otherwise it is not decided.
     */
    static String verdict(double[] ratios) {
        if (ratios.length == 0) {
            throw new IllegalArgumentException(NAME + "no ratios to judge");
        }
        if (median(ratios) >= THRESHOLD) {
            return "holds";
        }
        boolean allBelow = Arrays.stream(ratios).allMatch(r -> r < THRESHOLD);
        return allBelow && ratios.length >= ROUNDS_FOR_A_LOSS ? "loss" : "not decided";
    }

    /** The child's side: prepares and samples shapes on command, one answer line per command. */
    private static void serve(Settings settings) throws IOException {
        Parallel.setThreads(settings.threads);
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        GemmOperands operands = null;
        Runnable product = null;
        for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
            if (line.startsWith("prepare ")) {
                operands = new GemmOperands(GemmShape.parse(line.substring("prepare ".length())), 42);
                product = GemmImplementation.PANAMA.bind(operands);
                product.run();
                operands.verify("panama");
                double took = warmUp(product, settings.warmup, settings.settle, settings.warmupMax);
                System.out.printf(Locale.ROOT, "ready %.3f%n", took);
            } else if (line.equals("sample") && product != null) {
                long start = settings.cpuClock ? threadBean.getCurrentThreadCpuTime() : System.nanoTime();
                long stop = start + (long) (settings.sample * 1e9);
                long now;
                int calls = 0;
                do {
                    product.run();
                    calls++;
                    now = settings.cpuClock ? threadBean.getCurrentThreadCpuTime() : System.nanoTime();
                } while (now < stop);
                System.out.printf(Locale.ROOT, "sample %.4f%n", calls * operands.shape.flops() / (now - start));
            } else {
                throw new IllegalArgumentException(NAME + "the child cannot do '" + line + "'"
                        + (line.equals("sample") ? " before a prepare" : ""));
            }
            System.out.flush();
        }
    }

    /**
     * Runs the product for at least {@code min} seconds, then, if {@code settle} is positive, on until
     * the JVM has finished no compilation for {@code settle} seconds, or {@code max} seconds in all.
     *
     * @return the seconds spent
     */
    static double warmUp(Runnable product, double min, double settle, double max) {
        long start = System.nanoTime();
        long end = start + (long) (min * 1e9);
        while (System.nanoTime() < end) {
            product.run();
        }
        if (settle > 0) {
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            long limit = start + (long) (max * 1e9);
            long compiled = jit.getTotalCompilationTime();
            long window = System.nanoTime() + (long) (settle * 1e9);
            while (System.nanoTime() < limit) {
                product.run();
                long now = System.nanoTime();
                if (now >= window) {
                    long total = jit.getTotalCompilationTime();
                    if (total == compiled) {
                        break;
                    }
                    compiled = total;
                    window = now + (long) (settle * 1e9);
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** A child JVM in serve mode. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final PrintWriter in;
        private final BufferedReader out;
        private final List<String> said = new ArrayList<>();

        Child(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        double prepare(String shape) throws IOException {
            return Double.parseDouble(ask("prepare " + shape, "ready "));
        }

        double sample() throws IOException {
            return Double.parseDouble(ask("sample", "sample "));
        }

        /** Sends a command and returns the rest of the answer line (the JVM's warnings are skipped). */
        private String ask(String command, String answer) throws IOException {
            in.println(command);
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                said.add(line);
                if (line.startsWith(answer)) {
                    return line.substring(answer.length());
                }
            }
            throw new IllegalStateException(NAME + "the child JVM ended without answering '" + command + "':\n"
                    + String.join("\n", said));
        }

        @Override
        public void close() throws IOException, InterruptedException {
            in.println("exit");
            in.close();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                said.add(line);
            }
            if (process.waitFor() != 0) {
                throw new IllegalStateException(NAME + "the child JVM failed (status " + process.exitValue() + "):\n"
                        + String.join("\n", said));
            }
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] rounded(double[] values) {
        return Arrays.stream(values).map(v -> Math.round(v * 10) / 10.0).toArray();
    }
}
