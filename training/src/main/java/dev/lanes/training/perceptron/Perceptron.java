package dev.lanes.training.perceptron;

import dev.lanes.training.random.SplitMix64;
import java.util.Arrays;

/**
 * Rosenblatt's perceptron with the learning rule of the lecture decks: set w₁ = 0, scale every
 * example to length 1, predict positive iff wᵀx &gt; 0, and on a mistake add y·x (y = ±1).
 *
 * <p>With several outputs every output is a perceptron of its own over the same examples (its own
 * weight vector, its own mistakes); {@link #predictClass} reads them one-vs-rest as a classifier
 * (the output with the largest wᵀx). With a bias, every example gets a constant feature 1 before
 * it is scaled, so the separating plane need not pass through the origin.
 *
 * <p><b>Mistake bound</b> (Novikoff, 1962; the decks' theorem): if a unit vector w* separates the
 * examples with margin γ = min |w*ᵀx| / ‖x‖, an output makes at most 1/γ² mistakes, over any
 * order and any number of passes. On data no plane separates (XOR) the rule never settles:
 * {@link #train} then reports that it did not converge within its epoch budget.
 *
 * <p>Weights and dot products are in double precision; examples are floats, as datasets hold
 * them.
 */
public final class Perceptron {
    private final int features;
    private final int outputs;
    private final boolean bias;
    private final int inputs;
    // (outputs, inputs) row-major; the last input is the bias feature when there is one.
    private final double[] weights;

    private Perceptron(int features, int outputs, boolean bias) {
        if (features < 1 || outputs < 1) {
            throw new IllegalArgumentException("a perceptron needs at least one feature and one output, got "
                    + features + " features and " + outputs + " outputs");
        }
        this.features = features;
        this.outputs = outputs;
        this.bias = bias;
        this.inputs = features + (bias ? 1 : 0);
        this.weights = new double[Math.multiplyExact(outputs, inputs)];
    }

    /**
     * {@return one output over {@code features} features, with or without a bias feature; weights
     * zero}
     *
     * @param features the number of features, {@code >= 1}
     * @param bias true to add a constant bias feature
     */
    public static Perceptron binary(int features, boolean bias) {
        return new Perceptron(features, 1, bias);
    }

    /**
     * {@return {@code outputs} perceptrons over the same {@code features} features; weights zero}
     *
     * @param features the number of features, {@code >= 1}
     * @param outputs the number of outputs, {@code >= 1}
     * @param bias true to add a constant bias feature
     */
    public static Perceptron multiOutput(int features, int outputs, boolean bias) {
        return new Perceptron(features, outputs, bias);
    }

