package dev.lanes.unsupervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.Dense;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AutoencoderTest {
    /** n rows of D values: x = A z + noise with z ~ N(0, I_4), so most variance lies in 4 directions. */
    private static float[] lowRank(int n, int dimension, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] a = new double[dimension][4];
        for (double[] row : a) {
            for (int j = 0; j < 4; j++) {
                row[j] = random.nextGaussian() * (4 - j);
            }
        }
        float[] data = new float[n * dimension];
        for (int row = 0; row < n; row++) {
            double[] z = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            for (int i = 0; i < dimension; i++) {
                double value = 1.5 + 0.1 * random.nextGaussian();
                for (int j = 0; j < 4; j++) {
                    value += a[i][j] * z[j];
                }
                data[row * dimension + i] = (float) value;
            }
        }
        return data;
    }

    /**
     * A linear autoencoder with a code of k values trained on squared error finds the best rank-k
     * reconstruction, which is PCA's (Baldi and Hornik, 1989): its error comes within 2% of the
     * sum of the eigenvalues PCA leaves out. Two independent methods, one answer.
     */
    @Test
    void aLinearAutoencoderMatchesPca() {
        int dimension = 12;
        int n = 600;
        float[] data = lowRank(n, dimension, 4);
        for (int k : new int[] {1, 2, 3}) {
            Pca pca = Pca.fit(data, n, dimension, k);
            double pcaError = Prototypes.meanSquaredError(pca.reconstruct(pca.project(data, n), n), data, n);
            Sequential encoder = Sequential.builder(Shape.of(dimension)).add("flatten", new Flatten())
                    .add("dense", new Dense(dimension, k, 1)).build();
            Sequential decoder = Sequential.builder(Shape.of(k)).add("dense", new Dense(k, dimension, 2)).build();
            Autoencoder linear = Autoencoder.of(encoder, decoder, Shape.of(dimension), Autoencoder.Output.LINEAR);
            linear.fit(data, n, new AutoencoderOptions().epochs(150).batchSize(30).learningRate(1e-2).seed(k));
            linear.fit(data, n, new AutoencoderOptions().epochs(100).batchSize(30).learningRate(1e-3).seed(k));
            double error = Prototypes.meanSquaredError(linear.reconstruct(data, n), data, n);
            assertTrue(error >= pcaError * 0.999, "k " + k + ": autoencoder " + error + " below PCA's optimum "
                    + pcaError);
            assertTrue(error < pcaError * 1.02, "k " + k + ": autoencoder " + error + ", PCA " + pcaError);
        }
    }

    /**
     * Trained with masking noise, an autoencoder removes noise: its reconstructions of corrupted
     * rows are closer to the clean prototypes than the corrupted rows are.
     */
    @Test
    void aDenoisingAutoencoderRemovesNoise() {
        Prototypes data = Prototypes.generate(5, 64, 500, 0.0, 13);
        Autoencoder autoencoder = Autoencoder.dense(new int[] {64, 32, 8}, Shape.of(64),
                Autoencoder.Output.LOGITS, 3);
        List<Autoencoder.Epoch> epochs = autoencoder.fit(data.images(), 500, new AutoencoderOptions().epochs(30)
                .batchSize(25).learningRate(3e-3).noise(0.3).seed(2));
        float[] corrupted = data.images().clone();
        SplittableRandom random = new SplittableRandom(99);
        for (int i = 0; i < corrupted.length; i++) {
            if (random.nextDouble() < 0.3) {
                corrupted[i] = 0;
            }
        }
        double noisy = Prototypes.meanSquaredError(corrupted, data.images(), 500);
        double denoised = Prototypes.meanSquaredError(autoencoder.reconstruct(corrupted, 500), data.images(), 500);
        assertTrue(denoised < 0.25 * noisy, "squared error per row: corrupted " + noisy + ", reconstructed "
                + denoised);
        assertTrue(epochs.get(29).loss() < epochs.get(0).loss(), epochs.toString());
    }

    /**
     * The convolutional autoencoder (strided convolutions down, a transposed convolution and
     * nearest upsampling back up) maps (1, 8, 8) images to (1, 8, 8) and learns to reconstruct them.
     */
    @Test
    void aConvolutionalAutoencoderLearns() {
        Prototypes data = Prototypes.generate(4, 64, 200, 0.02, 17);
        Autoencoder autoencoder = Autoencoder.convolutional(Shape.of(1, 8, 8), 8, 4, Autoencoder.Output.LOGITS, 5);
        assertEquals(Shape.of(4, 2, 2), autoencoder.codeShape());
        assertEquals(Shape.of(1, 8, 8), autoencoder.decoder().outputShape());
        double before = Prototypes.meanSquaredError(autoencoder.reconstruct(data.images(), 200), data.images(), 200);
        autoencoder.fit(data.images(), 200, new AutoencoderOptions().epochs(40).batchSize(20).learningRate(1e-2)
                .seed(3));
        double after = Prototypes.meanSquaredError(autoencoder.reconstruct(data.images(), 200), data.images(), 200);
        assertTrue(after < 0.3 * before, "squared error per image " + before + " then " + after);
        assertEquals(200 * 16, autoencoder.encode(data.images(), 200).length);
    }

    @Test
    void runsAreReproducible() {
        Prototypes data = Prototypes.generate(3, 16, 60, 0.1, 1);
        float[][] results = new float[2][];
        for (int run = 0; run < 2; run++) {
            Autoencoder autoencoder = Autoencoder.dense(new int[] {16, 8, 3}, Shape.of(16), Autoencoder.Output.LOGITS,
                    4);
            autoencoder.fit(data.images(), 60, new AutoencoderOptions().epochs(3).batchSize(7).noise(0.2).seed(8));
            results[run] = autoencoder.reconstruct(data.images(), 60);
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void badShapesDataAndSettingsAreRefused() {
        Sequential encoder = Sequential.builder(Shape.of(6)).add(new Flatten()).add(new Dense(6, 2, 1)).build();
        Sequential wrongInput = Sequential.builder(Shape.of(3)).add(new Dense(3, 6, 1)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.of(encoder, wrongInput, Shape.of(6), Autoencoder.Output.LINEAR));
        assertEquals("Autoencoder: the decoder takes (3) but the encoder gives codes of (2)", e.getMessage());
        Sequential wrongOutput = Sequential.builder(Shape.of(2)).add(new Dense(2, 5, 1)).build();
        e = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.of(encoder, wrongOutput, Shape.of(6), Autoencoder.Output.LINEAR));
        assertEquals("Autoencoder: the decoder gives (5) (5 values) for inputs of (6) (6 values)", e.getMessage());
        Autoencoder autoencoder = Autoencoder.dense(new int[] {6, 2}, Shape.of(6), Autoencoder.Output.LOGITS, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> autoencoder.fit(new float[] {0, 1, 0, 1, 2, 0}, 1, new AutoencoderOptions()));
        assertEquals("Autoencoder: training data value 2.0 at row 0, column 4 is not in [0, 1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> autoencoder.fit(new float[11], 2,
                new AutoencoderOptions()));
        assertTrue(e.getMessage().startsWith("Autoencoder: training data needs 2 rows of 6 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AutoencoderOptions().noise(1));
        assertEquals("Autoencoder training: noise must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.convolutional(Shape.of(1, 6, 6), 4, 4, Autoencoder.Output.LOGITS, 1));
        assertTrue(e.getMessage().contains("h and w divisible by 4, got (1, 6, 6)"), e.getMessage());
    }

    /** A learning rate far too large: the loss overflows, training stops and the weights go back. */
    @Test
    void aDivergingTrainingStopsAndRestoresTheWeights() {
        float[] data = lowRank(100, 8, 2);
        Autoencoder autoencoder = Autoencoder.dense(new int[] {8, 4, 2}, Shape.of(8), Autoencoder.Output.LINEAR, 1);
        autoencoder.fit(data, 100, new AutoencoderOptions().epochs(1).batchSize(10));
        float[] good = autoencoder.network().parameters().get(0).value().toArray();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> autoencoder.fit(data, 100,
                new AutoencoderOptions().epochs(3).batchSize(10).learningRate(1e30)));
        assertTrue(e.getMessage().startsWith("Autoencoder: the loss became "), e.getMessage());
        assertTrue(e.getMessage().contains("the parameters are back to the end of epoch 1. Try a smaller learning "
                + "rate than 1.0E30"), e.getMessage());
        assertArrayEquals(good, autoencoder.network().parameters().get(0).value().toArray());
    }
}
