package dev.lanes.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingOptions;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.optim.Optimizers;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on Spark in local mode (one JVM, two task threads, a failed task retried once):
 * synchronous training gives checkpoints byte-identical to {@link Trainer} with the same chunks,
 * batch, order and seed, for 1, 2 and 4 workers, also after a retried task and after a restart
 * from a checkpoint; parameter averaging gives the same bits through retries and restarts, and
 * with k = 1 and momentum SGD the weights of synchronous training up to rounding. The runs are
 * short: the first 512 images of the bundled subset, batch 64, 8 steps.
 */
class SparkTrainerTest {
    static final long SEED = 20261207L;
    static final FashionMnistSetup SETUP = new FashionMnistSetup("cnn", SEED, null, 512, 64, 1, 0.5);
    private static JavaSparkContext spark;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(SparkJvm.conf("local[2,2]", "SparkTrainerTest"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Momentum SGD with L2: the optimizer state and the penalty both enter the checkpoint. */
    static OptimizerFactory optimizer() {
        return model -> Optimizers.create("momentum", model.parameters(),
                new LearningRateSchedule.Constant(0.05), 0.9, 1e-4);
    }

    /** Trains one epoch with Trainer on one machine; returns the checkpoint's bytes. */
    static byte[] trainer(Path output, int chunks) throws IOException {
        Model model = SETUP.model();
        Trainer trainer = new Trainer(model, SETUP.loss(), optimizer().apply(model), new TrainingOptions().epochs(1)
                .gradientChunks(chunks).outputDirectory(output).charts(false).log(null)
                .metadata("seed", Long.toString(SEED)));
        trainer.fit(SETUP.trainLoader(), null);
        return Files.readAllBytes(output.resolve(Trainer.CHECKPOINT_FILE));
    }

    private static SparkTrainingOptions options(Path output, int workers, int chunks) {
        return new SparkTrainingOptions().workers(workers).chunks(chunks).epochs(1).outputDirectory(output).log(null)
                .metadata("seed", Long.toString(SEED));
    }

    private byte[] spark(Path output, int workers, int chunks) throws IOException {
        return run(options(output, workers, chunks));
    }

    private static byte[] run(SparkTrainingOptions options) throws IOException {
        new SparkTrainer(spark, SETUP, optimizer(), options).fit();
        return Files.readAllBytes(options.outputDirectory.resolve(Trainer.CHECKPOINT_FILE));
    }

    @Test
    void aRetriedTaskAndARestartFromTheCheckpointKeepTheBits() throws IOException {
        byte[] expected = trainer(folder.resolve("trainer"), 4);
        Path retried = folder.resolve("retried");
        assertArrayEquals(expected, run(options(folder.resolve("retry"), 2, 4)
                .probe(new Faults.FailFirstAttempt(retried.toString(), 3, 0))), "retried task, seed " + SEED);
        assertTrue(Files.exists(retried), "the failure was not injected");

        Path output = folder.resolve("restart");
        Path crashed = folder.resolve("crashed");
        assertThrows(Exception.class, () -> run(options(output, 2, 4).checkpointEvery(3)
                .probe(new Faults.FailStep(crashed.toString(), 5))));
        assertTrue(Files.exists(crashed), "the crash was not injected");
        assertEquals("3", ModelCheckpoint.read(output.resolve(Trainer.CHECKPOINT_FILE)).metadata().get("step"),
                "the last checkpoint before the crash in step 6");
        assertArrayEquals(expected, run(options(output, 2, 4).checkpointEvery(3).resume(true)),
                "resumed from step 3, seed " + SEED);
    }

    @Test
    void averagingGivesTheSameBitsThroughRetriesAndRestarts() throws IOException {
        byte[] expected = run(options(folder.resolve("clean"), 2, 2).averageEvery(3));
        Path retried = folder.resolve("retried");
        assertArrayEquals(expected, run(options(folder.resolve("retry"), 2, 2).averageEvery(3)
                .probe(new Faults.FailFirstAttempt(retried.toString(), 3, 1))), "averaging, retried task, seed " + SEED);
        assertTrue(Files.exists(retried), "the failure was not injected");
        Path output = folder.resolve("restart");
        Path crashed = folder.resolve("crashed");
        assertThrows(Exception.class, () -> run(options(output, 2, 2).averageEvery(3).checkpointEvery(3)
                .probe(new Faults.FailStep(crashed.toString(), 6))));
        assertEquals("6", ModelCheckpoint.read(output.resolve(Trainer.CHECKPOINT_FILE)).metadata().get("step"));
        assertArrayEquals(expected, run(options(output, 2, 2).averageEvery(3).checkpointEvery(3).resume(true)),
                "averaging resumed from step 6, seed " + SEED);
    }

    @Test
    void averagingEveryStepIsSynchronousUpToRounding() throws IOException {
        float[] synchronous = weights(options(folder.resolve("sync"), 2, 2));
        float[] everyStep = weights(options(folder.resolve("k1"), 2, 2).averageEvery(1));
        float[] everyFourth = weights(options(folder.resolve("k4"), 2, 2).averageEvery(4));
        double close = maxDifference(synchronous, everyStep);
        double far = maxDifference(synchronous, everyFourth);
        // rounding of 8 steps against the effect of 4 local steps between averages
        assertTrue(close < 1e-5, "k = 1 differs by " + close + ", seed " + SEED);
        assertTrue(far > 100 * close, "k = 4 differs by " + far + ", k = 1 by " + close + ", seed " + SEED);
    }

    private static float[] weights(SparkTrainingOptions options) throws IOException {
        return SparkTrainer.Weights.flatten(new SparkTrainer(spark, SETUP, optimizer(), options).fit());
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void oneTwoAndFourWorkersGiveTheBitsOfTrainer() throws IOException {
        byte[] expected = trainer(folder.resolve("trainer"), 4);
        for (int workers : new int[] {1, 2, 4}) {
            byte[] actual = spark(folder.resolve("spark" + workers), workers, 4);
            assertArrayEquals(expected, actual, "checkpoint of " + workers + " workers, 4 chunks, seed " + SEED);
        }
    }

    @Test
    void oneChunkGivesTheBitsOfPlainTrainer() throws IOException {
        byte[] expected = trainer(folder.resolve("trainer"), 1);
        assertArrayEquals(expected, spark(folder.resolve("spark"), 1, 1), "one worker, one chunk, seed " + SEED);
    }

    @Test
    void theChunkCountIsPartOfTheArithmetic() throws IOException {
        // the comparison above can fail: another cut of the batch gives other bits
        byte[] four = trainer(folder.resolve("four"), 4);
        byte[] two = trainer(folder.resolve("two"), 2);
        assertFalse(Arrays.equals(four, two), "2 and 4 chunks gave the same checkpoint, seed " + SEED);
    }

    @Test
    void moreWorkersThanChunksIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(spark,
                SETUP, optimizer(), new SparkTrainingOptions().workers(3).chunks(2)));
        assertEquals("workers (3) must not exceed chunks (2): each worker computes at least one chunk", e.getMessage());
    }
}
