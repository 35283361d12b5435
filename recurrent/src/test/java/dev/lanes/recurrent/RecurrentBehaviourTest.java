package dev.lanes.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.gradcheck.Values;
import dev.lanes.kernels.Parallel;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Laws of the recurrent layers beyond their gradients: the same bits for any thread count,
 * gradients that accumulate, a stateful layer that reads a sequence in pieces as it reads it
 * whole, and no allocation in a steady-state training step.
 */
class RecurrentBehaviourTest {
    private static final long SEED = 0x17;

    private static List<RecurrentLayer> layers(RecurrentOptions options, int features, int hidden) {
        return List.of(new SimpleRnn(features, hidden, SimpleRnn.Nonlinearity.TANH, options, SEED),
                new Lstm(features, hidden, options, SEED), new Gru(features, hidden, options, SEED));
    }

    /** Output, input gradient and parameter gradients of one forward and backward, as one array. */
    private static float[] run(RecurrentLayer layer, Tensor x, int[] lengths) {
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        Tensor y = layer.forward(x, lengths, null, true);
        List<float[]> parts = new ArrayList<>();
        parts.add(y.toArray());
        parts.add(layer.backward(Values.uniform(y.shape(), SEED + 3, -1, 1)).toArray());
        for (Parameter p : layer.parameters()) {
            parts.add(p.grad().toArray());
        }
        int length = 0;
        for (float[] part : parts) {
            length += part.length;
        }
        float[] all = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Test
    void theThreadCountChangesNoBit() {
        // large enough that the GEMMs and the fused steps split over the pool
        Tensor x = Values.uniform(Shape.of(64, 4, 40), SEED, -1, 1);
        int[] lengths = new int[64];
        for (int n = 0; n < lengths.length; n++) {
            lengths[n] = 1 + n % 4;
        }
        int threads = Parallel.threads();
        RecurrentOptions options = RecurrentOptions.DEFAULT.layers(2).bidirectional(true).returnSequences(true);
        for (RecurrentLayer layer : layers(options, 40, 160)) {
            try {
                Parallel.setThreads(1);
                float[] one = run(layer, x, lengths);
                Parallel.setThreads(2);
                float[] two = run(layer, x, lengths);
                for (int i = 0; i < one.length; i++) {
                    assertEquals(Float.floatToIntBits(one[i]), Float.floatToIntBits(two[i]),
                            layer.name() + ": value " + i + " differs between 1 and 2 threads");
                }
            } finally {
                Parallel.setThreads(threads);
            }
        }
    }

    @Test
    void gradientsAccumulate() {
        Tensor x = Values.uniform(Shape.of(3, 5, 4), SEED, -1, 1);
        for (RecurrentLayer layer : layers(RecurrentOptions.DEFAULT.bidirectional(true), 4, 6)) {
            Tensor y = layer.forward(x, true);
            Tensor g = Values.uniform(y.shape(), SEED + 1, -1, 1);
            layer.backward(g);
            List<float[]> once = new ArrayList<>();
            for (Parameter p : layer.parameters()) {
                once.add(p.grad().toArray());
            }
            layer.backward(g);
            for (int i = 0; i < once.size(); i++) {
                float[] twice = layer.parameters().get(i).grad().toArray();
                for (int k = 0; k < twice.length; k++) {
                    assertEquals(2 * once.get(i)[k], twice[k], layer.name() + ": " + layer.parameters().get(i).name()
                            + "[" + k + "] after two backward passes");
                }
            }
        }
    }

    @Test
    void aStatefulLayerReadsASequenceInPiecesAsItReadsItWhole() {
        Tensor x = Values.uniform(Shape.of(3, 8, 4), SEED, -1, 1);
        RecurrentOptions options = RecurrentOptions.DEFAULT.layers(2).returnSequences(true);
        for (RecurrentLayer layer : layers(options, 4, 5)) {
            float[] whole = layer.forward(x, true).toArray();
            layer.stateful(true);
            float[] first = layer.forward(x.slice(1, 0, 5), true).toArray();
            float[] second = layer.forward(x.slice(1, 5, 8), true).toArray();
            for (int n = 0; n < 3; n++) {
                for (int t = 0; t < 8; t++) {
                    for (int j = 0; j < 5; j++) {
                        float piece = t < 5 ? first[(n * 5 + t) * 5 + j] : second[(n * 3 + t - 5) * 5 + j];
                        float expected = whole[(n * 8 + t) * 5 + j];
                        assertEquals(expected, piece, 1e-6f, layer.name() + ": output (" + n + ", " + t + ", " + j
                                + ") read in pieces");
                    }
                }
            }
            layer.stateful(false);
        }
    }

    @Test
    void aSteadyTrainingStepAllocatesNothing() {
        Tensor x = Values.uniform(Shape.of(8, 6, 12), SEED, -1, 1);
        int[] lengths = {6, 5, 4, 6, 1, 2, 6, 3};
        RecurrentOptions options = RecurrentOptions.DEFAULT.layers(2).bidirectional(true).returnSequences(true);
        for (RecurrentLayer layer : layers(options, 12, 20)) {
            Tensor g = Values.uniform(layer.outputShape(x.shape()), SEED + 2, -1, 1);
            long bytes = Allocations.steadyState(() -> {
                layer.forward(x, lengths, null, true);
                layer.backward(g);
            }, 300, 10);
            assertEquals(0, bytes, layer.name() + ": " + bytes / 10 + " bytes per step in steady state");
        }
        Lstm stateful = new Lstm(12, 20, SEED);
        stateful.stateful(true);
        Tensor g = Values.uniform(stateful.outputShape(x.shape()), SEED + 2, -1, 1);
        long bytes = Allocations.steadyState(() -> {
            stateful.forward(x, true);
            stateful.backward(g);
        }, 300, 10);
        assertTrue(bytes == 0, "stateful LSTM: " + bytes / 10 + " bytes per step in steady state");
    }
}
