package dev.lanes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SideBySide on two copies of this build (the test's own class path): each gets its own classes,
 * every pass is reported with both builds' times and the paired ratio; bad arguments fail before
 * anything is timed, naming what was wrong.
 */
class SideBySideTest {
    /** This build as a class path: the test JVM's class path and module path (where surefire puts Lanes' modules). */
    private static final String CLASS_PATH = System.getProperty("java.class.path")
            + (System.getProperty("jdk.module.path") == null ? "" : File.pathSeparator + System.getProperty("jdk.module.path"));

    /** A JVM like the test's own, running SideBySide on this build. */
    private static final List<String> JVM = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-modules=jdk.incubator.vector", "-cp", CLASS_PATH, SideBySide.class.getName());

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SideBySide.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), JVM);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachBuildHasItsOwnClasses() throws Exception {
        ClassLoader a = SideBySide.build("a=" + CLASS_PATH).loader();
        ClassLoader b = SideBySide.build("b=" + CLASS_PATH).loader();
        Class<?> gemmA = Class.forName("dev.lanes.kernels.Gemm", false, a);
        Class<?> gemmB = Class.forName("dev.lanes.kernels.Gemm", false, b);
        assertNotSame(gemmA, gemmB);
        assertNotSame(dev.lanes.kernels.Gemm.class, gemmA);
    }

    @Test
    void reportsEveryPassOfEveryBuildWithThePairedRatio() throws Exception {
        String out = run("gemm", "--rounds", "3", "--sample", "0.001", "--warmup", "0", "--only", "256x256x256",
                "--threads", "1", "after=" + CLASS_PATH, "before=" + CLASS_PATH);
        String[] lines = out.split("\n");
        assertEquals(2, lines.length, out);
        assertTrue(lines[0].startsWith("side by side: gemm, 3 rounds"), out);
        assertTrue(lines[0].endsWith("after against the others; loaded in the order after before"), out);
        assertTrue(lines[1].startsWith("256x256x256     t=1   sgemm"), out);
        assertTrue(lines[1].contains("| after ms median "), out);
        assertTrue(lines[1].contains("| before ms median "), out);
        assertTrue(lines[1].matches(".*\\| after/before speed: paired median [0-9.]+ \\(rounds [0-9.]+-[0-9.]+\\),"
                + " best [0-9.]+$"), out);
    }

    @Test
    void theTestedBuildNeedNotBeLoadedFirst() throws Exception {
        String out = run("gemm", "--rounds", "1", "--sample", "0.001", "--warmup", "0", "--only", "256x256x256",
                "--threads", "1", "--after", "new", "old=" + CLASS_PATH, "new=" + CLASS_PATH);
        assertTrue(out.contains("new against the others; loaded in the order old new"), out);
        assertTrue(out.contains("| new/old speed: paired median "), out);
        assertTrue(!out.contains("old/new"), out);
    }

    @Test
    void acrossJvmsTheOrderAlternatesAndTheSummaryPairsTheGroups() throws Exception {
        String out = run("gemm", "--jvms", "2", "--rounds", "1", "--sample", "0.001", "--warmup", "0", "--only",
                "256x256x256", "--threads", "1", "--after", "new", "new=" + CLASS_PATH, "old=" + CLASS_PATH);
        String[] lines = out.split("\n");
        assertEquals(7, lines.length, out);
        assertEquals("side by side in 2 JVMs, new against the others; the odd-numbered JVMs load the builds in the"
                + " order new old, the even-numbered ones in reverse", lines[0]);
        assertTrue(lines[1].startsWith("jvm 1: WARNING") || lines[1].startsWith("jvm 1: side by side"), out);
        assertTrue(out.contains("jvm 1: side by side: gemm, 1 rounds of 0.001 s samples after 0.0 s of warm-up per"
                + " pass; new against the others; loaded in the order new old"), out);
        assertTrue(out.contains("jvm 2: side by side: gemm, 1 rounds of 0.001 s samples after 0.0 s of warm-up per"
                + " pass; new against the others; loaded in the order old new"), out);
        assertTrue(lines[5].startsWith("summary: "), out);
        assertTrue(lines[6].matches("256x256x256 t=1 sgemm +\\| new/old figure [0-9.]+ \\(new first: [0-9.]+;"
                + " old first: [0-9.]+\\)"), out);
    }

    @Test
    void theFigureIsTheGeometricMeanOfTheTwoGroupsMedians() {
        assertEquals(Math.sqrt(0.95 * 1.1), SideBySideJvms.figure(List.of(1.0, 0.9), List.of(1.1)), 1e-15);
        assertEquals(Math.sqrt(0.9 * 1.2), SideBySideJvms.figure(List.of(0.8, 1.0, 0.9), List.of(1.3, 1.2, 0.5)), 1e-15);
        assertEquals(0.97, SideBySideJvms.figure(List.of(), List.of(0.97)), 0);
        assertEquals(1.01, SideBySideJvms.figure(List.of(1.01), List.of()), 0);
        assertEquals("SideBySide: no paired medians to summarise", assertThrows(IllegalArgumentException.class,
                () -> SideBySideJvms.figure(List.of(), List.of())).getMessage());
    }

    @Test
    void convTimesTheFourPassesOfALayer() throws Exception {
        String out = run("conv", "--rounds", "1", "--sample", "0.001", "--warmup", "0", "--only", "LENET_C1",
                "--threads", "2", "x=" + CLASS_PATH, "y=" + CLASS_PATH);
        for (String pass : SideBySide.CONV_PASSES) {
            assertTrue(out.contains(String.format("LENET_C1        t=2   %-15s |", pass)), out);
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheProblem() {
        String build = "a=" + CLASS_PATH;
        assertEquals("SideBySide: the first argument must be conv or gemm, got 'pool'", assertThrows(
                IllegalArgumentException.class, () -> run("pool", build, build)).getMessage());
        assertEquals("SideBySide: name at least two builds as NAME=CLASSPATH, got 1", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", build)).getMessage());
        assertEquals("SideBySide: a build is NAME=CLASSPATH, got 'nobuild'", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", "nobuild", build)).getMessage());
        assertEquals("SideBySide: --rounds must be in [1, 1000], got 0", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", "--rounds", "0", build, build)).getMessage());
        assertEquals("SideBySide: --sample needs a number, got 'x'", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", "--sample", "x", build, build)).getMessage());
        assertEquals("SideBySide: --warmup needs a value", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", "--warmup")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> run("conv", "--only", "LENET", build, build))
                .getMessage().startsWith("SideBySide: --only takes some of [LENET_C1, "));
        assertEquals("SideBySide: no such class path entry: /no/such.jar", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", "a=/no/such.jar", build)).getMessage());
        assertEquals("SideBySide: a build's name takes letters, digits, '_', '.' and '-', got 'a/b'", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", "a/b=" + CLASS_PATH, build)).getMessage());
        assertEquals("SideBySide: two builds are named a", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", build, build)).getMessage());
        assertEquals("SideBySide: --after names none of the builds [a, b]: 'c'", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", "--after", "c", build, "b=" + CLASS_PATH))
                .getMessage());
        assertEquals("SideBySide: --jvms must be in [1, 100], got 0", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", "--jvms", "0", build, build)).getMessage());
        assertEquals("SideBySide: --after needs a value", assertThrows(
                IllegalArgumentException.class, () -> run("gemm", "--after")).getMessage());
    }
}
