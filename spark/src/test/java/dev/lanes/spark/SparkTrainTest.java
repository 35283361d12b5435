package dev.lanes.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's options and errors, and its one-machine reference run (no Spark needed for either). */
class SparkTrainTest {
    @TempDir
    Path folder;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... arguments) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SparkTrain.run(List.of(arguments), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheOptions() throws IOException {
        Run run = run("--help");
        assertEquals(0, run.status());
        for (String option : List.of("--master", "--workers", "--chunks", "--resume", "--one-machine")) {
            assertTrue(run.out().contains(option), option + " in " + run.out());
        }
    }

    @Test
    void usageErrorsNameTheProblem() throws IOException {
        assertEquals(new Run(2, "", "lanes spark-train: --output DIR is required\n"), run("--workers", "2"));
        assertEquals(2, run("--output", folder.toString(), "--bogus", "1").status());
        assertTrue(run("--output", folder.toString(), "--bogus", "1").err().contains("unknown option --bogus"));
        Run tooMany = run("--output", folder.toString(), "--chunks", "2", "--workers", "3");
        assertEquals(2, tooMany.status());
        assertTrue(tooMany.err().contains("--workers"), tooMany.err());
        assertEquals(new Run(2, "", "lanes spark-train: --resume needs Spark (--one-machine runs Trainer, which starts"
                + " from the initial weights)\n"), run("--output", folder.toString(), "--one-machine", "--resume"));
        assertTrue(run("--output", folder.toString(), "--model", "resnet").err().contains("--model must be one of"));
    }

    @Test
    void badSetupsAreRefused() {
        assertEquals("unknown model 'vgg'; choose one of [cnn, cnn-autodiff, lenet5, mlp]", assertThrows(
                IllegalArgumentException.class, () -> new FashionMnistSetup("vgg", 1, null, 0, 64, 0, 0)).getMessage());
        assertEquals("batch size must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new FashionMnistSetup("cnn", 1, null, 0, 0, 0, 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FashionMnistSetup("cnn", 1, null, 6000, 64,
                0, 0).trainLoader()).getMessage().startsWith("6000 training images asked for but"));
        assertEquals("workers must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new SparkTrainingOptions().workers(0)).getMessage());
        assertEquals("averaging period must be at least 0, got -1", assertThrows(IllegalArgumentException.class,
                () -> new SparkTrainingOptions().averageEvery(-1)).getMessage());
    }

    @Test
    void theOneMachineRunWritesTheCheckpointAndItsHash() throws IOException {
        Run run = run("--one-machine", "--output", folder.toString(), "--images", "128", "--batch-size", "32",
                "--seed", "3");
        assertEquals(0, run.status(), run.err());
        Path checkpoint = folder.resolve(Trainer.CHECKPOINT_FILE);
        assertTrue(run.out().contains("sha256 " + SparkTrain.sha256(checkpoint)), run.out());
        assertTrue(Files.size(checkpoint) > 4 * 421_642, "the checkpoint holds the weights and the momentum");
    }
}
