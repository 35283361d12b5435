package dev.lanes.training.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.KernelProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The width contract end to end: {@code lanes train} on a small slice of the bundled subset
 * writes the same checkpoint bytes at forced 128, 256 and 512-bit vectors and at 1, 2 and 3
 * threads. The width is fixed when a JVM loads the kernels, so each run is a JVM of its own, on
 * this JVM's module path; a width wider than this JVM's vectors is left out and named.
 */
class WidthCheckpointTest {
    @TempDir
    Path directory;

    /** lanes train in a JVM of its own at a forced width and thread count; the checkpoint's bytes. */
    private byte[] train(Path data, int bits, int threads) throws IOException, InterruptedException {
        Path output = directory.resolve(bits + "-bits-" + threads + "-threads");
        Path log = directory.resolve(bits + "-bits-" + threads + "-threads.log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-Dlanes.panama.required=true", "-Dlanes.vector.bits=" + bits, "--module-path",
                System.getProperty("jdk.module.path"), "-m", "dev.lanes.training/" + Lanes.class.getName(),
                "train", "--data", data.toString(), "--output", output.toString(), "--epochs", "2",
                "--batch-size", "32", "--seed", "11", "--threads", Integer.toString(threads), "--progress", "none"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "lanes train at " + bits + " bits did not finish");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), bits + " bits, " + threads + " threads:\n" + text);
        assertTrue(text.contains("epoch  2/2  train loss"), text);
        return Files.readAllBytes(output.resolve("checkpoint.safetensors"));
    }

    @Test
    void theCheckpointHasTheSameBytesAtEveryWidthAndThreadCount() throws Exception {
        // this JVM's width: the machine's, unless the build forces one
        int machine = KernelProvider.vectorBits();
        Path data = TrainAndEvalTest.smallDataset(directory, 256, 64);
        // each width with another thread count: three runs cover three widths and three counts
        int[][] runs = {{128, 3}, {256, 1}, {512, 2}};
        byte[] first = null;
        String firstRun = null;
        List<String> ran = new ArrayList<>();
        for (int[] run : runs) {
            if (run[0] > machine) {
                System.out.println("checkpoint width contract: " + run[0] + " bits not run, wider than this machine's "
                        + machine + "-bit vectors");
                continue;
            }
            byte[] checkpoint = train(data, run[0], run[1]);
            String name = run[0] + " bits, " + run[1] + " threads";
            ran.add(name + ": SHA-256 " + sha256(checkpoint));
            if (first == null) {
                first = checkpoint;
                firstRun = name;
            } else {
                assertArrayEquals(first, checkpoint, "checkpoint.safetensors differs: " + firstRun + " vs " + name);
            }
        }
        System.out.println("checkpoint width contract:\n  " + String.join("\n  ", ran));
        assertTrue(ran.size() >= 2, "at least two widths compared: " + ran);
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
