package dev.lanes.unsupervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.range;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Sequential;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingOptions;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.optim.Adam;
import dev.lanes.training.report.Progress;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeepBeliefNetTest {
    /** A DBN of the given sizes with weights N(0, 1) and biases N(0, 0.5²) from the seed. */
    private static DeepBeliefNet randomNet(int[] sizes, long seed) {
        DeepBeliefNet dbn = new DeepBeliefNet(sizes, VisibleUnits.BERNOULLI, seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (Rbm rbm : dbn.rbms()) {
            for (float[] values : new float[][] {rbm.weight().value().data(), rbm.visibleBias().value().data(),
                    rbm.hiddenBias().value().data()}) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) ((values == rbm.weight().value().data() ? 1 : 0.5) * random.nextGaussian());
                }
            }
        }
        return dbn;
    }

    private static Tensor forwardThrough(Sequential network, Tensor input, int layers) {
        Tensor x = input;
        List<Layer> list = network.layers();
        for (int i = 0; i < layers; i++) {
            x = list.get(i).forward(x, false);
        }
        return x.copy();
    }

    /**
     * The classifier and the unrolled autoencoder carry the RBMs' weights in the right
     * orientation: the classifier's hidden layers give the DBN's P(h | v) layer by layer, the
     * encoder too, and the decoder's σ(output) is the RBMs' visible means taken top down
     * (E[v | h] of each RBM applied to the one above's mean).
     */
    @Test
    void classifierAndAutoencoderCarryThePretrainedWeights() {
        qt().withExamples(40).forAll(range(1, 20), range(1, 12), range(1, 9), RbmCase.seeds())
                .checkAssert((visible, hidden1, hidden2, seed) -> {
                    int n = 1 + (int) (seed % 6);
                    int[] sizes = {visible, hidden1, hidden2};
                    DeepBeliefNet dbn = randomNet(sizes, seed);
                    float[] data = new RbmCase(visible, 1, VisibleUnits.BERNOULLI, 1, seed).data(n, seed + 1);
                    Shape inputShape = Shape.of(1, 1, visible);
                    Tensor input = Tensor.fromArray(data, n, 1, 1, visible);
                    String where = "sizes " + visible + ", " + hidden1 + ", " + hidden2 + ", n " + n + ", seed " + seed;
                    Sequential classifier = dbn.classifier(inputShape, 3, seed);
                    assertEquals(List.of("flatten", "dense1", "sigmoid1", "dense2", "sigmoid2", "output"),
                            classifier.layerNames());
                    float[] top = dbn.transform(data, n, 2);
                    Tensor expected = Tensor.fromArray(top, n, hidden2);
                    Tensor.assertAllClose(forwardThrough(classifier, input, 5), expected, 1e-5, 1e-6);
                    Tensor.assertAllClose(forwardThrough(classifier, input, 3),
                            Tensor.fromArray(dbn.transform(data, n, 1), n, hidden1), 1e-5, 1e-6);

                    Autoencoder autoencoder = dbn.autoencoder(inputShape, false);
                    Tensor.assertAllClose(Tensor.fromArray(autoencoder.encode(data, n), n, hidden2), expected, 1e-5,
                            1e-6);
                    float[] middle = new float[n * hidden1];
                    dbn.rbms().get(1).visibleMeans(middle, 0, top, 0, n);
                    float[] bottom = new float[n * visible];
                    dbn.rbms().get(0).visibleMeans(bottom, 0, middle, 0, n);
                    Tensor.assertAllClose(Tensor.fromArray(autoencoder.reconstruct(data, n), n, visible),
                            Tensor.fromArray(bottom, n, visible), 1e-5, 1e-6);
                    assertEquals(Shape.of(hidden2), autoencoder.codeShape(), where);

                    // A linear code is the top layer's total input: its logit gives the probability.
                    float[] linear = dbn.autoencoder(inputShape, true).encode(data, n);
                    for (int i = 0; i < linear.length; i++) {
                        assertEquals(top[i], 1 / (1 + Math.exp(-linear[i])), 1e-5, where + ", code " + i);
                    }
                });
    }

    /**
     * Greedy pretraining: the first RBM learns the data, the second the first's hidden
     * probabilities, each as a lone RBM trained on that input with the layer's seed would.
     */
    @Test
    void greedyPretrainingTrainsEachLayerOnTheLayerBelow() {
        Prototypes data = Prototypes.generate(4, 36, 400, 0.05, 7);
        RbmTrainingOptions options = new RbmTrainingOptions().epochs(3).batchSize(20).learningRate(0.05f).seed(12);
        DeepBeliefNet dbn = new DeepBeliefNet(new int[] {36, 16, 8}, VisibleUnits.BERNOULLI, 5);
        List<List<RbmTrainer.Epoch>> history = dbn.pretrain(data.images(), 400, options);
        assertEquals(2, history.size());
        assertEquals(3, history.get(1).size());

        Rbm first = new Rbm(36, 16, VisibleUnits.BERNOULLI, DeepBeliefNet.layerSeed(5, 0));
        new RbmTrainer(first, options.copy().seed(DeepBeliefNet.layerSeed(12, 0))).fit(data.images(), 400);
        assertArrayEquals(first.weight().value().toArray(), dbn.rbms().get(0).weight().value().toArray());
        float[] hidden = new float[400 * 16];
        first.hiddenProbabilities(hidden, 0, data.images(), 0, 400);
        Rbm second = new Rbm(16, 8, VisibleUnits.BERNOULLI, DeepBeliefNet.layerSeed(5, 1));
        new RbmTrainer(second, options.copy().seed(DeepBeliefNet.layerSeed(12, 1)).acceptProbabilities(true))
                .fit(hidden, 400);
        assertArrayEquals(second.weight().value().toArray(), dbn.rbms().get(1).weight().value().toArray());
        assertArrayEquals(second.hiddenBias().value().toArray(), dbn.rbms().get(1).hiddenBias().value().toArray());
        assertTrue(history.get(0).get(2).reconstructionError() < history.get(0).get(0).reconstructionError(),
                "layer 1 reconstruction error " + history.get(0));
    }

    /**
     * Fine-tuned with the training module's Trainer, the pretrained classifier separates four
     * noisy prototypes (10% of the pixels flipped) on held-out rows.
     */
    @Test
    void thePretrainedClassifierFineTunesWithTheTrainer() throws Exception {
        Prototypes train = Prototypes.generate(4, 64, 400, 0.1, 3);
        Prototypes test = Prototypes.generate(4, 64, 200, 0.1, 3);
        DeepBeliefNet dbn = new DeepBeliefNet(new int[] {64, 32, 16}, VisibleUnits.BERNOULLI, 8);
        dbn.pretrain(train.images(), 400, new RbmTrainingOptions().epochs(10).batchSize(20).seed(4));
        Model model = Model.of("dbn", dbn.classifier(Shape.of(1, 8, 8), 4, 9), Shape.of(1, 8, 8));
        assertEquals(4, model.classes());
        TrainingOptions options = new TrainingOptions().epochs(15).log(null).progress((t, n) -> Progress.none());
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.parameters(), 1e-2), options);
        trainer.fit(loader(train, true), null);
        double accuracy = trainer.evaluate(loader(test, false)).accuracy();
        assertTrue(accuracy > 0.95, "test accuracy " + accuracy);
    }

    private static DataLoader loader(Prototypes data, boolean shuffle) {
        Dataset dataset = Dataset.of(data.images(), data.labels(), 1, 8, 8, 4, null);
        return new DataLoader(dataset, 20, shuffle, false, 1, Augmentation.NONE);
    }

    /** Backpropagation through the unrolled network improves on the pretrained reconstructions. */
    @Test
    void fineTuningTheUnrolledAutoencoderLowersTheReconstructionError() {
        Prototypes data = Prototypes.generate(20, 64, 600, 0.0, 21);
        DeepBeliefNet dbn = new DeepBeliefNet(new int[] {64, 32, 6}, VisibleUnits.BERNOULLI, 2);
        dbn.pretrain(data.images(), 600, new RbmTrainingOptions().epochs(5).batchSize(20).seed(6));
        Autoencoder autoencoder = dbn.autoencoder(Shape.of(64), true);
        double before = Prototypes.meanSquaredError(autoencoder.reconstruct(data.images(), 600), data.images(), 600);
        List<Autoencoder.Epoch> epochs = autoencoder.fit(data.images(), 600, new AutoencoderOptions().epochs(20)
                .batchSize(20).learningRate(3e-3).seed(1));
        double after = Prototypes.meanSquaredError(autoencoder.reconstruct(data.images(), 600), data.images(), 600);
        assertTrue(after < 0.7 * before, "squared error per image " + before + " pretrained, " + after
                + " fine-tuned");
        assertTrue(epochs.get(19).loss() < epochs.get(0).loss(), epochs.toString());
        // the RBMs stay as pretrained: the autoencoder holds copies
        Autoencoder fresh = dbn.autoencoder(Shape.of(64), true);
        assertEquals(before, Prototypes.meanSquaredError(fresh.reconstruct(data.images(), 600), data.images(), 600),
                1e-9);
    }

    @Test
    void badSizesShapesAndDataAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeepBeliefNet(new int[] {784}, VisibleUnits.BERNOULLI, 1));
        assertEquals("DeepBeliefNet: needs the visible size and at least one hidden size, got [784]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DeepBeliefNet(new int[] {784, 0}, VisibleUnits.BERNOULLI, 1));
        assertEquals("DeepBeliefNet: layer sizes must be positive, got [784, 0]", e.getMessage());
        DeepBeliefNet dbn = new DeepBeliefNet(new int[] {4, 3, 2}, VisibleUnits.BERNOULLI, 1);
        e = assertThrows(IllegalArgumentException.class, () -> dbn.pretrain(new float[] {0, 1, 0.5f, 1}, 1,
                new RbmTrainingOptions()));
        assertTrue(e.getMessage().contains("value 0.5 at row 0, column 2 is not 0 or 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> dbn.pretrain(new float[7], 2,
                new RbmTrainingOptions()));
        assertTrue(e.getMessage().startsWith("DeepBeliefNet: training data needs 2 rows of 4 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> dbn.classifier(Shape.of(1, 2, 3), 10, 1));
        assertEquals("DeepBeliefNet: the input shape (1, 2, 3) does not hold the 4 visible units", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> dbn.transform(new float[4], 1, 3));
        assertEquals("DeepBeliefNet: layers must be in 1..2, got 3", e.getMessage());
    }
}
