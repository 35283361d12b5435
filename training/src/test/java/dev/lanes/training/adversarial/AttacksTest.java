package dev.lanes.training.adversarial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lanes.layers.Dense;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Sequential;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.random.SplitMix64;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * FGSM and its iterations on a linear softmax classifier, whose cross-entropy is convex in the
 * input: a step whose every coordinate follows the sign of the gradient cannot lower it
 * (f(x + d) ≥ f(x) + ∇f·d ≥ f(x)), so the untargeted attacks must never decrease an example's loss.
 */
class AttacksTest {
    private static final PixelScale SCALE = new PixelScale(new float[] {0.3f}, new float[] {0.4f});
    private static final int CLASSES = 4;

    static Layer linear(long seed) {
        return Sequential.builder(Shape.of(1, 4, 4)).add(new Flatten()).add(new Dense(16, CLASSES, seed)).build();
    }

    /** n random images of (1, 4, 4), pixels uniform in [0, 1], in the scale's units. */
    static Tensor images(int n, long seed) {
        SplitMix64 random = new SplitMix64(seed);
        Tensor x = Tensor.zeros(n, 1, 4, 4);
        float[] data = x.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = SCALE.input(0, (float) random.nextDouble());
        }
        return x;
    }

    static int[] labels(int n, long seed) {
        SplitMix64 random = new SplitMix64(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(CLASSES);
        }
        return labels;
    }

    /** Each example's cross-entropy, in double from the float logits. */
    static double[] losses(Layer network, Tensor x, int[] labels) {
        Tensor logits = network.forward(x, false);
        double[] losses = new double[x.dim(0)];
        for (int i = 0; i < losses.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                max = Math.max(max, logits.get(i, c));
            }
            double sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                sum += Math.exp(logits.get(i, c) - max);
            }
            losses[i] = max + Math.log(sum) - logits.get(i, labels[i]);
        }
        return losses;
    }

    static float[] filled(int n, float epsilon) {
        float[] epsilons = new float[n];
        Arrays.fill(epsilons, epsilon);
        return epsilons;
    }

    /** Every pixel of {@code adversarial} is within ε of the original's and in [0, 1]; returns the largest change. */
    static float checkBox(Tensor adversarial, Tensor original, float[] epsilons) {
        float largest = 0;
        int plane = 16;
        for (int e = 0; e < original.size(); e++) {
            float pixel = SCALE.pixel(0, adversarial.data()[e]);
            float change = Math.abs(pixel - SCALE.pixel(0, original.data()[e]));
            float epsilon = epsilons[e / plane];
            assertTrue(change <= epsilon + 1e-5f, "pixel " + e + " moved " + change + " > ε = " + epsilon);
            assertTrue(pixel >= -1e-6f && pixel <= 1 + 1e-6f, "pixel " + e + " is " + pixel + ", outside [0, 1]");
            largest = Math.max(largest, change);
        }
        return largest;
    }

    @Test
    void fgsmNeverLowersTheLossOfAConvexClassifierAndUsesTheWholeEpsilon() {
        qt().withFixedSeed(1911).withExamples(40).forAll(integers().between(1, 9), floats().between(0.001f, 0.3f),
                longs().all()).checkAssert((n, epsilon, seed) -> {
            Layer network = linear(seed);
            Tensor x = images(n, seed + 1);
            int[] labels = labels(n, seed + 2);
            Tensor adversarial = Tensor.zeros(x.shape());
            float[] epsilons = filled(n, epsilon);
            new Fgsm(new InputGradient(network, new SoftmaxCrossEntropy()), SCALE, false)
                    .perturb(adversarial, x, labels, epsilons);
            float largest = checkBox(adversarial, x, epsilons);
            assertEquals(epsilon, largest, 1e-5f, "no pixel moved by the full ε");
            double[] before = losses(network, x, labels);
            double[] after = losses(network, adversarial, labels);
            for (int i = 0; i < n; i++) {
                assertTrue(after[i] >= before[i] - 1e-5, "example " + i + ": loss " + before[i] + " -> " + after[i]);
            }
            assertTrue(Arrays.stream(after).sum() > Arrays.stream(before).sum(), "FGSM did not raise the loss");
        });
    }

    @Test
    void iterationsStayInTheBoxAndWithoutARandomStartNeverLowerAConvexLoss() {
        qt().withFixedSeed(1912).withExamples(25).forAll(integers().between(1, 6), integers().between(1, 8),
                longs().all()).checkAssert((n, steps, seed) -> {
            Layer network = linear(seed);
            Tensor x = images(n, seed + 1);
            int[] labels = labels(n, seed + 2);
            float[] epsilons = new float[n];
            SplitMix64 random = new SplitMix64(seed + 3);
            for (int i = 0; i < n; i++) {
                epsilons[i] = (float) (0.3 * random.nextDouble());
            }
            InputGradient gradient = new InputGradient(network, new SoftmaxCrossEntropy());
            Tensor iterative = x.copy();
            new Pgd(gradient, SCALE, false, steps, 2.5, false, seed).perturb(iterative, iterative, labels, epsilons);
            checkBox(iterative, x, epsilons);
            double[] before = losses(network, x, labels);
            double[] after = losses(network, iterative, labels);
            for (int i = 0; i < n; i++) {
                assertTrue(after[i] >= before[i] - 1e-5, "example " + i + ": loss " + before[i] + " -> " + after[i]);
            }
            Tensor projected = Tensor.zeros(x.shape());
            new Pgd(gradient, SCALE, false, steps, 2.5, true, seed).perturb(projected, x, labels, epsilons);
            checkBox(projected, x, epsilons);
        });
    }

    @Test
    void targetedFgsmLowersTheLossOfTheTargetClass() {
        Layer network = linear(5);
        Tensor x = images(64, 6);
        int[] targets = labels(64, 7);
        Tensor adversarial = Tensor.zeros(x.shape());
        new Fgsm(new InputGradient(network, new SoftmaxCrossEntropy()), SCALE, true)
                .perturb(adversarial, x, targets, filled(64, 0.05f));
        assertTrue(Arrays.stream(losses(network, adversarial, targets)).sum()
                < Arrays.stream(losses(network, x, targets)).sum());
    }

    @Test
    void pgdIsDeterministicFromItsSeed() {
        Layer network = linear(8);
        Tensor x = images(5, 9);
        int[] labels = labels(5, 10);
        InputGradient gradient = new InputGradient(network, new SoftmaxCrossEntropy());
        Tensor first = Tensor.zeros(x.shape());
        Tensor second = Tensor.zeros(x.shape());
        new Pgd(gradient, SCALE, false, 3, 2.5, true, 77).perturb(first, x, labels, filled(5, 0.1f));
        new Pgd(gradient, SCALE, false, 3, 2.5, true, 77).perturb(second, x, labels, filled(5, 0.1f));
        assertArrayEquals(first.data(), second.data());
    }

    @Test
    void badArgumentsAreNamed() {
        Fgsm fgsm = new Fgsm(new InputGradient(linear(1), new SoftmaxCrossEntropy()), SCALE, false);
        Tensor x = images(2, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fgsm.perturb(x, x, new int[] {0, 1},
                new float[] {0.1f, -0.1f})).getMessage().contains("epsilons[1] is -0.1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fgsm.perturb(Tensor.zeros(1, 1, 4, 4), x,
                new int[] {0, 1}, filled(2, 0.1f))).getMessage().contains("adversarial is (1, 1, 4, 4)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fgsm.perturb(x, x, new int[] {0},
                filled(2, 0.1f))).getMessage().contains("2 images but 1 labels"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Pgd(null, SCALE, false, 0, 2.5, true, 1))
                .getMessage().contains("steps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PixelScale(new float[] {0},
                new float[] {0})).getMessage().contains("std 0.0"));
    }
}
