package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DropoutTest {
    private static final long SEED = 0xd409L;

    @Test
    void inferenceIsTheIdentity() {
        Dropout dropout = new Dropout(0.5f, SEED);
        Tensor x = randn(1, 3, 4);
        assertSame(x, dropout.forward(x, false));
        Tensor g = randn(2, 3, 4);
        assertSame(g, dropout.backward(g));
        assertEquals(0, dropout.calls());
    }

    @Test
    void trainingZeroesOrScalesEveryElementAndDropsAboutP() {
        float p = 0.3f;
        Dropout dropout = new Dropout(p, SEED);
        Tensor x = Tensor.ones(100, 1000);
        float[] y = dropout.forward(x, true).toArray();
        int dropped = 0;
        for (float v : y) {
            if (v == 0f) {
                dropped++;
            } else {
                assertEquals(1f / (1f - p), v);
            }
        }
        // 100 000 Bernoulli(0.3) draws: the standard deviation of the fraction is 0.0014, so
        // 0.01 is seven standard deviations.
        assertEquals(p, dropped / 1e5, 0.01, "seed " + SEED);
    }

    @Test
    void backwardUsesTheSameMask() {
        Dropout dropout = new Dropout(0.4f, SEED);
        Tensor x = randn(3, 5, 6);
        Tensor y = dropout.forward(x, true).copy();
        Tensor g = randn(4, 5, 6);
        Tensor dx = dropout.backward(g);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 6; j++) {
                float factor = y.get(i, j) == 0f ? 0f : 1f / (1f - 0.4f);
                assertEquals(g.get(i, j) * factor, dx.get(i, j), 1e-6);
                assertEquals(x.get(i, j) * factor, y.get(i, j), 1e-6);
            }
        }
    }

    @Test
    void masksDependOnlyOnSeedAndCallCount() {
        Dropout a = new Dropout(0.5f, SEED);
        Dropout b = new Dropout(0.5f, SEED);
        Tensor ones = Tensor.ones(8, 16);
        float[] first = a.forward(ones, true).toArray();
        float[] second = a.forward(ones, true).toArray();
        assertFalse(Arrays.equals(first, second), "consecutive calls draw new masks");
        assertArrayEquals(first, b.forward(ones, true).toArray());
        assertArrayEquals(second, b.forward(ones, true).toArray());
        assertFalse(Arrays.equals(first, new Dropout(0.5f, SEED + 1).forward(ones, true).toArray()));
        a.setCalls(0);
        assertArrayEquals(first, a.forward(ones, true).toArray());
        // An inference call in between does not advance the stream.
        b.forward(ones, false);
        assertEquals(2, b.calls());
        assertTrue(b.forward(ones, true).toArray().length == 128);
    }

    @Test
    void zeroProbabilityKeepsEverything() {
        Tensor x = randn(5, 4, 4);
        assertArrayEquals(x.toArray(), new Dropout(0f, SEED).forward(x, true).toArray());
    }

    @Test
    void argumentsAndShapesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f, SEED));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1f, SEED));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Float.NaN, SEED));
        Dropout dropout = new Dropout(0.5f, SEED);
        assertThrows(IllegalStateException.class, () -> dropout.backward(Tensor.zeros(2)));
        dropout.forward(Tensor.zeros(2, 3), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dropout.backward(Tensor.zeros(3, 2)));
        assertEquals("Dropout(p=0.5): gradOutput expected (2, 3), got (3, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> dropout.setCalls(-1));
    }

    @Test
    void finiteDifferencesWithTheMaskHeldFixed() {
        Dropout dropout = new Dropout(0.3f, SEED);
        FiniteDifference.check(dropout, randn(6, 4, 5), true, SEED, () -> dropout.setCalls(7));
        FiniteDifference.check(dropout, randn(7, 4, 5), false, SEED);
    }

    @Test
    void noSteadyStateAllocation() {
        Dropout dropout = new Dropout(0.3f, SEED);
        Tensor x = randn(8, 16, 64);
        Tensor g = randn(9, 16, 64);
        assertEquals(0, Allocations.steadyState(() -> {
            dropout.forward(x, true);
            dropout.backward(g);
        }, 2000, 500));
    }
}
