package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.Dense;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.checkpoint.CheckpointFormatException;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.models.Models;
import dev.lanes.training.random.SplitMix64;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library API a user meets first: a model from architecture text, training on in-memory
 * arrays with named settings, saving, loading without the architecture, and predicting one image
 * or a batch.
 */
class ModelApiTest {
    private static final long SEED = 20261207L;

    @TempDir
    Path directory;

    /**
     * Three classes of 1x6x6 images, each class bright in its own third of the rows, plus
     * uniform noise; seeded.
     */
    private static Dataset stripes(int count, long seed) {
        SplitMix64 random = new SplitMix64(seed);
        float[] images = new float[count * 36];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 3;
            for (int p = 0; p < 36; p++) {
                boolean bright = p / 12 == labels[i];
                images[i * 36 + p] = (bright ? 0.6f : 0f) + 0.4f * (float) random.nextDouble();
            }
        }
        return Dataset.of(images, labels, 1, 6, 6, 3, List.of("top", "middle", "bottom"));
    }

    @Test
    void aModelFromTextHasNamedLayersAndChecksItsText() {
        Model model = Model.build("small", "conv 4 3 pad 1, ReLU, maxpool 2,  flatten, dropout 0.1, dense 3",
                Shape.of(1, 6, 6), SEED);
        assertEquals("conv 4 3 pad 1, relu, maxpool 2, flatten, dropout 0.1, dense 3", model.architecture());
        assertEquals(3, model.classes());
        List<String> names = ((Sequential) model.network()).layers().stream().map(Layer::name).toList();
        assertEquals(6, names.size());
        assertEquals(List.of("conv1.weight", "conv1.bias", "dense1.weight", "dense1.bias"),
                model.namedParameters().stream().map(Model.NamedParameter::name).toList());
        // 4 * (3 * 3) + 4 conv values, 4 * 3 * 3 pooled features to 3 outputs + 3 biases.
        assertEquals(4 * 9 + 4 + 36 * 3 + 3, model.parameterCount());

        String bad = assertThrows(IllegalArgumentException.class,
                () -> Model.build("m", "flatten, dens 3", Shape.of(1, 6, 6), 1)).getMessage();
        assertTrue(bad.startsWith("architecture 'flatten, dens 3': layer 2 'dens 3': unknown layer 'dens' (layers:"
                + " dense, conv,"), bad);
        assertEquals("architecture 'dense 3': layer 1 'dense 3': dense takes (n, features), got (1, 1, 6, 6) (add"
                + " flatten)", assertThrows(IllegalArgumentException.class,
                        () -> Model.build("m", "dense 3", Shape.of(1, 6, 6), 1)).getMessage());
        assertEquals("architecture 'conv 4 3 pading 1, flatten, dense 2': layer 1 'conv 4 3 pading 1': unexpected"
                + " 'pading' (conv takes stride, pad)", assertThrows(IllegalArgumentException.class,
                        () -> Model.build("m", "conv 4 3 pading 1, flatten, dense 2", Shape.of(1, 6, 6), 1))
                .getMessage());
        assertEquals("architecture 'flatten, dense 0': layer 2 'dense 0': the number of outputs must be at least 1,"
                + " got 0", assertThrows(IllegalArgumentException.class,
                        () -> Model.build("m", "flatten, dense 0", Shape.of(1, 6, 6), 1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Model.build("m", "conv 2 3", Shape.of(1, 6, 6), 1)).getMessage()
                .contains("expected (2, classes)"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Model.build("m", " ", Shape.of(1, 6, 6), 1)).getMessage().contains("at least one layer"));
    }

    @Test
    void predictGivesProbabilitiesTheirArgmaxAndTheSameAnswerAloneOrInABatch() {
        Model model = Model.build("small", "flatten, dense 8, tanh, dense 3", Shape.of(1, 6, 6), SEED);
        int count = 300; // more than one internal chunk of 256
        float[] images = Tensor.randn(Shape.of(count, 1, 6, 6), SEED).toArray();
        Predictions batch = model.predict(Tensor.wrap(images, count, 1, 6, 6));
        assertEquals(count, batch.count());
        assertEquals(3, batch.classes());
        for (int i = 0; i < count; i++) {
            float[] p = batch.probabilities(i);
            double sum = 0;
            int argmax = 0;
            for (int k = 0; k < 3; k++) {
                assertTrue(p[k] > 0 && p[k] < 1, "image " + i + " class " + k + ": " + p[k] + " (seed " + SEED + ")");
                sum += p[k];
                argmax = p[k] > p[argmax] ? k : argmax;
            }
            assertEquals(1, sum, 1e-5, "image " + i + " (seed " + SEED + ")");
            assertEquals(argmax, batch.label(i));
            float[] image = java.util.Arrays.copyOfRange(images, i * 36, (i + 1) * 36);
            Prediction single = model.predict(image);
            assertEquals(batch.label(i), single.label());
            assertArrayEquals(p, single.probabilities(), 1e-6f, "image " + i + " (seed " + SEED + ")");
            assertEquals(single.probabilities()[single.label()], single.confidence());
        }
        assertEquals("model small takes images of (1, 6, 6) (36 values), got 72 values (for a batch, pass a Tensor"
                + " (n, 1, 6, 6))", assertThrows(IllegalArgumentException.class,
                        () -> model.predict(new float[72])).getMessage());
        assertEquals("model small takes images of shape (n, 1, 6, 6), got (2, 1, 6, 5)", assertThrows(
                IllegalArgumentException.class, () -> model.predict(Tensor.zeros(2, 1, 6, 5))).getMessage());
    }

    @Test
    void normalizationIsAppliedBeforeTheNetwork() {
        Model plain = Model.build("small", "flatten, dense 3", Shape.of(1, 6, 6), SEED);
        Model normalized = plain.withNormalization(new float[] {0.5f}, new float[] {0.25f});
        assertNull(plain.normalization());
        float[] image = Tensor.rand(Shape.of(1, 1, 6, 6), SEED).toArray();
        float[] scaled = new float[image.length];
        for (int i = 0; i < image.length; i++) {
            scaled[i] = (image[i] - 0.5f) / 0.25f;
        }
        assertArrayEquals(plain.predict(scaled).probabilities(), normalized.predict(image).probabilities());
        assertEquals("model small takes 1 channels, got a normalization of 2", assertThrows(
                IllegalArgumentException.class, () -> plain.withNormalization(new float[2], new float[] {1, 1}))
                .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> plain.withNormalization(new float[1], new float[] {0})).getMessage().contains("std positive"));
    }

    @Test
    void trainOnArraysSaveLoadWithoutTheArchitectureAndPredict() throws IOException {
        Dataset train = stripes(240, SEED);
        Dataset test = stripes(60, SEED + 1);
        Model model = Model.build("stripes", "flatten, dense 16, relu, dense 3", Shape.of(1, 6, 6), SEED);
        Trainer trainer = Trainer.builder(model).epochs(8).batchSize(16).learningRate(0.01).seed(SEED).quiet()
                .build();
        TrainingResult result = trainer.fit(train, test);
        assertEquals(8, result.finalEpoch());
        Evaluation evaluation = trainer.evaluate(test);
        assertTrue(evaluation.accuracy() > 0.9, "accuracy " + evaluation.accuracy() + " (seed " + SEED + ")");

        Path file = directory.resolve("stripes.safetensors");
        ModelCheckpoint.save(file, model.withNormalization(new float[] {0}, new float[] {1}), null, Map.of());
        Model loaded = Model.load(file);
        assertEquals("stripes", loaded.name());
        assertEquals(model.architecture(), loaded.architecture());
        assertEquals(model.inputShape(), loaded.inputShape());
        assertEquals(new Model.Normalization(new float[] {0}, new float[] {1}), loaded.normalization());
        float[] images = new float[test.count() * 36];
        for (int i = 0; i < test.count(); i++) {
            test.copyImage(i, images, i * 36);
        }
        Predictions before = model.predict(Tensor.wrap(images, test.count(), 1, 6, 6));
        Predictions after = loaded.predict(Tensor.wrap(images, test.count(), 1, 6, 6));
        int correct = 0;
        for (int i = 0; i < test.count(); i++) {
            assertArrayEquals(before.probabilities(i), after.probabilities(i), "image " + i);
            correct += after.label(i) == test.label(i) ? 1 : 0;
        }
        assertEquals(evaluation.accuracy(), correct / (double) test.count(), 1e-12);
    }

    @Test
    void theSameSeedTrainsTheSameWeights() throws IOException {
        Dataset train = stripes(96, SEED);
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            Model model = Model.build("stripes", "flatten, dense 3", Shape.of(1, 6, 6), SEED);
            Trainer.builder(model).epochs(2).batchSize(32).optimizer("momentum").seed(SEED).quiet().build()
                    .fit(train);
            weights[run] = model.parameters().get(0).value().toArray();
        }
        assertArrayEquals(weights[0], weights[1]);
        assertEquals("unknown optimizer 'adamm'; choose one of " + dev.lanes.training.optim.Optimizers.NAMES,
                assertThrows(IllegalArgumentException.class, () -> Trainer.builder(Models.create("mlp", 1))
                        .optimizer("adamm")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Trainer.builder(Models.create("mlp", 1))
                .learningRate(-1)).getMessage().startsWith("learningRate must be positive"));
    }

    @Test
    void modelsOfLanesTrainLoadByNameAndHandBuiltOnesExplainWhatToDo() throws IOException {
        Model cnn = Models.create("mlp", SEED);
        Path named = directory.resolve("mlp.safetensors");
        ModelCheckpoint.save(named, cnn, null, Map.of("normalize_mean", "0.25", "normalize_std", "0.5"));
        Model loaded = Model.load(named);
        assertEquals("mlp", loaded.name());
        assertNull(loaded.architecture());
        assertEquals(new Model.Normalization(new float[] {0.25f}, new float[] {0.5f}), loaded.normalization());
        assertArrayEquals(cnn.parameters().get(0).value().toArray(), loaded.parameters().get(0).value().toArray());

        Model byHand = Model.of("mine", Sequential.builder(Shape.of(1, 2, 2)).add("flatten", new Flatten())
                .add("fc", new Dense(4, 2, 1)).build(), Shape.of(1, 2, 2));
        Path file = directory.resolve("mine.safetensors");
        ModelCheckpoint.save(file, byHand, null, Map.of());
        assertEquals(file + ": model 'mine' records no architecture (its network was built by hand, not by"
                + " Model.build): build the same network and use ModelCheckpoint.load(file, model, null)",
                assertThrows(CheckpointFormatException.class, () -> Model.load(file)).getMessage());
    }

    @Test
    void theLoaderBuilderMatchesTheConstructor() {
        Dataset data = stripes(50, SEED);
        DataLoader built = DataLoader.builder(data).batchSize(16).shuffle(true).dropLast(true).seed(SEED).build();
        DataLoader direct = new DataLoader(data, 16, true, true, SEED, Augmentation.NONE);
        assertEquals(direct.batchesPerEpoch(), built.batchesPerEpoch());
        built.startEpoch(1);
        direct.startEpoch(1);
        while (direct.hasNext()) {
            assertArrayEquals(direct.next().labels(), built.next().labels());
        }
        assertEquals(false, built.hasNext());
        DataLoader defaults = DataLoader.builder(data).build();
        assertEquals(32, defaults.batchSize());
        assertEquals(2, defaults.batchesPerEpoch(), "the last partial batch is kept");
        assertEquals("batchSize must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(data).batchSize(0)).getMessage());
    }
}
