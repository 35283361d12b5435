package dev.lanes.training.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.Parallel;
import dev.lanes.training.data.DataSource;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.FashionMnist;
import dev.lanes.training.data.Idx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lanes train and lanes eval end to end on a small slice of the bundled subset: the report and
 * checkpoints are written, eval reproduces the test accuracy from the checkpoint, and the same
 * seed gives the same checkpoint bytes with 1 thread and with 2.
 */
class TrainAndEvalTest {
    @TempDir
    Path directory;

    private int threadsBefore;

    @BeforeEach
    void rememberThreads() {
        threadsBefore = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    /** The first {@code count} images of a bundled set, written as gzipped IDX files. */
    static void writeIdx(Dataset data, int count, Path images, Path labels) throws IOException {
        byte[] pixels = new byte[count * 28 * 28];
        byte[] classes = new byte[count];
        for (int i = 0; i < count; i++) {
            float[] image = data.image(i);
            for (int p = 0; p < image.length; p++) {
                pixels[i * 784 + p] = (byte) Math.round(image[p] * 255);
            }
            classes[i] = (byte) data.label(i);
        }
        Idx.write(images, new int[] {count, 28, 28}, pixels, true);
        Idx.write(labels, new int[] {count}, classes, true);
    }

    private Path smallDataset() throws IOException {
        return smallDataset(directory, 320, 100);
    }

    /** A folder data/ in {@code directory} with the first images of the bundled training and test sets. */
    static Path smallDataset(Path directory, int train, int test) throws IOException {
        Path data = Files.createDirectory(directory.resolve("data"));
        DataSource bundled = FashionMnist.bundled();
        writeIdx(bundled.train(), train, data.resolve(DataSource.TRAIN_IMAGES + ".gz"),
                data.resolve(DataSource.TRAIN_LABELS + ".gz"));
        writeIdx(bundled.test(), test, data.resolve(DataSource.TEST_IMAGES + ".gz"),
                data.resolve(DataSource.TEST_LABELS + ".gz"));
        return data;
    }

    private record Run(int status, String out, String err) {
    }

    private static Run lanes(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Lanes.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run train(Path data, Path output, int threads) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--output", output.toString(),
                "--epochs", "2", "--batch-size", "32", "--seed", "11", "--threads", Integer.toString(threads),
                "--progress", "none"));
        Run run = lanes(args);
        assertEquals(0, run.status(), run.err() + run.out());
        return run;
    }

    private static String testAccuracyLine(String text) {
        Matcher matcher = Pattern.compile("test accuracy [0-9.]+% \\(100 images\\), loss [0-9.]+").matcher(text);
        assertTrue(matcher.find(), text);
        return matcher.group();
    }

    @Test
    void trainWritesTheReportEvalReproducesItAndThreadsDoNotChangeTheBytes() throws IOException {
        Path data = smallDataset();
        Path one = directory.resolve("one-thread");
        Run first = train(data, one, 1);
        assertTrue(first.out().contains("data: Fashion-MNIST from " + data + ": 288 training, 32 validation, 100 test"),
                first.out());
        assertTrue(first.out().contains("epoch  2/2  train loss"), first.out());
        assertTrue(first.out().contains("confusion matrix (rows: actual class, columns: predicted class):"));
        assertTrue(first.out().contains("bias/variance (32 training images): training "), first.out());
        for (String file : List.of("checkpoint.safetensors", "model.safetensors", "metrics.csv", "loss.png",
                "accuracy.png", "confusion_validation.png", "confusion_test.png", "results.txt")) {
            assertTrue(Files.size(one.resolve(file)) > 0, file);
        }
        String accuracy = testAccuracyLine(first.out());
        assertTrue(Files.readString(one.resolve("results.txt")).contains(accuracy));

        Run eval = lanes(List.of("eval", "--checkpoint", one.resolve("model.safetensors").toString(), "--data",
                data.toString(), "--threads", "1"));
        assertEquals(0, eval.status(), eval.err());
        assertEquals(accuracy, testAccuracyLine(eval.out()));

        Path two = directory.resolve("two-threads");
        Run second = train(data, two, 2);
        assertEquals(accuracy, testAccuracyLine(second.out()));
        for (String file : List.of("checkpoint.safetensors", "model.safetensors")) {
            assertArrayEquals(Files.readAllBytes(one.resolve(file)), Files.readAllBytes(two.resolve(file)),
                    file + " differs between 1 and 2 threads");
        }
    }

    @Test
    void evalRejectsACorruptCheckpointClearly() throws IOException {
        Path file = directory.resolve("broken.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        Run run = lanes(List.of("eval", "--checkpoint", file.toString()));
        assertEquals(1, run.status());
        assertEquals("lanes eval: " + file + ": file is 3 bytes long, too short for the 8-byte header length\n",
                run.err());
    }
}
