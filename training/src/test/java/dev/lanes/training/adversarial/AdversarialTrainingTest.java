package dev.lanes.training.adversarial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.gradcheck.GradCheck;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Flatten;
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
import dev.lanes.training.optim.Sgd;
import dev.lanes.training.random.SplitMix64;
import dev.lanes.training.report.Progress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AdversarialTrainingTest {

    /** Writes the image's index in the batch plus 100 into every pixel of an adversarial image. */
    static final class Marker implements Attack {
        int[] lastLabels;
        float[] lastEpsilons;

        @Override
        public String name() {
            return "marker";
        }

        @Override
        public void perturb(Tensor adversarial, Tensor input, int[] labels, float[] epsilons) {
            lastLabels = Arrays.copyOf(labels, input.dim(0));
            lastEpsilons = Arrays.copyOf(epsilons, input.dim(0));
            for (int i = 0; i < input.dim(0); i++) {
                adversarial.select(0, i).fill(100 + i);
            }
        }
    }

    @Test
    void theLastRoundedShareOfTheBatchIsReplaced() {
        Marker marker = new Marker();
        AdversarialTraining training = new AdversarialTraining(marker, 3, 8, 0.3, 0.01f, 0.02f, 4);
        assertEquals(2, training.adversarialCount(5));
        Tensor input = Tensor.zeros(8, 1, 2, 2);
        int[] labels = {0, 1, 2, 3, 0, 1, 2, 3};
        assertEquals(3, training.perturb(input, labels, 8));
        for (int i = 0; i < 8; i++) {
            assertEquals(i < 5 ? 0 : 100 + i - 5, input.get(i, 0, 1, 1), "image " + i);
        }
        assertArrayEquals(new int[] {1, 2, 3}, marker.lastLabels);
        for (float epsilon : marker.lastEpsilons) {
            assertTrue(epsilon >= 0.01f && epsilon <= 0.02f, "ε " + epsilon);
        }
    }

    @Test
    void truncatedNormalEpsilonsStayInTheRangeAndFavourTheSmallOnes() {
        Marker marker = new Marker();
        long seed = 11;
        AdversarialTraining training = new AdversarialTraining(marker, 64, 64, 0.3, 0.02f, 0.1f,
                AdversarialTraining.EpsilonDistribution.TRUNCATED_NORMAL, null, seed);
        int draws = 0;
        int belowOneSigma = 0;
        double sum = 0;
        for (int batch = 0; batch < 200; batch++) {
            training.perturb(Tensor.zeros(64, 1, 1, 1), new int[64], 64);
            for (float epsilon : marker.lastEpsilons) {
                assertTrue(epsilon >= 0.02f && epsilon <= 0.1f, "seed " + seed + ": ε " + epsilon);
                belowOneSigma += epsilon < 0.06f ? 1 : 0;
                sum += epsilon;
                draws++;
            }
        }
        // |N(0, σ)| truncated at 2σ: P(below σ) = erf(1/√2) / erf(√2) = 0.7152, and the mean is
        // σ·√(2/π)·(1 − e^−2) / erf(√2) = 0.7228σ above εmin; 12,800 draws: standard errors 0.004 and 0.0045σ.
        assertEquals(0.7152, (double) belowOneSigma / draws, 0.016, "seed " + seed);
        assertEquals(0.02 + 0.7228 * 0.04, sum / draws, 0.02 * 0.04, "seed " + seed);
    }

    @Test
    void predictedLabelsComeFromTheModelInInferenceMode() {
        // Class 1 iff pixel 0 exceeds pixel 1, whatever the true label says.
        Dense dense = new Dense(4, 2, false, 1);
        dense.weight().value().copyFrom(Tensor.fromArray(new float[] {-1, 1, 0, 0, 1, -1, 0, 0}, 2, 4));
        Sequential model = Sequential.builder(Shape.of(1, 2, 2)).add("flatten", new Flatten()).add("fc", dense)
                .build();
        Marker marker = new Marker();
        AdversarialTraining training = new AdversarialTraining(marker, 3, 4, 0.3, 0, 0,
                AdversarialTraining.EpsilonDistribution.UNIFORM, model, 4);
        Tensor input = Tensor.fromArray(new float[] {0, 0, 0, 0, 0.9f, 0.1f, 0, 0, 0.2f, 0.7f, 0, 0, 0.6f, 0.5f, 0, 0},
                4, 1, 2, 2);
        training.perturb(input, new int[] {1, 0, 0, 0}, 4);
        assertArrayEquals(new int[] {1, 0, 1}, marker.lastLabels);
        assertTrue(training.toString().endsWith("uniform, predicted labels"), training.toString());
    }

    @Test
    void theLossIsTheDecksWeightedMeanAndItsGradientIsExact() {
        int m = 8;
        AdversarialTraining training = new AdversarialTraining(new Marker(), 3, m, 0.3, 0, 0, 4);
        training.perturb(Tensor.zeros(m, 1, 2, 2), new int[m], m);
        Tensor output = Tensor.randn(Shape.of(m, 4), 12);
        Tensor target = Tensor.fromArray(new float[] {0, 3, 1, 2, 2, 1, 0, 3}, m);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        double weighted = 0;
        for (int i = 0; i < m; i++) {
            double crossEntropy = loss.forward(output.narrow(0, i, 1), target.narrow(0, i, 1));
            weighted += (i < m - 3 ? 1 : 0.3) * crossEntropy;
        }
        assertEquals(weighted / (5 + 0.3 * 3), training.loss(loss, output, target), 1e-5);
        GradCheck.function("the decks' adversarial loss",
                y -> Tensor.fromArray(new float[] {training.loss(loss, y, target)}, 1),
                (y, g) -> {
                    training.loss(loss, y, target);
                    return training.lossGradient().mul(g.get(0));
                }).input(output).seed(31).fullJacobian().check();
    }

    /**
     * Two classes of (1, 8, 8) images, s = ±1: pixel 0 is 0.5 + 0.25s ± 0.05, a robust feature
     * (no change of at most 0.1 flips it); the other 63 pixels are 0.5 + 0.08s ± 0.2, weak
     * features that together predict the class well but that a change of 0.1 per pixel reverses
     * (Tsipras et al., "Robustness may be at odds with accuracy", ICLR 2019). Standard training
     * leans on the weak features too; adversarial training should learn to rely on pixel 0.
     */
    static Dataset robustAndWeakFeatures(int count, long seed) {
        SplitMix64 random = new SplitMix64(seed);
        float[] images = new float[count * 64];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            labels[n] = n % 2;
            int s = 2 * labels[n] - 1;
            images[n * 64] = (float) (0.5 + 0.25 * s + 0.1 * (random.nextDouble() - 0.5));
            for (int p = 1; p < 64; p++) {
                images[n * 64 + p] = (float) (0.5 + 0.08 * s + 0.4 * (random.nextDouble() - 0.5));
            }
        }
        return Dataset.of(images, labels, 1, 8, 8, 2, null);
    }

    /** Trains a linear classifier for 10 epochs; returns its clean and FGSM (ε = 0.1) test accuracy. */
    static double[] train(boolean adversarial) throws Exception {
        Model model = Model.of("linear", Sequential.builder(Shape.of(1, 8, 8)).add("flatten", new Flatten())
                .add("fc", new Dense(64, 2, 3)).build(), Shape.of(1, 8, 8));
        PixelScale scale = PixelScale.identity(1);
        TrainingOptions options = new TrainingOptions().epochs(10).log(null).progress((t, n) -> Progress.none());
        if (adversarial) {
            Fgsm fgsm = new Fgsm(new InputGradient(model.network(), new SoftmaxCrossEntropy()), scale, false);
            options.adversarial(new AdversarialTraining(fgsm, 8, 16, 1.0, 0.1f, 0.1f, 5));
        }
        new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(model.parameters(), 0.1), options)
                .fit(new DataLoader(robustAndWeakFeatures(256, 1), 16, true, false, 7, Augmentation.NONE), null);
        Dataset test = robustAndWeakFeatures(200, 2);
        Robustness robustness = new Robustness(model.network(), 50);
        Fgsm attack = new Fgsm(new InputGradient(model.network(), new SoftmaxCrossEntropy()), scale, false);
        return new double[] {robustness.accuracy(test, null, 0), robustness.accuracy(test, attack, 0.1f)};
    }

    @Test
    void trainingOnAdversarialExamplesMakesTheModelResistTheAttack() throws Exception {
        double[] standard = train(false);
        double[] robust = train(true);
        // Measured: clean 97% and 100%, under FGSM 0% and 54.5%.
        assertTrue(standard[0] > 0.95 && robust[0] > 0.95, "clean accuracy " + standard[0] + ", " + robust[0]);
        assertTrue(standard[1] < 0.5, "a standard model under FGSM: " + standard[1]);
        assertTrue(robust[1] > standard[1] + 0.3, "under FGSM: standard " + standard[1] + ", adversarially trained "
                + robust[1]);
    }

    @Test
    void badSettingsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdversarialTraining(new Marker(), 9, 8, 1,
                0, 0, 1)).getMessage().contains("k = 9, m = 8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdversarialTraining(new Marker(), 1, 8, 0,
                0, 0, 1)).getMessage().contains("lambda"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdversarialTraining(new Marker(), 1, 8, 1,
                0.2f, 0.1f, 1)).getMessage().contains("[0.2, 0.1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdversarialTraining(new Marker(), 1, 8, 1,
                0, 0.1f, null, null, 1)).getMessage().contains("distribution"));
    }
}
