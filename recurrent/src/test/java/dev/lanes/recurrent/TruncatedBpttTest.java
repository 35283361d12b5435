package dev.lanes.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.gradcheck.Values;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Truncated backpropagation through time: the windows carry the state exactly (the loss of a
 * pass without updates is the loss of the whole sequence read at once), a window reaching back
 * to the start has the full gradient of its steps, and a model trained with truncated windows
 * learns a sequence whose next token depends on the recent past.
 */
class TruncatedBpttTest {
    private static final int VOCABULARY = 4;

    private record Model(Embedding embedding, Lstm core, Dense head) {
        static Model create(long seed) {
            return new Model(new Embedding(VOCABULARY, 3, seed),
                    new Lstm(3, 6, RecurrentOptions.DEFAULT.returnSequences(true), seed + 1), new Dense(6, VOCABULARY,
                            seed + 2));
        }

        List<Parameter> parameters() {
            List<Parameter> all = new ArrayList<>(embedding.parameters());
            all.addAll(core.parameters());
            all.addAll(head.parameters());
            return all;
        }

        TruncatedBptt bptt(int k1, int k2) {
            return new TruncatedBptt(embedding, core, head, new SoftmaxCrossEntropy(), k1, k2);
        }

        /** The mean loss over the steps [from, to) of the sequences read whole; backward when asked. */
        float wholeLoss(Tensor tokens, Tensor targets, int from, int to, boolean backward) {
            Tensor outputs = core.forward(embedding.forward(tokens, true), true);
            int n = tokens.dim(0);
            Tensor rows = outputs.slice(1, from, to).contiguous().reshape(n * (to - from), 6);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            float value = loss.forward(head.forward(rows, true), targets.slice(1, from, to).contiguous()
                    .reshape(n * (to - from)));
            if (backward) {
                Tensor gradRows = head.backward(loss.backward());
                Tensor gradOutputs = Tensor.zeros(outputs.shape());
                gradOutputs.slice(1, from, to).copyFrom(gradRows.reshape(n, to - from, 6));
                embedding.backward(core.backward(gradOutputs));
            }
            return value;
        }
    }

    private static Tensor tokens(int n, int t, long seed) {
        Tensor uniform = Values.uniform(Shape.of(n, t), seed, 0, VOCABULARY);
        float[] values = uniform.toArray();
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.floor(values[i]);
        }
        return Tensor.wrap(values, n, t);
    }

    @Test
    void windowsCarryTheStateExactly() {
        Model model = Model.create(1);
        Tensor x = tokens(3, 11, 2);
        Tensor y = tokens(3, 11, 3);
        float whole = model.wholeLoss(x, y, 0, 11, false);
        for (int[] k : new int[][] {{1, 1}, {3, 3}, {2, 5}, {4, 11}, {11, 11}}) {
            double windows = model.bptt(k[0], k[1]).run(x, y, null);
            assertEquals(whole, windows, 2e-6, "TBPTT(" + k[0] + ", " + k[1] + ") without updates");
        }
    }

    @Test
    void aWindowFromTheStartHasTheFullGradientOfItsSteps() {
        Model model = Model.create(4);
        Tensor x = tokens(2, 7, 5);
        Tensor y = tokens(2, 7, 6);
        RecordingOptimizer recorder = new RecordingOptimizer(model.parameters());
        model.bptt(3, 7).run(x, y, recorder);
        int[][] windows = {{0, 3}, {3, 6}, {6, 7}};
        assertEquals(windows.length, recorder.gradients.size());
        for (int w = 0; w < windows.length; w++) {
            for (Parameter p : model.parameters()) {
                p.zeroGrad();
            }
            model.wholeLoss(x.slice(1, 0, windows[w][1]), y.slice(1, 0, windows[w][1]), windows[w][0], windows[w][1],
                    true);
            for (int i = 0; i < model.parameters().size(); i++) {
                float[] expected = model.parameters().get(i).grad().toArray();
                float[] actual = recorder.gradients.get(w)[i];
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], actual[j], 1e-6f + 1e-5f * Math.abs(expected[j]), "window " + w
                            + ", " + model.parameters().get(i).name() + "[" + j + "]");
                }
            }
        }
    }

    @Test
    void truncatedWindowsLearnAPatternThatSpansThem() {
        // the next token of 0 1 2 3 3 2 1 0 0 1 ... depends on the two before it, across window edges
        int steps = 64;
        float[] pattern = {0, 1, 2, 3, 3, 2, 1, 0};
        float[] values = new float[4 * (steps + 1)];
        for (int n = 0; n < 4; n++) {
            for (int t = 0; t <= steps; t++) {
                values[n * (steps + 1) + t] = pattern[(t + 2 * n) % pattern.length];
            }
        }
        Tensor sequence = Tensor.wrap(values, 4, steps + 1);
        Tensor x = sequence.slice(1, 0, steps);
        Tensor y = sequence.slice(1, 1, steps + 1);
        Model model = Model.create(7);
        Adam adam = new Adam(model.parameters(), 0.03);
        TruncatedBptt bptt = model.bptt(4, 8);
        double first = bptt.run(x, y, adam);
        double last = first;
        for (int epoch = 0; epoch < 30; epoch++) {
            last = bptt.run(x, y, adam);
        }
        assertTrue(first > 1.0 && last < 0.05, "loss per token went from " + first + " to " + last);
    }

    @Test
    void badWindows() {
        Model model = Model.create(1);
        assertThrows(IllegalArgumentException.class, () -> model.bptt(3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TruncatedBptt(null,
                new Lstm(3, 4, 1), new Dense(4, 2, 1), new SoftmaxCrossEntropy(), 2, 2));
        assertTrue(e.getMessage().contains("one-direction core that returns its sequence"), e.getMessage());
    }
}
