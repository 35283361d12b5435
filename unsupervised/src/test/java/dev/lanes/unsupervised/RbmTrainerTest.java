package dev.lanes.unsupervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.Parallel;
import dev.lanes.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RbmTrainerTest {
    /**
     * "Bars and stripes" on a 3 x 3 grid (MacKay): every image whose rows are each all on or all
     * off, or whose columns are; 14 distinct images, each repeated {@code copies} times.
     */
    static float[] barsAndStripes(int copies) {
        float[] data = new float[14 * copies * 9];
        int row = 0;
        for (int copy = 0; copy < copies; copy++) {
            for (int pattern = 0; pattern < 16; pattern++) {
                boolean stripes = pattern >= 8;
                int bits = pattern & 7;
                if ((bits == 0 || bits == 7) && stripes) {
                    continue; // all off and all on are already among the bars
                }
                for (int i = 0; i < 9; i++) {
                    int line = stripes ? i % 3 : i / 3;
                    data[row * 9 + i] = (bits >>> line) & 1;
                }
                row++;
            }
        }
        return data;
    }

    /**
     * CD-1 and PCD-1 both learn the 14 patterns: the exact log-likelihood rises from −9·log 2 =
     * −6.24 nats (a zero-weight RBM, which is also the independent-pixel model here, every pixel
     * being on in half the images) to above −4 (log 14 = 2.64 nats is the best possible); with
     * these settings, CD-1 reaches −3.04 and PCD-1 −2.88. PCD needs the decaying learning rate
     * (as in Tieleman, 2008): at a constant one its 28 persistent chains lag behind the moving
     * model and training wanders (−3.7 to −8.2 in trials at 0.1 and 0.05).
     */
    @Test
    void contrastiveDivergenceLearnsBarsAndStripes() {
        float[] data = barsAndStripes(10);
        double baseline = IndependentPixels.fit(data, 140, 9).logLikelihood(data, 140);
        assertEquals(-9 * Math.log(2), baseline, 0.02);
        for (boolean persistent : new boolean[] {false, true}) {
            Rbm rbm = new Rbm(9, 12, VisibleUnits.BERNOULLI, 3);
            double before = Enumeration.logLikelihood(rbm, data, 0, 140);
            List<RbmTrainer.Epoch> epochs = new RbmTrainer(rbm, new RbmTrainingOptions().epochs(1000).batchSize(28)
                    .learningRate(0.1f).annealLearningRate(true).initialMomentum(0.5f, 0).momentum(0.5f)
                    .persistent(persistent).seed(5)).fit(data, 140);
            double after = Enumeration.logLikelihood(rbm, data, 0, 140);
            String method = persistent ? "PCD-1" : "CD-1";
            assertEquals(-6.24, before, 0.01, method + " before training");
            assertTrue(after > -4, method + ": exact log-likelihood " + after + " after 1000 epochs");
            assertTrue(epochs.get(999).reconstructionError() < epochs.get(0).reconstructionError(),
                    method + ": reconstruction error " + epochs.get(0) + " then " + epochs.get(999));
        }
    }

    static float[] randomBinary(int rows, int columns, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[rows * columns];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextInt(3) == 0 ? 1 : 0;
        }
        return data;
    }

    static float[][] train(int threads, boolean persistent) {
        int previous = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Rbm rbm = new Rbm(96, 80, VisibleUnits.BERNOULLI, 8);
            new RbmTrainer(rbm, new RbmTrainingOptions().epochs(1).batchSize(64).gibbsSteps(2).persistent(persistent)
                    .seed(9)).fit(randomBinary(200, 96, 10), 200);
            return new float[][] {rbm.weight().value().toArray(), rbm.visibleBias().value().toArray(),
                    rbm.hiddenBias().value().toArray()};
        } finally {
            Parallel.setThreads(previous);
        }
    }

    @Test
    void runsAreIdenticalForASeedAndAnyThreadCount() {
        for (boolean persistent : new boolean[] {false, true}) {
            float[][] first = train(1, persistent);
            float[][] again = train(1, persistent);
            float[][] twoThreads = train(2, persistent);
            for (int p = 0; p < 3; p++) {
                assertArrayEquals(first[p], again[p], "parameter " + p + ", same seed");
                assertArrayEquals(first[p], twoThreads[p], "parameter " + p + ", two threads");
            }
        }
    }

    @Test
    void nonBinaryDataAndWrongShapesAreRefused() {
        Rbm rbm = new Rbm(4, 3, VisibleUnits.BERNOULLI, 1);
        RbmTrainer trainer = new RbmTrainer(rbm, new RbmTrainingOptions());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(new float[] {0, 1, 1, 0, 1, 0.25f, 0, 1}, 2));
        assertEquals("Rbm(4 -> 3, Bernoulli visible): visible data value 0.25 at row 1, column 1 is not 0 or 1: "
                + "Bernoulli visible units model binary data (binarise it first, or use Gaussian visible units)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(Tensor.zeros(5, 3)));
        assertEquals("Rbm(4 -> 3, Bernoulli visible): training data expected (N, 4), got (5, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(new float[7], 2));
        assertTrue(e.getMessage().endsWith("visible data needs 2 rows of 4 values (8 floats) from offset 0, but the "
                + "array holds 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> rbm.hiddenProbabilities(Tensor.zeros(2, 5)));
        assertEquals("Rbm(4 -> 3, Bernoulli visible): visible data expected (N, 4), got (2, 5)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> rbm.freeEnergy(Tensor.fromArray(new float[] {0, 1, Float.NaN, 1}, 1, 4)));
        assertTrue(e.getMessage().contains("value NaN at row 0, column 2 is not 0 or 1"), e.getMessage());
        // Probabilities are data for an RBM above another (a deep belief network), when allowed.
        new RbmTrainer(rbm, new RbmTrainingOptions().epochs(1).acceptProbabilities(true))
                .fit(new float[] {0, 1, 0.5f, 0.25f}, 1);
        e = assertThrows(IllegalArgumentException.class, () -> new RbmTrainer(rbm, new RbmTrainingOptions()
                .acceptProbabilities(true)).fit(new float[] {0, 1, 1.5f, 0}, 1));
        assertTrue(e.getMessage().contains("value 1.5 at row 0, column 2 is not in [0, 1]"), e.getMessage());
        Rbm gaussian = new Rbm(2, 2, VisibleUnits.GAUSSIAN, 1);
        e = assertThrows(IllegalArgumentException.class, () -> new RbmTrainer(gaussian, new RbmTrainingOptions())
                .fit(new float[] {0.3f, Float.POSITIVE_INFINITY}, 1));
        assertTrue(e.getMessage().contains("value Infinity at row 0, column 1 is not finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RbmTrainingOptions().learningRate(0));
        assertEquals("RBM training: learningRate must be positive and finite, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Rbm(0, 3, VisibleUnits.BERNOULLI, 1));
        assertEquals("Rbm: unit counts must be positive, got 0 visible and 3 hidden", e.getMessage());
    }

    /**
     * Gaussian visible units with a learning rate far too large: the chains run away, the trainer
     * says so and puts back the parameters of the last good epoch. The epochs run one fit call
     * at a time so that the test knows the parameters at the end of each.
     */
    @Test
    void aDivergingChainStopsTrainingAndRestoresTheLastGoodEpoch() {
        Rbm rbm = new Rbm(20, 10, VisibleUnits.GAUSSIAN, 2);
        SplittableRandom random = new SplittableRandom(4);
        float[] data = new float[200 * 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (3 * random.nextGaussian());
        }
        RbmTrainer reckless = new RbmTrainer(rbm, new RbmTrainingOptions().epochs(1).learningRate(50f)
                .batchSize(20).seed(3));
        for (int epoch = 1; epoch <= 20; epoch++) {
            float[] good = rbm.weight().value().toArray();
            try {
                reckless.fit(data, 200);
            } catch (ChainDivergedException e) {
                assertTrue(e.getMessage().startsWith("Rbm(20 -> 10, Gaussian visible): training diverged in epoch "
                        + epoch + ", batch "), e.getMessage());
                assertTrue(e.getMessage().contains("the parameters are back to " + (epoch == 1
                        ? "their values before training" : "the end of epoch " + (epoch - 1)) + ". Try a smaller "
                        + "learning rate than 50.0 (Gaussian visible units need one near 0.001-0.01 on standardised "
                        + "data)"), e.getMessage());
                assertArrayEquals(good, rbm.weight().value().toArray());
                assertEquals(epoch - 1, reckless.epochsDone());
                return;
            }
        }
        throw new AssertionError("a learning rate of 50 did not diverge in 20 epochs");
    }
}
