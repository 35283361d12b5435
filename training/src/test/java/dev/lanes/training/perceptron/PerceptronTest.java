package dev.lanes.training.perceptron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lanes.training.random.SplitMix64;
import org.junit.jupiter.api.Test;

class PerceptronTest {

    /** Examples separated through the origin by a known unit vector with a known margin. */
    record Separable(double[] direction, float[] examples, int[] targets, double margin) {
    }

    /**
     * {@code count} examples in {@code dimension} dimensions: x = (a·w* + √(1−a²)·u)·r with w* a
     * random unit vector, u a random unit vector orthogonal to it, a = ±[γ, 1] (the first example
     * exactly ±γ) and a random length r in [0.1, 10], so the examples are not already scaled.
     * The margin is measured again on the float examples.
     */
    static Separable separable(int dimension, double gamma, int count, long seed) {
        SplitMix64 random = new SplitMix64(seed);
        double[] direction = unit(gaussian(dimension, random));
        float[] examples = new float[count * dimension];
        int[] targets = new int[count];
        for (int i = 0; i < count; i++) {
            double[] u = gaussian(dimension, random);
            double along = dot(u, direction);
            for (int d = 0; d < dimension; d++) {
                u[d] -= along * direction[d];
            }
            u = unit(u);
            double a = i == 0 ? gamma : gamma + (1 - gamma) * random.nextDouble();
            int sign = random.nextBoolean() ? 1 : -1;
            double length = 0.1 + 9.9 * random.nextDouble();
            for (int d = 0; d < dimension; d++) {
                examples[i * dimension + d] = (float) ((sign * a * direction[d] + Math.sqrt(1 - a * a) * u[d]) * length);
            }
            targets[i] = sign;
        }
        double margin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            double projection = 0;
            double squared = 0;
            for (int d = 0; d < dimension; d++) {
                projection += direction[d] * examples[i * dimension + d];
                squared += (double) examples[i * dimension + d] * examples[i * dimension + d];
            }
            margin = Math.min(margin, targets[i] * projection / Math.sqrt(squared));
        }
        return new Separable(direction, examples, targets, margin);
    }

    private static double[] gaussian(int dimension, SplitMix64 random) {
        double[] v = new double[dimension];
        for (int d = 0; d < dimension; d++) {
            v[d] = random.nextGaussian();
        }
        return v;
    }

    private static double[] unit(double[] v) {
        double norm = Math.sqrt(dot(v, v));
        double[] u = new double[v.length];
        for (int d = 0; d < v.length; d++) {
            u[d] = v[d] / norm;
        }
        return u;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += a[d] * b[d];
        }
        return sum;
    }

    @Test
    void mistakesNeverExceedOneOverTheSquaredMargin() {
        qt().withFixedSeed(1901).withExamples(150).forAll(integers().between(2, 12), doubles().between(0.05, 0.7),
                integers().between(1, 150), longs().all()).checkAssert((dimension, gamma, count, seed) -> {
            Separable data = separable(dimension, gamma, count, seed);
            assertTrue(data.margin() > 0 && data.margin() <= gamma + 1e-6, "the generated margin " + data.margin());
            double bound = 1 / (data.margin() * data.margin());
            // Every epoch before the last makes a mistake, so the bound also bounds the epochs.
            int budget = (int) Math.floor(bound) + 1;
            Perceptron perceptron = Perceptron.binary(dimension, false);
            PerceptronTraining run = perceptron.train(data.examples(), data.targets(), budget, seed);
            assertTrue(run.converged(), "no convergence within " + budget + " epochs: " + run.describe());
            assertTrue(run.totalMistakes() <= bound, run.totalMistakes() + " mistakes > 1/γ² = " + bound
                    + " (γ = " + data.margin() + ")");
            assertArrayEquals(data.targets(), perceptron.predict(data.examples()), "a converged perceptron errs");
        });
    }

    @Test
    void aMistakeAddsTheExampleScaledToLengthOneTimesItsLabel() {
        Perceptron perceptron = Perceptron.binary(2, true);
        // (3, 4) with the bias feature 1 has length √26; w = 0 predicts negative, the label is +1.
        PerceptronTraining first = perceptron.train(new float[] {3, 4}, new int[] {1}, 1, null);
        double s = 1 / Math.sqrt(26);
        assertArrayEquals(new double[] {3 * s, 4 * s, s}, perceptron.weights(0), 1e-15);
        assertEquals(1, first.totalMistakes());
        assertFalse(first.converged());
        // (-1, 0) with its bias feature scores (-3 + 1)s < 0: predicted negative, labelled negative, no update.
        PerceptronTraining second = perceptron.train(new float[] {-1, 0}, new int[] {-1}, 5, null);
        assertTrue(second.converged());
        assertEquals(0, second.totalMistakes());
        // A zero score predicts negative: w = 0 and a negative label is no mistake.
        assertEquals(0, Perceptron.binary(3, false).train(new float[] {1, 2, 3}, new int[] {-1}, 1, null)
                .totalMistakes());
    }

    @Test
    void outputsLearnIndependentlyAsOneVsRestPerceptrons() {
        SplitMix64 random = new SplitMix64(7);
        int count = 60;
        int features = 5;
        int classes = 3;
        float[] examples = new float[count * features];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(classes);
            for (int f = 0; f < features; f++) {
                examples[i * features + f] = (float) random.nextGaussian() + (f == labels[i] ? 3 : 0);
            }
        }
        int[] targets = Perceptron.oneVsRest(labels, classes);
        Perceptron together = Perceptron.multiOutput(features, classes, true);
        PerceptronTraining all = together.train(examples, targets, 4, 11L);
        for (int j = 0; j < classes; j++) {
            int[] own = new int[count];
            for (int i = 0; i < count; i++) {
                own[i] = targets[i * classes + j];
            }
            Perceptron alone = Perceptron.binary(features, true);
            PerceptronTraining single = alone.train(examples, own, all.epochs(), 11L);
            assertArrayEquals(alone.weights(0), together.weights(j), "output " + j);
            assertEquals(single.mistakes()[0], all.mistakes()[j], "mistakes of output " + j);
        }
        int[] predicted = together.predictClass(examples);
        int correct = 0;
        for (int i = 0; i < count; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        assertTrue(correct >= 50, "one-vs-rest classified " + correct + " of " + count + " well-separated examples");
    }

    @Test
    void xorIsNotSeparableSoTheRuleDoesNotConverge() {
        PerceptronTraining run = Xor.perceptron(200);
        assertFalse(run.converged());
        assertEquals(200, run.epochs());
        for (long mistakes : run.mistakesByEpoch()) {
            assertTrue(mistakes > 0, "an epoch without mistakes on XOR");
        }
        assertTrue(run.describe().startsWith("did not converge within 200 epochs"), run.describe());
    }

    @Test
    void badInputIsRejectedByName() {
        Perceptron perceptron = Perceptron.binary(2, false);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> perceptron.train(new float[] {1, 2, 3},
                new int[] {1}, 1, null)).getMessage().contains("not a multiple of the 2 features"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> perceptron.train(new float[] {1, 2},
                new int[] {0}, 1, null)).getMessage().contains("targets[0] is 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> perceptron.train(new float[] {1, 2, 0, 0},
                new int[] {1, 1}, 1, null)).getMessage().contains("example 1 has squared length 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> perceptron.train(new float[] {1, 2},
                new int[] {1, -1}, 1, null)).getMessage().contains("targets.length is 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> perceptron.train(new float[] {1, 2},
                new int[] {1}, 0, null)).getMessage().contains("maxEpochs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Perceptron.oneVsRest(new int[] {0, 3}, 3))
                .getMessage().contains("labels[1] is 3"));
        assertArrayEquals(new double[] {0, 0}, perceptron.weights(0), "a rejected call changed the weights");
    }
}
