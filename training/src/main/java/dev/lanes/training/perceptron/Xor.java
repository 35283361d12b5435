package dev.lanes.training.perceptron;

import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Sequential;
import dev.lanes.layers.loss.MeanSquaredError;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.optim.Sgd;
import dev.lanes.training.random.SplitMix64;

/**
 * The XOR problem of the decks: no single-layer perceptron separates {(0,0), (1,1)} from
 * {(0,1), (1,0)}, a network with one hidden layer of two neurons does.
 *
 * <p>Three demonstrations: the {@linkplain #perceptron perceptron rule} never converges on it;
 * the {@linkplain #thresholdNetwork McCulloch-Pitts network} of the decks (threshold units, weights
 * set by hand) computes it; and a 2-2-1 network {@linkplain #train trained by backpropagation}
 * (full-batch gradient descent on the squared error of a sigmoid output, as in the decks'
 * backpropagation slides) learns it from most, not all, random initialisations:
 * {@link #successShare} counts them.
 */
public final class Xor {
    /** The four inputs, (4, 2) row-major. */
    private static final float[] INPUTS = {0, 0, 0, 1, 1, 0, 1, 1};
    /** x₁ XOR x₂ for each input. */
    private static final int[] LABELS = {0, 1, 1, 0};

    /** The hidden units of a 2-2-1 network. */
    public enum Hidden {
        /** σ(v) = 1 / (1 + e^−v). */
        SIGMOID,
        /** tanh v. */
        TANH;

        ActivationLayer layer() {
            return this == SIGMOID ? ActivationLayer.sigmoid() : ActivationLayer.tanh();
        }
    }

    /**
     * Whether one training run solved XOR, and its final loss.
     *
     * @param solved whether the run solved XOR
     * @param loss the final mean squared error
     */
    public record Run(boolean solved, float loss) {
    }

    /**
     * The share of random initialisations from which backpropagation solves XOR.
     *
     * @param hidden the hidden units' activation
     * @param solved          the runs that classified all four inputs correctly
     * @param runs            the runs (one per seed)
     * @param firstSolvedSeed the first seed whose run solved XOR, or -1 when none did
     */
    public record SuccessShare(Hidden hidden, int solved, int runs, long firstSolvedSeed) {
        /**
         * solved / runs.
         *
         * @return solved / runs
         */
        public double share() {
            return (double) solved / runs;
        }
    }

    private Xor() {
    }

    /** {@return the four inputs as a (4, 2) tensor (a new one)} */
    public static Tensor inputs() {
        return Tensor.fromArray(INPUTS.clone(), 4, 2);
    }

    /** {@return the four labels, 0 or 1 (a copy)} */
    public static int[] labels() {
        return LABELS.clone();
    }

    /**
     * {@return the perceptron rule (with a bias) on XOR for up to {@code maxEpochs} epochs}
     *
     * @param maxEpochs the epoch budget, {@code >= 1}
     */
    public static PerceptronTraining perceptron(int maxEpochs) {
        int[] targets = new int[LABELS.length];
        for (int i = 0; i < LABELS.length; i++) {
            targets[i] = LABELS[i] == 1 ? 1 : -1;
        }
        return Perceptron.binary(2, true).train(INPUTS, targets, maxEpochs, null);
    }

    /**
     * {@return the decks' network of threshold units: h₁ = step(x₁ + x₂ − 0.5) (OR), h₂ = step(x₁ +
     * x₂ − 1.5) (AND), y = step(h₁ − h₂ − 0.5) (OR and not AND)} No sum lands on the step's
     * threshold.
     */
    public static Sequential thresholdNetwork() {
        Dense hidden = new Dense(2, 2, 0);
        set(hidden, new float[] {1, 1, 1, 1}, new float[] {-0.5f, -1.5f});
        Dense output = new Dense(2, 1, 0);
        set(output, new float[] {1, -1}, new float[] {-0.5f});
        return Sequential.builder(Shape.of(2)).add("hidden", hidden).add("step1", ActivationLayer.step())
                .add("output", output).add("step2", ActivationLayer.step()).build();
    }

    /** Sets a dense layer's (out, in) weight, row-major, and its bias. */
    private static void set(Dense layer, float[] weight, float[] bias) {
        Tensor w = layer.parameters().get(0).value();
        Tensor b = layer.parameters().get(1).value();
        for (int o = 0; o < layer.outFeatures(); o++) {
            for (int i = 0; i < layer.inFeatures(); i++) {
                w.set(o, i, weight[o * layer.inFeatures() + i]);
            }
            b.set(o, bias[o]);
        }
    }

    /**
     * {@return a 2-2-1 network: dense 2 → 2, {@code hidden} units, dense 2 → 1, sigmoid; weights
     * He-normal from {@code seed}, biases zero}
     *
     * @param hidden the hidden units' activation
     * @param seed the seed of the He-normal weights
     */
    public static Sequential network(Hidden hidden, long seed) {
        return Sequential.builder(Shape.of(2))
                .add("hidden", new Dense(2, 2, SplitMix64.derive(seed, 1)))
                .add("activation", hidden.layer())
                .add("output", new Dense(2, 1, SplitMix64.derive(seed, 2)))
                .add("sigmoid", ActivationLayer.sigmoid())
                .build();
    }

    /**
     * Trains {@code network} (mapping (4, 2) to (4, 1)) by full-batch gradient descent on the
     * mean squared error against the labels, then checks every input against threshold 0.5.
     *
     * @param network the network, mapping (4, 2) to (4, 1)
     * @param epochs the number of full-batch steps
     * @param learningRate the learning rate
     * @return whether the run solved XOR, and its final loss
     */
    public static Run train(Layer network, int epochs, double learningRate) {
        Tensor x = inputs();
        Tensor target = Tensor.zeros(4, 1);
        for (int i = 0; i < 4; i++) {
            target.set(i, 0, LABELS[i]);
        }
        MeanSquaredError loss = new MeanSquaredError();
        Sgd sgd = new Sgd(network.parameters(), learningRate);
        float value = Float.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            value = loss.forward(network.forward(x, true), target);
            network.backward(loss.backward());
            sgd.step();
        }
        return new Run(solves(network), value);
    }

    /**
     * {@return whether {@code network} puts all four inputs on the right side of 0.5}
     *
     * @param network the network, mapping (4, 2) to (4, 1)
     */
    public static boolean solves(Layer network) {
        Tensor output = network.forward(inputs(), false);
        for (int i = 0; i < 4; i++) {
            if ((output.get(i, 0) > 0.5f) != (LABELS[i] == 1)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Trains a 2-2-1 network from each seed {@code 0..runs-1} and counts those that solve XOR.
     *
     * @param hidden the hidden units' activation
     * @param runs the number of seeds tried
     * @param epochs the steps of each run
     * @param learningRate the learning rate
     * @return how many seeds solved XOR, of how many
     */
    public static SuccessShare successShare(Hidden hidden, int runs, int epochs, double learningRate) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, got " + runs);
        }
        int solved = 0;
        long first = -1;
        for (int seed = 0; seed < runs; seed++) {
            if (train(network(hidden, seed), epochs, learningRate).solved()) {
                solved++;
                first = first < 0 ? seed : first;
            }
        }
        return new SuccessShare(hidden, solved, runs, first);
    }
}
