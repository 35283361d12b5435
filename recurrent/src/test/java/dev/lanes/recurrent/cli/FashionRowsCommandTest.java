package dev.lanes.recurrent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lanes fashion-rows end to end on a small sample of the bundled subset. */
class FashionRowsCommandTest {
    @TempDir
    Path directory;

    @Test
    void aSmallLstmLearnsToReadImagesRowByRow() throws Exception {
        CommandRun run = CommandRun.of("fashion-rows", "--data", "bundled", "--hidden", "24", "--epochs", "2",
                "--train-images", "1500", "--test-images", "500", "--progress", "none", "--output",
                directory.toString());
        assertEquals(0, run.status(), run.toString());
        double accuracy = run.number("test accuracy ([0-9.]+)%,");
        // Ten classes (chance 10%); two epochs over 1,350 images reach about 60%.
        assertTrue(accuracy > 40, run.toString());
        assertTrue(run.out().contains("(the curriculum line is for LSTM 128 on all test images)"), run.out());
        assertTrue(Files.readString(directory.resolve(FashionRowsCommand.REPORT_FILE)).contains("test accuracy"));
        assertTrue(Files.size(directory.resolve(Trainer.LOSS_CHART)) > 1000);
        assertTrue(Files.size(directory.resolve(Trainer.ACCURACY_CHART)) > 1000);
    }

    @Test
    void helpAndBadOptions() {
        CommandRun help = CommandRun.of("fashion-rows", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: lanes fashion-rows"));
        CommandRun bad = CommandRun.of("fashion-rows", "--hidden", "0");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--hidden"), bad.err());
        assertTrue(CommandRun.of("--help").out().contains("fashion-rows"), "lanes --help lists the command");
    }
}
