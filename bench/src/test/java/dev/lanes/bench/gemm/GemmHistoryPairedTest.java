package dev.lanes.bench.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * GemmHistoryPaired on small shapes: every position of every order is reported in every round with
 * both sides' samples and the summary judges each position by the rule; the warm-up honours its
 * bounds; bad arguments fail before any JVM starts, naming what was wrong.
 */
class GemmHistoryPairedTest {
    /** This build as a class path: the test JVM's class path and module path (where surefire puts Lanes' modules). */
    private static final String CLASS_PATH = System.getProperty("java.class.path")
            + (System.getProperty("jdk.module.path") == null ? "" : File.pathSeparator + System.getProperty("jdk.module.path"));

    private static final List<String> JVM = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-modules=jdk.incubator.vector", "-cp", CLASS_PATH, GemmHistoryPaired.class.getName());

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GemmHistoryPaired.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), JVM);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyPositionOfEveryRoundIsPairedAndSummarised() throws Exception {
        String out = run("--rounds", "2", "--pairs", "3", "--sample", "0.002", "--warmup", "0", "--clock", "cpu",
                "--orders", "40x72x9,64x64x64/64x64x64,40x72x9");
        String[] lines = out.split("\n");
        assertEquals(1 + 2 * 4 + 1 + 2 + 4, lines.length, out);
        assertTrue(lines[0].startsWith("# sgemm history, paired: 1 thread(s), 2 rounds, 3 sample pairs of 0.002 s"
                + " (thread CPU clock), warm-up 0.0 s; "), out);
        Pattern sample = Pattern.compile("[0-9.]+");
        String[] expected = {"order 1 position 1 40x72x9", "order 1 position 2 64x64x64", "order 2 position 1 64x64x64",
            "order 2 position 2 40x72x9"};
        for (int r = 0; r < 2; r++) {
            for (int p = 0; p < 4; p++) {
                String line = lines[1 + 4 * r + p];
                assertTrue(line.startsWith("round " + (r + 1) + " " + expected[p] + ": alone "), out);
                Matcher m = Pattern.compile("alone ([0-9.]+) \\[([0-9., ]+)\\] \\(warm-up [0-9.]+ s\\), after ([0-9.]+)"
                        + " \\[([0-9., ]+)\\] \\(warm-up [0-9.]+ s\\), after/alone ([0-9.]+)$").matcher(line);
                assertTrue(m.find(), line);
                for (int side : new int[] {2, 4}) {
                    assertEquals(3, m.group(side).split(", ").length, line);
                    assertTrue(sample.matcher(m.group(side)).find(), line);
                }
                double alone = Double.parseDouble(m.group(1));
                double after = Double.parseDouble(m.group(3));
                // the medians are printed to 0.01, the ratio to 0.001
                assertEquals(after / alone, Double.parseDouble(m.group(5)),
                        after / alone * (0.005 / alone + 0.005 / after) + 0.0005, line);
            }
        }
        assertEquals("", lines[9], out);
        assertTrue(lines[12].matches("\\| 1 \\| 1 \\(first\\) \\| 40x72x9 \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ [0-9.]+"
                + " \\| [0-9.]+ \\| [0-9.]+ \\([0-9.]+%\\) \\| (holds|not decided) \\|"), out);
        assertTrue(lines[15].startsWith("| 2 | 2 | 40x72x9 | "), out);
    }

    @Test
    void theVerdictFollowsTheRuleWrittenBeforeTheSittings() {
        assertEquals("holds", GemmHistoryPaired.verdict(new double[] {0.95}));
        assertEquals("holds", GemmHistoryPaired.verdict(new double[] {0.5, 0.96, 1.2}));
        assertEquals("not decided", GemmHistoryPaired.verdict(new double[] {0.5, 0.94, 1.2}));
        assertEquals("not decided", GemmHistoryPaired.verdict(new double[] {0.9, 0.9, 0.9, 0.9}));
        assertEquals("loss", GemmHistoryPaired.verdict(new double[] {0.9, 0.9, 0.9, 0.9, 0.949}));
        assertEquals("not decided", GemmHistoryPaired.verdict(new double[] {0.9, 0.9, 0.9, 0.9, 0.9, 0.95}));
        assertEquals("GemmHistoryPaired: no ratios to judge", assertThrows(IllegalArgumentException.class,
                () -> GemmHistoryPaired.verdict(new double[0])).getMessage());
    }

    @Test
    void theWarmUpRunsItsMinimumAndStopsAtItsMaximum() {
        int[] calls = new int[1];
        Runnable count = () -> calls[0]++;
        double plain = GemmHistoryPaired.warmUp(count, 0.05, 0, 1);
        assertTrue(plain >= 0.05 && plain < 0.5, "warm-up without settle took " + plain + " s");
        assertTrue(calls[0] > 0);
        // a settle window longer than the maximum cannot end the warm-up: the maximum does
        double capped = GemmHistoryPaired.warmUp(count, 0.02, 5, 0.2);
        assertTrue(capped >= 0.2 && capped < 1, "a warm-up capped at 0.2 s took " + capped + " s");
        // a trivial product leaves the JIT idle soon, well before the maximum
        double settled = GemmHistoryPaired.warmUp(count, 0, 0.05, 5);
        assertTrue(settled >= 0.05 && settled < 4.9, "a warm-up settling after 0.05 s without compilation took "
                + settled + " s");
    }

    @Test
    void badArgumentsAreRefusedNamingTheProblem() {
        assertEquals("GemmHistoryPaired: --clock cpu times one thread's CPU time, so it needs --threads 1, got 2",
                assertThrows(IllegalArgumentException.class, () -> run("--clock", "cpu", "--threads", "2")).getMessage());
        assertEquals("GemmHistoryPaired: --clock is wall or cpu, got 'tsc'",
                assertThrows(IllegalArgumentException.class, () -> run("--clock", "tsc")).getMessage());
        assertEquals("GemmHistoryPaired: --rounds must be in [1, 1000], got 0",
                assertThrows(IllegalArgumentException.class, () -> run("--rounds", "0")).getMessage());
        assertEquals("GemmHistoryPaired: --pairs needs an integer, got 'x'",
                assertThrows(IllegalArgumentException.class, () -> run("--pairs", "x")).getMessage());
        assertEquals("GemmHistoryPaired: --sample must be in [1.0E-6, 60.0], got 0",
                assertThrows(IllegalArgumentException.class, () -> run("--sample", "0")).getMessage());
        assertEquals("GemmHistoryPaired: --warmup-max (1.0) is below --warmup (2.0)",
                assertThrows(IllegalArgumentException.class, () -> run("--warmup", "2", "--warmup-max", "1")).getMessage());
        assertEquals("GemmHistoryPaired: --settle needs a number, got 'soon'",
                assertThrows(IllegalArgumentException.class, () -> run("--settle", "soon")).getMessage());
        assertEquals("GemmHistoryPaired: --rounds needs a value",
                assertThrows(IllegalArgumentException.class, () -> run("--rounds")).getMessage());
        assertEquals("GemmHistoryPaired: expected an option (--name value), got 'fast'",
                assertThrows(IllegalArgumentException.class, () -> run("fast")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> run("--round", "2")).getMessage()
                .startsWith("GemmHistoryPaired: no option --round; the options are [threads, rounds, "));
        assertEquals("shape must be MxNxK, got '64x64'",
                assertThrows(IllegalArgumentException.class, () -> run("--orders", "64x64x64,64x64")).getMessage());
    }
}
