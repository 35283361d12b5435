package dev.lanes.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a cluster of separate JVMs on this machine (Spark's local-cluster mode: a master
 * and two workers in the test's JVM, each worker starting an executor JVM of its own) gives the
 * bits of {@link Trainer}, also when a task's first attempt fails and when an executor's JVM dies
 * in the middle of a step.
 */
class SparkClusterTest {
    private static JavaSparkContext spark;

    @TempDir
    static Path shared;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() throws IOException {
        // A local cluster's workers launch executors with Spark's launcher, which wants a Spark
        // installation: in Spark's testing mode they take the test's class path instead, and the
        // launcher only needs the folders of one to exist.
        Path home = shared.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
        System.setProperty("spark.testing", "true");
        System.setProperty("spark.test.home", home.toString());
        SparkConf conf = SparkJvm.conf("local-cluster[2,1,1024]", "SparkClusterTest")
                .set("spark.executorEnv.JAVA_HOME", System.getProperty("java.home"))
                .set("spark.executor.memory", "512m")
                .set("spark.task.maxFailures", "4");
        spark = new JavaSparkContext(conf);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        System.clearProperty("spark.testing");
        System.clearProperty("spark.test.home");
    }

    private byte[] cluster(Path output, TaskProbe probe) throws IOException {
        new SparkTrainer(spark, SparkTrainerTest.SETUP, SparkTrainerTest.optimizer(), new SparkTrainingOptions()
                .workers(2).chunks(4).epochs(1).outputDirectory(output).log(null).probe(probe)
                .metadata("seed", Long.toString(SparkTrainerTest.SEED))).fit();
        return Files.readAllBytes(output.resolve(Trainer.CHECKPOINT_FILE));
    }

    @Test
    void twoExecutorJvmsGiveTheBitsOfTrainerThroughFailures() throws IOException {
        byte[] expected = SparkTrainerTest.trainer(folder.resolve("trainer"), 4);
        assertArrayEquals(expected, cluster(folder.resolve("clean"), null),
                "two-worker cluster, seed " + SparkTrainerTest.SEED);

        Path failed = folder.resolve("failed-attempt");
        Path killed = folder.resolve("killed-executor");
        TaskProbe faults = new Faults.KillExecutor(killed.toString(), 5, 0,
                new Faults.FailFirstAttempt(failed.toString(), 2, 1));
        assertArrayEquals(expected, cluster(folder.resolve("faults"), faults),
                "two-worker cluster with a failed task and a killed executor, seed " + SparkTrainerTest.SEED);
        assertTrue(Files.exists(failed), "the task failure was not injected");
        assertTrue(Files.exists(killed), "the executor was not killed");
    }
}
