package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Softmax and LogSoftmax. */
class SoftmaxTest {
    private static final long SEED = 0x50f7L;

    /** Softmax over the last axis of a rank-2 tensor, formed directly in double. */
    static Tensor naive(Tensor x, boolean log) {
        Tensor y = Tensor.zeros(x.shape());
        for (int i = 0; i < x.dim(0); i++) {
            double sum = 0;
            for (int j = 0; j < x.dim(1); j++) {
                sum += Math.exp(x.get(i, j));
            }
            for (int j = 0; j < x.dim(1); j++) {
                y.set(i, j, (float) (log ? x.get(i, j) - Math.log(sum) : Math.exp(x.get(i, j)) / sum));
            }
        }
        return y;
    }

    @Test
    void handCase() {
        Tensor y = new Softmax().forward(Tensor.fromArray(new float[] {0, 0, (float) Math.log(2)}, 1, 3), false);
        assertEquals(0.25f, y.get(0, 0), 1e-7f);
        assertEquals(0.5f, y.get(0, 2), 1e-7f);
    }

    @Test
    void matchesTheDirectFormula() {
        Tensor x = randn(SEED, 5, 7).mul(3f);
        assertNull(Tensor.mismatch(new Softmax().forward(x, true), naive(x, false), 1e-5, 1e-7));
        assertNull(Tensor.mismatch(new LogSoftmax().forward(x, true), naive(x, true), 1e-5, 1e-6));
        // Over the last axis of any rank.
        Tensor x3 = randn(SEED + 1, 2, 3, 4);
        Tensor y3 = new Softmax().forward(x3, true);
        assertNull(Tensor.mismatch(y3.reshape(6, 4), naive(x3.reshape(6, 4), false), 1e-5, 1e-7));
        Tensor sums = y3.sum(-1);
        for (float s : sums.toArray()) {
            assertEquals(1f, s, 1e-6f);
        }
    }

    @Test
    void largeLogitsStayFinite() {
        Tensor x = Tensor.fromArray(new float[] {1000, 999, -1000}, 1, 3);
        Tensor y = new Softmax().forward(x, false);
        assertEquals(1 / (1 + Math.exp(-1)), y.get(0, 0), 1e-6);
        Tensor log = new LogSoftmax().forward(x, false);
        assertEquals(-2000 - Math.log1p(Math.exp(-1)), log.get(0, 2), 1e-3);
        assertTrue(Float.isFinite(log.get(0, 1)));
    }

    @Test
    void finiteDifferences() {
        FiniteDifference.check(new Softmax(), randn(SEED + 2, 3, 5), true, SEED);
        FiniteDifference.check(new LogSoftmax(), randn(SEED + 3, 3, 5), true, SEED);
        FiniteDifference.check(new Softmax(), randn(SEED + 4, 2, 2, 3), false, SEED);
    }

    @Test
    void shapesAndErrors() {
        assertThrows(IllegalArgumentException.class, () -> new Softmax().outputShape(Shape.scalar()));
        assertThrows(IllegalArgumentException.class, () -> new LogSoftmax().outputShape(Shape.of(3, 0)));
        Softmax softmax = new Softmax();
        assertThrows(IllegalStateException.class, () -> softmax.backward(Tensor.zeros(2, 3)));
        softmax.forward(Tensor.zeros(2, 3), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> softmax.backward(Tensor.zeros(2, 4)));
        assertEquals("Softmax: gradOutput expected (2, 3), got (2, 4)", e.getMessage());
    }
}
