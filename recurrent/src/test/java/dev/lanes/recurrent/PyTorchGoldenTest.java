package dev.lanes.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.checkpoint.Checkpoint;
import dev.lanes.training.checkpoint.CheckpointFormatException;
import dev.lanes.training.checkpoint.Safetensors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The external check: PyTorch 1.13's nn.RNN, nn.LSTM and nn.GRU on fixed weights, inputs, initial
 * states and packed lengths (golden files written by src/test/python/pytorch_recurrent_golden.py,
 * outputs and gradients computed in float64 from the stored float32 values). Each layer loads the
 * module's state dict unchanged with {@link StateDicts#load}, runs forward and backward with the
 * same gradients of the output and the final state, and matches every output and gradient to
 * float32 rounding: |lanes - torch| &lt;= {@link #ULPS} float ulps of the tensor's largest
 * magnitude (its sums have at most a few dozen terms).
 */
class PyTorchGoldenTest {
    private static final double ULPS = 16;

    private static Path golden(String name) throws URISyntaxException {
        return Path.of(PyTorchGoldenTest.class.getResource("golden/" + name + ".safetensors").toURI());
    }

    private static RecurrentLayer layer(Checkpoint file) {
        var m = file.metadata();
        int input = Integer.parseInt(m.get("input_size"));
        int hidden = Integer.parseInt(m.get("hidden_size"));
        RecurrentOptions options = RecurrentOptions.DEFAULT.layers(Integer.parseInt(m.get("num_layers")))
                .bidirectional(Boolean.parseBoolean(m.get("bidirectional").toLowerCase()))
                .bias(Boolean.parseBoolean(m.get("bias").toLowerCase())).returnSequences(true);
        return switch (m.get("kind")) {
            case "LSTM" -> new Lstm(input, hidden, options, 99);
            case "GRU" -> new Gru(input, hidden, options, 99);
            default -> new SimpleRnn(input, hidden, m.get("nonlinearity").equals("relu")
                    ? SimpleRnn.Nonlinearity.RELU : SimpleRnn.Nonlinearity.TANH, options, 99);
        };
    }

    private static Tensor floats(Checkpoint file, String name) throws CheckpointFormatException {
        return Tensor.wrap(file.floats(name), file.shape(name));
    }

    private static Tensor doublesAsFloats(Checkpoint file, String name) throws CheckpointFormatException {
        double[] values = file.doubles(name);
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return Tensor.wrap(out, file.shape(name));
    }

    private static void assertMatches(String what, Tensor actual, Checkpoint file, String name)
            throws CheckpointFormatException {
        double[] expected = file.doubles(name);
        assertEquals(java.util.Arrays.toString(file.shape(name)), java.util.Arrays.toString(actual.shape().dims()),
                what + ": shape");
        float[] values = actual.contiguous().toArray();
        double largest = 0;
        for (double e : expected) {
            largest = Math.max(largest, Math.abs(e));
        }
        double allowed = ULPS * Math.ulp((float) largest);
        for (int i = 0; i < values.length; i++) {
            double error = Math.abs(values[i] - expected[i]);
            assertTrue(error <= allowed, what + " " + name + "[" + i + "]: lanes " + values[i] + ", torch "
                    + expected[i] + " (error " + error + ", allowed " + allowed + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "lstm_stacked_bidirectional", "lstm_packed", "lstm_no_bias", "gru",
        "gru_stacked_bidirectional_packed", "rnn_tanh_bidirectional", "rnn_relu_stacked"})
    void matchesPyTorch(String name) throws Exception {
        Path path = golden(name);
        Checkpoint file = Safetensors.read(path);
        RecurrentLayer layer = layer(file);
        StateDicts.load(path, layer, "");
        boolean lstm = layer instanceof Lstm;
        int[] lengths = null;
        if (file.contains("lengths")) {
            long[] stored = file.longs("lengths");
            lengths = new int[stored.length];
            for (int i = 0; i < stored.length; i++) {
                lengths[i] = Math.toIntExact(stored[i]);
            }
        }
        RecurrentState initial = new RecurrentState(floats(file, "h0"), lstm ? floats(file, "c0") : null);
        Tensor y = layer.forward(floats(file, "input"), lengths, initial, true);
        assertMatches(name, y, file, "output");
        RecurrentState last = layer.finalState();
        assertMatches(name, last.h(), file, "h_n");
        if (lstm) {
            assertMatches(name, last.c(), file, "c_n");
        }
        RecurrentState gradFinal = new RecurrentState(doublesAsFloats(file, "grad_h_n"),
                lstm ? doublesAsFloats(file, "grad_c_n") : null);
        Tensor dx = layer.backward(doublesAsFloats(file, "grad_output"), gradFinal);
        assertMatches(name, dx, file, "grad.input");
        RecurrentState initialGradient = layer.initialStateGradient();
        assertMatches(name, initialGradient.h(), file, "grad.h0");
        if (lstm) {
            assertMatches(name, initialGradient.c(), file, "grad.c0");
        }
        for (Parameter p : layer.parameters()) {
            assertMatches(name, p.grad(), file, "grad." + p.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gru"})
    void aStateDictOfAnotherModuleIsRefused(String name) throws IOException, URISyntaxException {
        Lstm lstm = new Lstm(3, 5, 1);
        float[] before = lstm.parameters().get(0).value().toArray();
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> StateDicts.load(golden(name), lstm, ""));
        assertTrue(e.getMessage().contains("tensor weight_ih_l0 has shape [15, 3], LSTM(3 -> 5) needs [20, 3]"),
                e.getMessage());
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(lstm.parameters().get(0).value()
                .toArray()), "nothing is copied");
        CheckpointFormatException missing = assertThrows(CheckpointFormatException.class,
                () -> StateDicts.load(golden(name), new Gru(3, 5, 1), "encoder."));
        assertTrue(missing.getMessage().contains("no tensor encoder.weight_ih_l0"), missing.getMessage());
    }
}
