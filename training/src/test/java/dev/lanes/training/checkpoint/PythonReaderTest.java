package dev.lanes.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent reader (read_safetensors.py: Python's struct and json modules and numpy) reads a
 * Lanes checkpoint and must find the same names, dtypes, shapes, bit patterns and metadata. Runs
 * when python3 with numpy is installed.
 */
class PythonReaderTest {
    private static final long SEED = 501;

    @TempDir
    Path directory;

    private static boolean pythonWithNumpy() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void numpyReadsWhatLanesWrites() throws Exception {
        assumeTrue(pythonWithNumpy(), "python3 with numpy is not installed");
        SplittableRandom random = new SplittableRandom(SEED);
        float[] weights = new float[4 * 1 * 3 * 3];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        weights[5] = Float.NaN;
        weights[6] = -0f;
        float[] bias = {0.25f, -1e-30f, Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
        long[] step = {1L << 40};
        int[] labels = {0, 9, -3};
        Path file = directory.resolve("lanes.safetensors");
        new SafetensorsWriter()
                .metadata("format", "lanes")
                .metadata("epoch", "3")
                .add("conv1.weight", weights, 4, 1, 3, 3)
                .add("conv1.bias", bias, 4)
                .add("optimizer.step", step)
                .add("labels", labels, 3)
                .write(file);

        Path script = directory.resolve("read_safetensors.py");
        try (InputStream in = PythonReaderTest.class.getResourceAsStream("read_safetensors.py")) {
            Files.copy(in, script);
        }
        Process process = new ProcessBuilder("python3", script.toString(), file.toString()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, process.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(0, process.exitValue(), "python3 failed: " + errors);

        Map<?, ?> result = (Map<?, ?>) Json.parse(output);
        assertEquals(Map.of("format", "lanes", "epoch", "3"), result.get("metadata"));
        Map<?, ?> tensors = (Map<?, ?>) result.get("tensors");
        assertEquals(4, tensors.size());
        check(tensors, "conv1.weight", "F32", List.of(4L, 1L, 3L, 3L), floatBits(weights));
        check(tensors, "conv1.bias", "F32", List.of(4L), floatBits(bias));
        check(tensors, "optimizer.step", "I64", List.of(), List.of(1L << 40));
        check(tensors, "labels", "I32", List.of(3L), List.of(0L, 9L, -3L));
    }

    private static List<Long> floatBits(float[] values) {
        List<Long> bits = new ArrayList<>();
        for (float value : values) {
            bits.add(Integer.toUnsignedLong(Float.floatToRawIntBits(value)));
        }
        return bits;
    }

    private static void check(Map<?, ?> tensors, String name, String dtype, List<Long> shape, List<Long> values) {
        Map<?, ?> tensor = (Map<?, ?>) tensors.get(name);
        assertEquals(dtype, tensor.get("dtype"), name + ", seed " + SEED);
        assertEquals(shape, tensor.get("shape"), name + ", seed " + SEED);
        assertEquals(values, tensor.get("values"), name + ", seed " + SEED);
    }
}