    /**
     * {@return the ±1 targets of one-vs-rest classification: target (i, j) is +1 when {@code
     * labels[i] == j}, else −1; (count, classes) row-major}
     *
     * @param labels the class of each example
     * @param classes the number of classes
     */
    public static int[] oneVsRest(int[] labels, int classes) {
        int[] targets = new int[Math.multiplyExact(labels.length, classes)];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] is " + labels[i] + ", outside 0.."
                        + (classes - 1));
            }
            for (int j = 0; j < classes; j++) {
                targets[i * classes + j] = labels[i] == j ? 1 : -1;
            }
        }
        return targets;
    }

    /** {@return the number of features (without the bias feature)} */
    public int features() {
        return features;
    }

    /** {@return the number of outputs} */
    public int outputs() {
        return outputs;
    }

    /** {@return whether the examples get a constant bias feature} */
    public boolean hasBias() {
        return bias;
    }

    /**
     * {@return the weights of output {@code output}: the features', then the bias's when there is
     * one (a copy)}
     *
     * @param output the output, from 0
     */
    public double[] weights(int output) {
        return Arrays.copyOfRange(weights, output * inputs, (output + 1) * inputs);
    }

    /**
     * Runs the rule over {@code examples} until an epoch (a pass over all of them) makes no
     * mistake, or for {@code maxEpochs} epochs. The weights continue from their current values
     * (zero for a new perceptron).
     *
     * @param examples    (count, features) row-major
     * @param targets     (count, outputs) row-major, each +1 or −1
     * @param maxEpochs   the epoch budget, at least 1
     * @param shuffleSeed visit the examples in a new seeded order every epoch, or null for the given order
     * @return whether it converged, the epochs run and the mistakes made
     * @throws IllegalArgumentException if the sizes do not fit, a target is not ±1, or an example
     *                                  (with its bias feature) has length zero or is not finite
     */
    public PerceptronTraining train(float[] examples, int[] targets, int maxEpochs, Long shuffleSeed) {
        int count = checkExamples(examples, "examples");
        if (targets.length != (long) count * outputs) {
            throw new IllegalArgumentException("targets.length is " + targets.length + " but " + count
                    + " examples of " + outputs + " outputs need " + (long) count * outputs);
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] != 1 && targets[i] != -1) {
                throw new IllegalArgumentException("targets[" + i + "] is " + targets[i] + "; targets are +1 or -1");
            }
        }
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("maxEpochs must be at least 1, got " + maxEpochs);
        }
        double[] inverseLengths = inverseLengths(examples, count);
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        long[] mistakes = new long[outputs];
        long[] perEpoch = new long[maxEpochs];
        int epochs = 0;
        boolean converged = false;
        while (epochs < maxEpochs && !converged) {
            if (shuffleSeed != null) {
                shuffle(order, new SplitMix64(SplitMix64.derive(shuffleSeed, epochs)));
            }
            long epochMistakes = 0;
            for (int i : order) {
                epochMistakes += step(examples, i, inverseLengths[i], targets, mistakes);
            }
            perEpoch[epochs++] = epochMistakes;
            converged = epochMistakes == 0;
        }
        return new PerceptronTraining(converged, epochs, mistakes, Arrays.copyOf(perEpoch, epochs));
    }

    /** Shows example {@code i} to every output; updates the ones that err; returns how many erred. */
    private int step(float[] examples, int i, double inverseLength, int[] targets, long[] mistakes) {
        int erred = 0;
        int row = i * features;
        for (int j = 0; j < outputs; j++) {
            int y = targets[i * outputs + j];
            // Predict positive iff wᵀx > 0 (x scaled to length 1 does not change the sign).
            boolean positive = score(j, examples, row) > 0;
            if (positive != (y > 0)) {
                // A mistake: w ← w + y·x, x scaled to length 1.
                double step = y * inverseLength;
                int w = j * inputs;
                for (int f = 0; f < features; f++) {
                    weights[w + f] += step * examples[row + f];
                }
                if (bias) {
                    weights[w + features] += step;
                }
                mistakes[j]++;
                erred++;
            }
        }
        return erred;
    }

    /** wⱼᵀx for the example at {@code row} of {@code examples}, unscaled. */
    private double score(int output, float[] examples, int row) {
        int w = output * inputs;
        double sum = bias ? weights[w + features] : 0;
        for (int f = 0; f < features; f++) {
            sum += weights[w + f] * examples[row + f];
        }
        return sum;
    }

    /**
     * {@return the ±1 prediction of every output for every example, (count, outputs) row-major: +1
     * iff wᵀx &gt; 0}
     *
     * @param examples the examples (count, features), row-major
     */
    public int[] predict(float[] examples) {
        int count = checkExamples(examples, "examples");
        int[] signs = new int[count * outputs];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < outputs; j++) {
                signs[i * outputs + j] = score(j, examples, i * features) > 0 ? 1 : -1;
            }
        }
        return signs;
    }

    /**
     * One-vs-rest classes: for each example the output with the largest wᵀx/‖x‖ (the first on a
     * tie). The scaling does not change which output is largest, so it is left out.
     *
     * @param examples the examples (count, features), row-major
     * @return the class of each example
     */
    public int[] predictClass(float[] examples) {
        int count = checkExamples(examples, "examples");
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            int best = 0;
            double bestScore = score(0, examples, i * features);
            for (int j = 1; j < outputs; j++) {
                double value = score(j, examples, i * features);
                if (value > bestScore) {
                    bestScore = value;
                    best = j;
                }
            }
            classes[i] = best;
        }
        return classes;
    }

    private int checkExamples(float[] examples, String what) {
        if (examples.length % features != 0) {
            throw new IllegalArgumentException(what + ".length is " + examples.length + ", not a multiple of the "
                    + features + " features");
        }
        return examples.length / features;
    }

    /** 1 / ‖x‖ of every example with its bias feature. */
    private double[] inverseLengths(float[] examples, int count) {
        double[] inverse = new double[count];
        for (int i = 0; i < count; i++) {
            double sum = bias ? 1 : 0;
            for (int f = 0; f < features; f++) {
                double value = examples[i * features + f];
                sum += value * value;
            }
            if (!(sum > 0) || !Double.isFinite(sum)) {
                throw new IllegalArgumentException("example " + i + " has squared length " + sum + ": it cannot be"
                        + " scaled to length 1");
            }
            inverse[i] = 1 / Math.sqrt(sum);
        }
        return inverse;
    }

    private static void shuffle(int[] order, SplitMix64 random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
