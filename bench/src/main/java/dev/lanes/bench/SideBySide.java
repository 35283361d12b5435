package dev.lanes.bench;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Builds of Lanes timed side by side in one JVM: each build's jars in a class loader of its own,
 * its benchmark states ({@code ConvBenchmark}, {@code GemmBenchmark}) set up in it, and the builds'
 * same pass timed in turn, a short sample each, round after round (the build that goes first
 * rotates). On a shared machine whose speed drifts from one minute to the next, runs of two
 * builds a minute apart compare the machine's minutes; samples a fraction of a second apart, paired
 * round by round, compare the code. Each build has its own kernel classes, compiled code and thread
 * pool (an idle pool's threads park); the heap and the JIT's compiler threads are shared.
 *
 * <p>Usage: {@code SideBySide conv|gemm [--rounds N] [--sample SECONDS] [--warmup SECONDS]
 * [--only ROW,...] [--threads T,...] [--after NAME] [--jvms K] NAME=CLASSPATH...}. The rows are the conv report's layers
 * (conv: its four passes, the last the equivalent sgemm) or issue 13's GEMM shapes (gemm), at 1 and
 * 2 threads (conv) or 1 and all (gemm), unless --only and --threads pick some. A build's class path
 * holds its bench module and what that needs: entries separated by ':', an entry ending in '/*'
 * meaning every jar in that folder. The build named by --after (by default the first named) is the
 * one under test, the others are references ("before"); the builds are loaded, set up and warmed
 * in the order named. For every pass the output gives each build's median and best time per call,
 * and the tested build's speed relative to each reference: the median over rounds of reference
 * time / tested build's time in the same round (the paired median; and their range), and the
 * ratio of the two best times.
 *
 * <p>With {@code --jvms K} the same comparison runs in K JVMs one after another (this JVM's
 * executable, options and class path, so a CPU affinity it was started with holds for them too),
 * the odd-numbered ones loading the builds in the order named, the even-numbered ones in reverse:
 * C2 compiles each build's copy of the code once per JVM, not always alike, and the build loaded
 * first has been seen to run some passes faster. After the JVMs' own lines comes one summary line
 * per pass and reference: the paired medians of the JVMs that loaded the tested build first and of
 * those that loaded the reference first, and the figure, the geometric mean of the two groups'
 * medians (a crossover design: an advantage of loading first, if it multiplies both ways alike,
 * cancels).
 */
public final class SideBySide {
    /** The convolution layers of the conv report, and the GEMM shapes of issue 13's acceptance. */
    static final List<String> CONV_LAYERS = List.of("LENET_C1", "LENET_C3", "MNIST_C1", "C32_64_14", "C64_128_56");
    static final List<String> GEMM_SHAPES = List.of("256x256x256", "1024x1024x1024", "32x25088x9", "64x6272x288",
            "128x3136x576", "256x784x1152", "64x128x3136", "64x288x6272");
    static final List<String> CONV_PASSES = List.of("forward", "backwardData", "backwardWeights", "gemm");

    private SideBySide() {
    }

    /** A build: its name and class loader. */
    record Build(String name, ClassLoader loader) {
    }

    /** One row's benchmark state in one build, and its passes as methods of that state. */
    record Bound(Object state, Method[] passes) {
    }

    public static void main(String[] args) throws Exception {
        run(args, System.out, SideBySideJvms.childCommand());
    }

    /**
     * The comparison the arguments ask for, printed to {@code out}; with --jvms, each JVM started by
     * {@code jvm} (an executable with its options and class path, and this class) followed by the
     * arguments.
     */
    static void run(String[] args, PrintStream out, List<String> jvm) throws Exception {
        if (args.length == 0 || !(args[0].equals("conv") || args[0].equals("gemm"))) {
            throw new IllegalArgumentException("SideBySide: the first argument must be conv or gemm, got "
                    + (args.length == 0 ? "nothing" : "'" + args[0] + "'"));
        }
        boolean conv = args[0].equals("conv");
        int rounds = 9;
        double sample = 0.1;
        double warmup = 1.0;
        List<String> rows = conv ? CONV_LAYERS : GEMM_SHAPES;
        List<String> threadCounts = conv ? List.of("1", "2") : List.of("1", "all");
        List<Build> builds = new ArrayList<>();
        List<String> buildArgs = new ArrayList<>();
        List<String> options = new ArrayList<>();
        String after = null;
        int jvms = 0;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--rounds" -> rounds = (int) number(args, ++i, arg, 1, 1000);
                case "--sample" -> sample = number(args, ++i, arg, 0.001, 10);
                case "--warmup" -> warmup = number(args, ++i, arg, 0, 60);
                case "--only" -> rows = subset(args, ++i, arg, rows);
                case "--threads" -> threadCounts = subset(args, ++i, arg, threadCounts);
                case "--after" -> after = value(args, ++i, arg);
                case "--jvms" -> jvms = (int) number(args, ++i, arg, 1, 100);
                default -> {
                    builds.add(build(arg));
                    buildArgs.add(arg);
                }
            }
            if (!arg.equals("--jvms") && !arg.equals("--after") && arg.startsWith("--")) {
                options.add(arg);
                options.add(args[i]);
            }
        }
        if (builds.size() < 2) {
            throw new IllegalArgumentException("SideBySide: name at least two builds as NAME=CLASSPATH, got "
                    + builds.size());
        }
        List<String> names = builds.stream().map(Build::name).toList();
        for (int b = 0; b < names.size(); b++) {
            if (names.indexOf(names.get(b)) != b) {
                throw new IllegalArgumentException("SideBySide: two builds are named " + names.get(b));
            }
        }
        if (after == null) {
            after = names.get(0);
        } else if (!names.contains(after)) {
            throw new IllegalArgumentException("SideBySide: --after names none of the builds " + names + ": '"
                    + after + "'");
        }
        if (jvms > 0) {
            List<String> childArgs = new ArrayList<>(List.of(args[0]));
            childArgs.addAll(options);
            childArgs.addAll(List.of("--after", after));
            SideBySideJvms.acrossJvms(jvm, childArgs, buildArgs, names, after, jvms, out);
            return;
        }
        int tested = names.indexOf(after);
        out.printf(Locale.ROOT, "side by side: %s, %d rounds of %.3f s samples after %.1f s of warm-up per pass;"
                + " %s against the others; loaded in the order %s%n", args[0], rounds, sample, warmup, after,
                String.join(" ", names));
        List<String> passes = conv ? CONV_PASSES : List.of("sgemm");
        for (String row : rows) {
            for (String threads : threadCounts) {
                Bound[] bound = new Bound[builds.size()];
                for (int b = 0; b < builds.size(); b++) {
                    bound[b] = bind(builds.get(b).loader(), conv, row, threads, passes);
                }
                double[][][] seconds = time(bound, passes.size(), rounds, sample, warmup);
                report(out, row, threads, builds, tested, passes, seconds);
            }
        }
    }

    private static double number(String[] args, int i, String option, double min, double max) {
        if (i >= args.length) {
            throw new IllegalArgumentException("SideBySide: " + option + " needs a value");
        }
        double value;
        try {
            value = Double.parseDouble(args[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SideBySide: " + option + " needs a number, got '" + args[i] + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("SideBySide: " + option + " must be in [" + plain(min) + ", "
                    + plain(max) + "], got " + args[i]);
        }
        return value;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("SideBySide: " + option + " needs a value");
        }
        return args[i];
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** The comma-separated values of the option, each one of {@code valid}. */
    private static List<String> subset(String[] args, int i, String option, List<String> valid) {
        if (i >= args.length) {
            throw new IllegalArgumentException("SideBySide: " + option + " needs a value");
        }
        List<String> picked = List.of(args[i].split(","));
        for (String value : picked) {
            if (!valid.contains(value)) {
                throw new IllegalArgumentException("SideBySide: " + option + " takes some of " + valid + ", got '"
                        + value + "'");
            }
        }
        return picked;
    }

    /** NAME=CLASSPATH: a loader over the build's jars whose parent is the platform loader. */
    static Build build(String arg) throws MalformedURLException {
        int eq = arg.indexOf('=');
        if (eq <= 0 || eq == arg.length() - 1) {
            throw new IllegalArgumentException("SideBySide: a build is NAME=CLASSPATH, got '" + arg + "'");
        }
        if (!arg.substring(0, eq).matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("SideBySide: a build's name takes letters, digits, '_', '.' and '-',"
                    + " got '" + arg.substring(0, eq) + "'");
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : arg.substring(eq + 1).split(File.pathSeparator)) {
            if (entry.endsWith("/*")) {
                File[] jars = new File(entry.substring(0, entry.length() - 2)).listFiles((d, n) -> n.endsWith(".jar"));
                if (jars == null || jars.length == 0) {
                    throw new IllegalArgumentException("SideBySide: no jars in " + entry);
                }
                Arrays.sort(jars);
                for (File jar : jars) {
                    urls.add(jar.toURI().toURL());
                }
            } else if (new File(entry).exists()) {
                urls.add(new File(entry).toURI().toURL());
            } else {
                throw new IllegalArgumentException("SideBySide: no such class path entry: " + entry);
            }
        }
        String name = arg.substring(0, eq);
        return new Build(name, new BuildLoader(name, urls.toArray(URL[]::new)));
    }

    /**
     * A build's own loader: a class its jars hold comes from them, even when the JVM running this
     * has Lanes on its own path (named modules' packages are otherwise handed to the loader that
     * defined them); the JDK's classes come from the platform loader.
     */
    static final class BuildLoader extends URLClassLoader {
        BuildLoader(String name, URL[] urls) {
            super(name, urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(className)) {
                Class<?> type = findLoadedClass(className);
                if (type == null && !className.startsWith("java.")) {
                    try {
                        type = findClass(className);
                    } catch (ClassNotFoundException notInTheBuild) {
                        type = null;
                    }
                }
                if (type == null) {
                    return super.loadClass(className, resolve);
                }
                if (resolve) {
                    resolveClass(type);
                }
                return type;
            }
        }
    }

    /** The row's benchmark state in the build's loader, set up as JMH would before a trial. */
    private static Bound bind(ClassLoader loader, boolean conv, String row, String threads, List<String> passes)
            throws ReflectiveOperationException {
        Class<?> type = Class.forName(conv ? "dev.lanes.bench.conv.ConvBenchmark" : "dev.lanes.bench.gemm.GemmBenchmark",
                true, loader);
        Object state = type.getConstructor().newInstance();
        if (conv) {
            type.getField("layer").set(state, row);
            type.getField("threads").setInt(state, Integer.parseInt(threads));
            type.getField("impl").set(state, "chosen");
        } else {
            type.getField("shape").set(state, row);
            type.getField("threads").set(state, threads);
            type.getField("impl").set(state, "panama");
        }
        type.getMethod("setUp").invoke(state);
        Method[] methods = new Method[passes.size()];
        for (int p = 0; p < methods.length; p++) {
            methods[p] = type.getMethod(passes.get(p));
        }
        return new Bound(state, methods);
    }

    /**
     * seconds[build][pass][round]: warm-up of every build's passes in turn, then per round and pass
     * one sample of each build, the first build of a round rotating.
     */
    static double[][][] time(Bound[] bound, int passes, int rounds, double sample, double warmup)
            throws ReflectiveOperationException {
        int n = bound.length;
        for (int w = 0; w < 4; w++) {
            for (int p = 0; p < passes; p++) {
                for (Bound b : bound) {
                    sample(b, p, warmup / 4);
                }
            }
        }
        double[][][] seconds = new double[n][passes][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int p = 0; p < passes; p++) {
                for (int i = 0; i < n; i++) {
                    int b = (r + i) % n;
                    seconds[b][p][r] = sample(bound[b], p, sample);
                }
            }
        }
        return seconds;
    }

    /** Seconds per call of the pass, calling it until at least {@code seconds} have passed (once at least). */
    private static double sample(Bound bound, int pass, double seconds) throws ReflectiveOperationException {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int calls = 0;
        long now;
        do {
            bound.passes()[pass].invoke(bound.state());
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return (now - start) / 1e9 / calls;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    /**
     * One line per pass: each build's median and best (least) ms per call, and the tested build's
     * speed relative to each other one: the median over rounds of the round's ratio, their range,
     * and the ratio of the bests.
     */
    private static void report(PrintStream out, String row, String threads, List<Build> builds, int tested,
                               List<String> passes, double[][][] seconds) {
        for (int p = 0; p < passes.size(); p++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-15s t=%-3s %-15s", row, threads,
                    passes.get(p)));
            for (int b = 0; b < builds.size(); b++) {
                line.append(String.format(Locale.ROOT, " | %s ms median %.4f best %.4f", builds.get(b).name(),
                        1e3 * median(seconds[b][p]), 1e3 * min(seconds[b][p])));
            }
            for (int b = 0; b < builds.size(); b++) {
                if (b == tested) {
                    continue;
                }
                double[] ratios = new double[seconds[tested][p].length];
                for (int r = 0; r < ratios.length; r++) {
                    ratios[r] = seconds[b][p][r] / seconds[tested][p][r];
                }
                line.append(String.format(Locale.ROOT, " | %s/%s speed: paired median %.3f (rounds %.3f-%.3f), best %.3f",
                        builds.get(tested).name(), builds.get(b).name(), median(ratios), min(ratios),
                        Arrays.stream(ratios).max().orElseThrow(), min(seconds[b][p]) / min(seconds[tested][p])));
            }
            out.println(line);
        }
    }
}
