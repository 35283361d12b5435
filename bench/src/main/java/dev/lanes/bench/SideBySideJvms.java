package dev.lanes.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link SideBySide}'s comparison run in several JVMs one after another, the builds' load order
 * reversed in every other one, and the summary of their paired medians (see SideBySide's class
 * comment for the design and the figure).
 */
final class SideBySideJvms {
    private SideBySideJvms() {
    }

    /** This JVM's executable, options and class path, running this class. */
    static List<String> childCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-Djava.class.path=")) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SideBySide.class.getName()));
        return command;
    }

    /** A pass's line of one JVM: its row, threads and pass, then each reference's paired median. */
    private static final Pattern PAIRED = Pattern.compile(
            "\\| ([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+) speed: paired median ([0-9.]+)");

    /**
     * Runs the comparison in {@code jvms} JVMs, started by {@code command} followed by
     * {@code childArgs} and the builds, named in order in the odd-numbered JVMs and in reverse in
     * the even-numbered ones; copies their lines prefixed with the JVM's number, then prints the
     * summary (see the class comment).
     */
    static void acrossJvms(List<String> command, List<String> childArgs, List<String> buildArgs, List<String> names,
                           String after, int jvms, PrintStream out) throws IOException, InterruptedException {
        out.printf(Locale.ROOT, "side by side in %d JVMs, %s against the others; the odd-numbered JVMs load the builds"
                + " in the order %s, the even-numbered ones in reverse%n", jvms, after, String.join(" ", names));
        // paired medians per pass line and reference: [0] the JVMs that loaded the tested build first, [1] the others
        Map<String, Map<String, List<List<Double>>>> paired = new LinkedHashMap<>();
        for (int j = 1; j <= jvms; j++) {
            List<String> order = new ArrayList<>(buildArgs);
            List<String> orderNames = new ArrayList<>(names);
            if (j % 2 == 0) {
                Collections.reverse(order);
                Collections.reverse(orderNames);
            }
            List<String> full = new ArrayList<>(command);
            full.addAll(childArgs);
            full.addAll(order);
            Process process = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    out.println("jvm " + j + ": " + line);
                    int bar = line.indexOf(" |");
                    if (bar < 0) {
                        continue;
                    }
                    String key = line.substring(0, bar).trim().replaceAll(" +", " ");
                    Matcher m = PAIRED.matcher(line);
                    while (m.find()) {
                        String reference = m.group(2);
                        boolean afterFirst = orderNames.indexOf(after) < orderNames.indexOf(reference);
                        paired.computeIfAbsent(key, k -> new LinkedHashMap<>())
                                .computeIfAbsent(reference, r -> List.of(new ArrayList<>(), new ArrayList<>()))
                                .get(afterFirst ? 0 : 1).add(Double.parseDouble(m.group(3)));
                    }
                }
            }
            int code = process.waitFor();
            if (code != 0) {
                throw new IllegalStateException("SideBySide: JVM " + j + " of " + jvms + " exited with code " + code);
            }
        }
        out.printf(Locale.ROOT, "summary: per pass and reference, the paired medians of the JVMs that loaded %s first"
                + " and of those that loaded the reference first, and the figure: the geometric mean of the two"
                + " groups' medians%n", after);
        for (Map.Entry<String, Map<String, List<List<Double>>>> pass : paired.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-35s", pass.getKey()));
            for (Map.Entry<String, List<List<Double>>> reference : pass.getValue().entrySet()) {
                List<Double> first = reference.getValue().get(0);
                List<Double> second = reference.getValue().get(1);
                line.append(String.format(Locale.ROOT, " | %s/%s figure %.3f (%s first: %s; %s first: %s)", after,
                        reference.getKey(), figure(first, second), after, list(first), reference.getKey(),
                        list(second)));
            }
            out.println(line);
        }
    }

    /**
     * The geometric mean of the median of each group of paired medians; the one group's median when
     * the other is empty.
     */
    static double figure(List<Double> testedFirst, List<Double> referenceFirst) {
        if (testedFirst.isEmpty() && referenceFirst.isEmpty()) {
            throw new IllegalArgumentException("SideBySide: no paired medians to summarise");
        }
        if (testedFirst.isEmpty() || referenceFirst.isEmpty()) {
            return median(testedFirst.isEmpty() ? referenceFirst : testedFirst);
        }
        return Math.sqrt(median(testedFirst) * median(referenceFirst));
    }

    private static double median(List<Double> values) {
        return SideBySide.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String list(List<Double> values) {
        return values.isEmpty() ? "none" : String.join(" ", values.stream()
                .map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
    }
}
