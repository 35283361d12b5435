package dev.lanes.recurrent;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.gradcheck.Values;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.quicktheories.core.Gen;

/**
 * A generated recurrent layer configuration for the property tests: the cell, N, T, features,
 * hidden size, layers, directions, output mode, biases, lengths (null or each in [0, T]), and a
 * seed for the weights, input and initial state. Builds the float layer with its states exposed
 * ({@link StateAdapter}) and the double reference with the same values.
 */
record RecurrentCase(RecurrentReference.Kind kind, int batch, int steps, int features, int hidden,
                     RecurrentOptions options, int[] lengths, long seed) {

    /** Cases over every kind, N 1-3, T 1-5, features and hidden 1-4, 1-2 layers, either direction. */
    static Gen<RecurrentCase> cases(RecurrentReference.Kind... kinds) {
        return in -> {
            RecurrentReference.Kind kind = kinds[integers().between(0, kinds.length - 1).generate(in)];
            int batch = integers().between(1, 3).generate(in);
            int steps = integers().between(1, 5).generate(in);
            int features = integers().between(1, 4).generate(in);
            int hidden = integers().between(1, 4).generate(in);
            RecurrentOptions options = RecurrentOptions.DEFAULT.layers(integers().between(1, 2).generate(in))
                    .bidirectional(integers().between(0, 1).generate(in) == 1)
                    .returnSequences(integers().between(0, 1).generate(in) == 1)
                    .bias(integers().between(0, 3).generate(in) > 0);
            boolean variable = integers().between(0, 1).generate(in) == 1;
            int[] lengths = null;
            if (variable) {
                lengths = new int[batch];
                for (int n = 0; n < batch; n++) {
                    lengths[n] = integers().between(0, steps).generate(in);
                }
            }
            long seed = integers().between(0, Integer.MAX_VALUE).generate(in);
            return new RecurrentCase(kind, batch, steps, features, hidden, options, lengths, seed);
        };
    }

    @Override
    public String toString() {
        return kind + " N=" + batch + " T=" + steps + " F=" + features + " H=" + hidden + " " + options
                + " lengths=" + Arrays.toString(lengths) + " seed=" + seed;
    }

    Shape inputShape() {
        return Shape.of(batch, steps, features);
    }

    Tensor input() {
        return Values.uniform(inputShape(), seed + 1, -2, 2);
    }

    RecurrentLayer layer() {
        return switch (kind) {
            case RNN_TANH -> new SimpleRnn(features, hidden, SimpleRnn.Nonlinearity.TANH, options, seed);
            case RNN_RELU -> new SimpleRnn(features, hidden, SimpleRnn.Nonlinearity.RELU, options, seed);
            case LSTM -> new Lstm(features, hidden, options, seed);
            case GRU -> new Gru(features, hidden, options, seed);
        };
    }

    /** The layer with random initial states (of magnitude up to 1) and biases drawn wider than PyTorch's. */
    StateAdapter adapter() {
        RecurrentLayer layer = layer();
        SplittableRandom random = new SplittableRandom(seed + 2);
        for (Parameter p : layer.parameters()) {
            if (p.name().startsWith("bias")) {
                p.value().copyFrom(Values.uniform(p.shape(), random.nextLong(), -1, 1));
            }
        }
        Shape state = layer.stateShape(batch);
        Tensor h0 = Values.uniform(state, random.nextLong(), -1, 1);
        Tensor c0 = kind == RecurrentReference.Kind.LSTM ? Values.uniform(state, random.nextLong(), -1, 1) : null;
        return new StateAdapter(layer, lengths, h0, c0);
    }

    /** The reference holding the adapter's current parameter values. */
    RecurrentReference reference(StateAdapter adapter) {
        List<double[]> values = new ArrayList<>();
        for (Parameter p : adapter.parameters()) {
            float[] v = p.value().toArray();
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            values.add(d);
        }
        return new RecurrentReference(kind, features, hidden, options, lengths, values, batch);
    }
}
