package dev.lanes.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Values;
import dev.lanes.layers.Dense;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Embedding and TimeDistributed: what they compute, their gradients, their errors. */
class SequenceLayersTest {
    @Test
    void anEmbeddingLooksUpRowsAndAddsGradientsPerToken() {
        Embedding embedding = new Embedding(5, 3, 1);
        float[] table = embedding.weight().value().toArray();
        Tensor tokens = Tensor.wrap(new float[] {4, 0, 4, 2}, 2, 2);
        Tensor y = embedding.forward(tokens, true);
        assertEquals(Shape.of(2, 2, 3), y.shape());
        float[] out = y.toArray();
        for (int p = 0; p < 4; p++) {
            int token = (int) tokens.toArray()[p];
            for (int j = 0; j < 3; j++) {
                assertEquals(table[token * 3 + j], out[p * 3 + j]);
            }
        }
        Tensor g = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3);
        Tensor dx = embedding.backward(g);
        assertArrayEquals(new float[4], dx.toArray(), "indices get no gradient");
        float[] grad = embedding.weight().grad().toArray();
        assertArrayEquals(new float[] {4, 5, 6, 0, 0, 0, 10, 11, 12, 0, 0, 0, 1 + 7, 2 + 8, 3 + 9}, grad);
    }

    @Test
    void embeddingGradientMatchesFiniteDifferences() {
        Tensor tokens = Tensor.wrap(new float[] {1, 3, 3, 0, 6, 2}, 3, 2);
        GradCheck.layer(new Embedding(7, 4, 3)).input(tokens).only("weight").seed(3).check();
    }

    @Test
    void badTokensAreNamed() {
        Embedding embedding = new Embedding(5, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> embedding.forward(Tensor.wrap(new float[] {1, 5}, 2), true));
        assertTrue(e.getMessage().contains("Embedding(5, 3): input[1] = 5.0 is not a token index in [0, 5)"),
                e.getMessage());
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> embedding.forward(Tensor.wrap(new float[] {1.5f}, 1), true));
        assertTrue(fraction.getMessage().contains("input[0] = 1.5"), fraction.getMessage());
    }

    @Test
    void timeDistributedAppliesTheLayerToEveryStep() {
        Dense dense = new Dense(4, 3, 5);
        TimeDistributed perStep = new TimeDistributed(dense);
        Tensor x = Values.uniform(Shape.of(2, 5, 4), 6, -1, 1);
        Tensor y = perStep.forward(x, true).copy();
        assertEquals(Shape.of(2, 5, 3), y.shape());
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 5; t++) {
                float[] row = dense.forward(x.select(0, n).select(0, t).reshape(1, 4).contiguous(), false).toArray();
                for (int j = 0; j < 3; j++) {
                    assertEquals(row[j], y.toArray()[(n * 5 + t) * 3 + j], 1e-6f, "step " + t + " of sequence " + n);
                }
            }
        }
        assertEquals(dense.parameters(), perStep.parameters());
        GradCheck.layer(new TimeDistributed(new Dense(4, 3, 7))).input(Values.uniform(Shape.of(2, 5, 4), 8, -1, 1))
                .seed(8).check();
    }

    @Test
    void timeDistributedNamesAWrongShape() {
        TimeDistributed perStep = new TimeDistributed(new Dense(4, 3, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> perStep.forward(Tensor.zeros(2, 4), true));
        assertTrue(e.getMessage().contains("TimeDistributed(Dense(4 -> 3)): input expected (N, T, features...)"),
                e.getMessage());
    }
}
