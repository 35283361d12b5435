package dev.lanes.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Option parsing of the lanes program: defaults, every option, and clear errors for bad ones. */
class CommandLineTest {
    private static String message(List<String> arguments) {
        return assertThrows(UsageException.class, () -> TrainSettings.parse(arguments)).getMessage();
    }

    @Test
    void defaults() throws UsageException {
        TrainSettings settings = TrainSettings.parse(List.of());
        assertEquals("cnn", settings.model());
        assertEquals(TrainSettings.DEFAULT_EPOCHS, settings.epochs());
        assertEquals(TrainSettings.DEFAULT_BATCH_SIZE, settings.batchSize());
        assertEquals("adam", settings.optimizer());
        assertEquals(0.001, settings.learningRate());
        assertEquals(42, settings.seed());
        assertEquals(Runtime.getRuntime().availableProcessors(), settings.threads());
        assertNull(settings.data());
        assertEquals(Path.of("runs/train"), settings.output());
        assertEquals(0.1, settings.validation());
        assertEquals(Double.POSITIVE_INFINITY, settings.clipNorm());
    }

    @Test
    void everyOptionIsRead() throws UsageException {
        TrainSettings settings = TrainSettings.parse(List.of("--model", "lenet5", "--epochs=3", "--batch-size", "32",
                "--lr", "0.05", "--optimizer", "NESTEROV", "--momentum", "0.8", "--weight-decay", "1e-4", "--l1",
                "1e-5", "--clip-norm", "5", "--schedule", "step", "--gamma", "0.1", "--step-epochs", "2",
                "--warmup-epochs", "1", "--seed", "-7", "--threads", "1", "--data", "/tmp/fm", "--output", "out",
                "--validation", "0", "--patience", "2", "--shift", "2", "--flip", "0.5", "--progress", "none"));
        assertEquals(new TrainSettings("lenet5", 3, 32, 0.05, "nesterov", 0.8, 1e-4, 1e-5, 5, "step", 0.1, 2, 1, -7,
                1, Path.of("/tmp/fm"), Path.of("out"), 0, 2, 2, 0.5, "none"), settings);
        // The default learning rate follows the optimizer.
        assertEquals(0.1, TrainSettings.parse(List.of("--optimizer", "sgd")).learningRate());
        assertEquals(1.0, TrainSettings.parse(List.of("--optimizer", "adadelta")).learningRate());
    }

    @Test
    void bundledDataCanBeChosenExplicitly() throws Exception {
        TrainSettings settings = TrainSettings.parse(List.of("--data", "bundled"));
        assertEquals(dev.lanes.training.data.DataSource.Kind.BUNDLED, TrainSettings.dataSource(settings.data()).kind());
        assertEquals("data directory /nonexistent does not exist or is not a directory",
                assertThrows(java.io.IOException.class, () -> TrainSettings.dataSource(Path.of("/nonexistent")))
                        .getMessage());
    }

    @Test
    void badOptionsAreRejectedClearly() {
        assertEquals("lanes train: unknown option --epoch (did you mean --epochs? see lanes train --help)", message(List.of("--epoch", "3")));
        assertEquals("lanes train: option --epochs must be an integer from 1 to 100000, got 'zero'",
                message(List.of("--epochs", "zero")));
        assertEquals("lanes train: option --epochs must be an integer from 1 to 100000, got '0'",
                message(List.of("--epochs", "0")));
        assertEquals("lanes train: option --lr must be a number > 0.0 and <= 100.0, got '-1'",
                message(List.of("--lr", "-1")));
        assertEquals("lanes train: option --lr must be a number > 0.0 and <= 100.0, got 'NaN'",
                message(List.of("--lr", "NaN")));
        assertEquals("lanes train: option --model must be one of cnn, cnn-autodiff, lenet5, mlp, got 'resnet'",
                message(List.of("--model", "resnet")));
        assertEquals("lanes train: option --optimizer must be one of sgd, momentum, nesterov, adagrad, adadelta,"
                + " rmsprop, adam, adamw, got 'lbfgs'", message(List.of("--optimizer", "lbfgs")));
        assertEquals("lanes train: option --threads must be an integer from 1 to 1024, got '0'",
                message(List.of("--threads", "0")));
        assertEquals("lanes train: option --seed must be an integer, got '1.5'", message(List.of("--seed", "1.5")));
        assertEquals("lanes train: option --batch-size needs a value", message(List.of("--batch-size")));
        assertEquals("lanes train: option --seed is given twice", message(List.of("--seed", "1", "--seed", "2")));
        assertEquals("lanes train: unexpected argument 'fast' (options start with --; see lanes train --help)",
                message(List.of("fast")));
        assertEquals("lanes train: option --validation must be a number >= 0.0 and <= 0.9, got '1'",
                message(List.of("--validation", "1")));
        assertEquals("lanes train: option --warmup-epochs must be an integer from 0 to 2, got '3'",
                message(List.of("--epochs", "2", "--warmup-epochs", "3")));
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Lanes.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpAndUsageErrors() {
        Run help = run("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("train    train a classifier"), help.out());
        assertTrue(help.out().contains("eval     evaluate a saved model"), help.out());
        Run trainHelp = run("train", "--help");
        assertEquals(0, trainHelp.status());
        assertTrue(trainHelp.out().contains("--optimizer NAME"), trainHelp.out());
        assertTrue(run("eval", "-h").out().contains("--checkpoint FILE"));
        Run none = run();
        assertEquals(2, none.status());
        assertTrue(none.err().contains("usage: lanes COMMAND"), none.err());
        Run unknown = run("fit");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("lanes: unknown command 'fit'"), unknown.err());
        assertTrue(unknown.err().contains("commands: train, eval"), unknown.err());
        assertEquals(2, unknown.err().lines().count(), unknown.err());
        Run bench = run("bench");
        assertEquals(2, bench.status(), "module bench is not on the test class path");
        assertTrue(bench.err().contains("module bench"), bench.err());
        Run bad = run("train", "--epochs", "-1");
        assertEquals(2, bad.status());
        assertEquals("lanes train: option --epochs must be an integer from 1 to 100000, got '-1'\n", bad.err());
        Run noCheckpoint = run("eval");
        assertEquals(2, noCheckpoint.status());
        assertEquals("lanes eval: --checkpoint FILE is required (see lanes eval --help)\n", noCheckpoint.err());
        Run missing = run("eval", "--checkpoint", "/nonexistent/model.safetensors");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("lanes eval: "), missing.err());
    }
}
