package dev.lanes.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AdamW's decoupled decay against PyTorch 1.13's {@code torch.optim.AdamW} (lr 0.1, betas 0.9 and
 * 0.999, eps 1e-8, weight decay 0.1): three steps from {@code adamw_golden.txt}, written by
 * {@code layers/src/test/python/conventions_golden.py}.
 */
class AdamWGoldenTest {
    @Test
    void threeStepsMatchPyTorch() throws IOException {
        Map<String, float[]> golden = new HashMap<>();
        try (InputStream in = AdamWGoldenTest.class.getResourceAsStream("adamw_golden.txt")) {
            assertNotNull(in, "adamw_golden.txt");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] words = line.trim().split(" ");
                if (words.length > 1 && !words[0].equals("case")) {
                    float[] values = new float[words.length - 1];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) Double.parseDouble(words[i + 1]);
                    }
                    golden.put(words[0], values);
                }
            }
        }
        float[] start = golden.get("start");
        Parameter w = new Parameter("w", Tensor.fromArray(start.clone(), start.length), true);
        AdamW adamw = new AdamW(List.of(w), new LearningRateSchedule.Constant(0.1), 0.9, 0.999, 1e-8, 0.1);
        for (int step = 0; step < 3; step++) {
            float[] grad = golden.get("grad" + step);
            assertNotNull(grad, "grad" + step + " in adamw_golden.txt");
            w.grad().copyFrom(Tensor.fromArray(grad, grad.length));
            adamw.step();
            float[] expected = golden.get("after" + step);
            float[] actual = w.value().toArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6 * (1 + Math.abs(expected[i])),
                        "weight " + i + " after step " + (step + 1));
            }
        }
    }
}
