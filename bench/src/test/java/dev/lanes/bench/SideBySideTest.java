package dev.lanes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SideBySide.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
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
        assertTrue(lines[1].startsWith("256x256x256     t=1   sgemm"), out);
        assertTrue(lines[1].contains("| after ms median "), out);
        assertTrue(lines[1].contains("| before ms median "), out);
        assertTrue(lines[1].matches(".*\\| after/before speed: paired median [0-9.]+ \\(rounds [0-9.]+-[0-9.]+\\),"
                + " best [0-9.]+$"), out);
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
    }
}
