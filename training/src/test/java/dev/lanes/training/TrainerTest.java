package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.training.TestNetworks.PoisonAfter;
import dev.lanes.training.checkpoint.Checkpoint;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.optim.Adam;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.optim.Sgd;
import dev.lanes.training.report.EpochRecord;
import dev.lanes.training.report.MetricsCsv;
import dev.lanes.training.report.Progress;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer on a tiny synthetic problem a linear model learns in a few epochs. */
class TrainerTest {
    private static final long SEED = 505;

    @TempDir
    Path directory;

    private static TrainingOptions quiet() {
        return new TrainingOptions().log(null).progress((task, total) -> Progress.none());
    }

    private static DataLoader loader(Dataset data, int batch, boolean shuffle) {
        return new DataLoader(data, batch, shuffle, false, SEED, Augmentation.NONE);
    }

    @Test
    void lossDecreasesAndTheReportIsWritten() throws Exception {
        Model model = TestNetworks.linearModel("tiny", 4, 4, SEED);
        Optimizer sgd = new Sgd(model.parameters(), 0.5);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), sgd, quiet().epochs(4)
                .log(new PrintStream(log, true, StandardCharsets.UTF_8)).outputDirectory(directory));
        TrainingResult result = trainer.fit(loader(TestNetworks.quadrants(64, 0.5, 0, 1), 16, true),
                loader(TestNetworks.quadrants(32, 0.5, 0, 2), 16, false));
        List<EpochRecord> epochs = result.epochs();
        assertEquals(4, epochs.size());
        for (int e = 1; e < epochs.size(); e++) {
            assertTrue(epochs.get(e).trainLoss() < epochs.get(e - 1).trainLoss(), "seed " + SEED + ": " + epochs);
        }
        assertTrue(epochs.get(3).trainLoss() < 0.5 * epochs.get(0).trainLoss(), "seed " + SEED + ": " + epochs);
        assertEquals(1.0, epochs.get(3).validationAccuracy(), "seed " + SEED + ": " + epochs);
        assertEquals(16, sgd.steps());
        assertEquals(4, result.finalEpoch());
        assertFalse(result.stoppedEarly());
        assertEquals(32, result.finalValidation().count());
        assertEquals(1.0, result.finalValidation().confusion().recall(2));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("epoch  4/4  train loss"), text);
        for (String file : List.of(Trainer.CHECKPOINT_FILE, Trainer.MODEL_FILE, Trainer.METRICS_FILE,
                Trainer.LOSS_CHART, Trainer.ACCURACY_CHART, Trainer.CONFUSION_CHART)) {
            assertTrue(Files.size(directory.resolve(file)) > 0, file);
        }
        assertEquals(MetricsCsv.format(epochs), Files.readString(directory.resolve(Trainer.METRICS_FILE)));
        Checkpoint checkpoint = ModelCheckpoint.read(directory.resolve(Trainer.CHECKPOINT_FILE));
        assertEquals("4", checkpoint.metadata().get("epoch"));
        assertEquals("16", checkpoint.metadata().get("step"));
        assertEquals("sgd", checkpoint.metadata().get("optimizer"));
    }

    @Test
    void theScheduleSetsEachEpochsRate() throws Exception {
        Model model = TestNetworks.linearModel("tiny", 4, 4, SEED);
        LearningRateSchedule schedule = new LearningRateSchedule.Exponential(0.4, 0.9);
        Optimizer sgd = new Sgd(model.parameters(), schedule, 0.5, false);
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), sgd, quiet().epochs(3));
        TrainingResult result = trainer.fit(loader(TestNetworks.quadrants(48, 0.5, 0, 1), 16, true), null);
        for (int e = 0; e < 3; e++) {
            // 3 steps per epoch: epoch e starts at step 3e
            assertEquals(schedule.rate(3L * e), result.epochs().get(e).learningRate());
            assertTrue(Double.isNaN(result.epochs().get(e).validationLoss()));
        }
        assertEquals(schedule.rate(9), sgd.learningRate());
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() throws Exception {
        // Validation labels are the training labels shifted by one class: the better the model
        // fits the training set, the worse the validation loss, so epoch 1 is the best.
        Dataset train = TestNetworks.quadrants(64, 0.5, 0, 1);
        Dataset validation = TestNetworks.quadrants(32, 0.5, 1, 2);
        Model model = TestNetworks.linearModel("tiny", 4, 4, SEED);
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.parameters(), 0.05),
                quiet().epochs(10).patience(2).outputDirectory(directory));
        TrainingResult result = trainer.fit(loader(train, 16, true), loader(validation, 16, false));
        assertTrue(result.stoppedEarly());
        assertEquals(1, result.finalEpoch());
        assertEquals(3, result.epochs().size(), "stops after 2 epochs without improvement: " + result.epochs());
        assertTrue(result.epochs().get(2).validationLoss() > result.epochs().get(0).validationLoss());
        // The model holds epoch 1's weights: the same as a run of exactly 1 epoch...
        Model reference = TestNetworks.linearModel("tiny", 4, 4, SEED);
        new Trainer(reference, new SoftmaxCrossEntropy(), new Adam(reference.parameters(), 0.05), quiet().epochs(1))
                .fit(loader(train, 16, true), null);
        for (int p = 0; p < model.parameters().size(); p++) {
            assertArrayEquals(reference.parameters().get(p).value().toArray(),
                    model.parameters().get(p).value().toArray(), "parameter " + p);
        }
        assertArrayEquals(reference.buffers().get(0).tensor().toArray(), model.buffers().get(0).tensor().toArray());
        // ... with the same validation loss as recorded for epoch 1, and model.safetensors says so.
        assertEquals(result.epochs().get(0).validationLoss(), trainer.evaluate(loader(validation, 16, false)).loss());
        assertEquals("1", ModelCheckpoint.read(directory.resolve(Trainer.MODEL_FILE)).metadata().get("epoch"));
        assertEquals("4", ModelCheckpoint.read(directory.resolve(Trainer.MODEL_FILE)).metadata().get("step"));
        // checkpoint.safetensors is the last epoch's full state, which differs.
        assertEquals("3", ModelCheckpoint.read(directory.resolve(Trainer.CHECKPOINT_FILE)).metadata().get("epoch"));
        assertNotEquals(ModelCheckpoint.read(directory.resolve(Trainer.MODEL_FILE)).floats("fc.weight")[0],
                ModelCheckpoint.read(directory.resolve(Trainer.CHECKPOINT_FILE)).floats("fc.weight")[0]);
    }

    @Test
    void withoutEarlyStoppingTheLastEpochsWeightsAreKept() throws Exception {
        // The same diverging validation set: epoch 1 is the best, but without patience the model
        // keeps training and model.safetensors holds the last epoch, as it says.
        Model model = TestNetworks.linearModel("tiny", 4, 4, SEED);
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.parameters(), 0.05),
                quiet().epochs(3).outputDirectory(directory));
        TrainingResult result = trainer.fit(loader(TestNetworks.quadrants(64, 0.5, 0, 1), 16, true),
                loader(TestNetworks.quadrants(32, 0.5, 1, 2), 16, false));
        assertEquals(3, result.finalEpoch());
        assertEquals(result.epochs().get(2).validationLoss(), result.finalValidation().loss());
        Checkpoint saved = ModelCheckpoint.read(directory.resolve(Trainer.MODEL_FILE));
        assertEquals("3", saved.metadata().get("epoch"));
        assertEquals("12", saved.metadata().get("step"));
        assertArrayEquals(model.parameters().get(0).value().toArray(), saved.floats("fc.weight"));
    }

    @Test
    void aNaNLossStopsTrainingNamingTheStepAndKeepsTheLastGoodCheckpoint() throws Exception {
        Dataset train = TestNetworks.quadrants(64, 0.5, 0, 1);
        Dataset validation = TestNetworks.quadrants(16, 0.5, 0, 2);
        // 4 batches per epoch; the 7th training forward (epoch 2, batch 3) gives NaN.
        Path run = Files.createDirectory(directory.resolve("run"));
        Model model = TestNetworks.linearModel("tiny", 4, 4, SEED, new PoisonAfter(7));
        Adam adam = new Adam(model.parameters(), 0.05);
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam, quiet().epochs(5).outputDirectory(run));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.fit(loader(train, 16, true), loader(validation, 16, false)));
        assertEquals(2, e.epoch());
        assertEquals(7, e.step());
        Path checkpoint = run.resolve(Trainer.CHECKPOINT_FILE);
        assertEquals(checkpoint, e.lastGoodCheckpoint());
        assertEquals("training stopped: the training loss became NaN at epoch 2, step 7 (batch 3 of 4 in the epoch);"
                + " the model holds the weights of epoch 1 and the last good checkpoint is " + checkpoint
                + " (end of epoch 1)", e.getMessage());
        assertEquals(6, adam.steps(), "the poisoned step updated nothing");
        // The checkpoint is the one written after epoch 1: byte for byte what a 1-epoch run writes.
        Path reference = Files.createDirectory(directory.resolve("reference"));
        Model referenceModel = TestNetworks.linearModel("tiny", 4, 4, SEED, new PoisonAfter(7));
        new Trainer(referenceModel, new SoftmaxCrossEntropy(), new Adam(referenceModel.parameters(), 0.05),
                quiet().epochs(1).outputDirectory(reference)).fit(loader(train, 16, true), loader(validation, 16, false));
        assertArrayEquals(Files.readAllBytes(reference.resolve(Trainer.CHECKPOINT_FILE)), Files.readAllBytes(checkpoint));
        // The model in memory went back to that state.
        for (int p = 0; p < model.parameters().size(); p++) {
            assertArrayEquals(referenceModel.parameters().get(p).value().toArray(),
                    model.parameters().get(p).value().toArray(), "parameter " + p);
        }
        assertEquals(2, Files.readAllLines(run.resolve(Trainer.METRICS_FILE)).size(), "header and epoch 1");
        assertFalse(Files.exists(run.resolve(Trainer.MODEL_FILE)));
    }

    @Test
    void aNaNInTheFirstEpochSaysNoCheckpointWasWritten() {
        Model model = TestNetworks.linearModel("tiny", 4, 4, SEED, new PoisonAfter(2));
        float[] initial = model.parameters().get(0).value().toArray();
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(model.parameters(), 0.1), quiet().epochs(2));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.fit(loader(TestNetworks.quadrants(64, 0.5, 0, 1), 16, true), null));
        assertEquals("training stopped: the training loss became NaN at epoch 1, step 2 (batch 2 of 4 in the epoch);"
                + " the model holds the initial weights and no checkpoint was written (no epoch completed)",
                e.getMessage());
        assertArrayEquals(initial, model.parameters().get(0).value().toArray());
    }

    @Test
    void mismatchedDataOrOptimizerIsRejected() {
        Model model = TestNetworks.linearModel("tiny", 4, 4, SEED);
        Model other = TestNetworks.linearModel("tiny", 4, 4, SEED);
        assertEquals("the optimizer must hold the parameters of model tiny in the model's order",
                assertThrows(IllegalArgumentException.class, () -> new Trainer(model, new SoftmaxCrossEntropy(),
                        new Sgd(other.parameters(), 0.1), quiet())).getMessage());
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(model.parameters(), 0.1), quiet());
        Dataset wrongSize = Dataset.of(new float[2 * 9], new int[2], 1, 3, 3, 4, null);
        assertEquals("the train images are (1, 3, 3) but model tiny takes (1, 4, 4)",
                assertThrows(IllegalArgumentException.class, () -> trainer.fit(loader(wrongSize, 2, false), null))
                        .getMessage());
    }
}
