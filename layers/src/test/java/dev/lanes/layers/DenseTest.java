package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DenseTest {
    private static final long SEED = 0xde05eL;

    /** y[i][o] = b[o] + Σ_k x[i][k]·W[o][k], in double. */
    private static Tensor naive(Tensor x, Tensor w, Tensor b) {
        int n = x.dim(0);
        int in = x.dim(1);
        int out = w.dim(0);
        Tensor y = Tensor.zeros(n, out);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double sum = b == null ? 0 : b.get(o);
                for (int k = 0; k < in; k++) {
                    sum += (double) x.get(i, k) * w.get(o, k);
                }
                y.set(i, o, (float) sum);
            }
        }
        return y;
    }

    @Test
    void forwardMatchesHandComputedCase() {
        Dense dense = new Dense(2, 3, SEED);
        dense.weight().value().copyFrom(Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        dense.bias().value().copyFrom(Tensor.fromArray(new float[] {0.5f, -1, 2}, 3));
        Tensor y = dense.forward(Tensor.fromArray(new float[] {1, -1, 2, 0.5f}, 2, 2), false);
        // Row 0: (1·1 − 1·2, 1·3 − 4, 5 − 6) + b; row 1: (2 + 1, 6 + 2, 10 + 3) + b.
        assertArrayEquals(new float[] {-0.5f, -2, 1, 3.5f, 7, 15}, y.toArray());
    }

    @Test
    void forwardMatchesNaiveLoopWithAndWithoutBias() {
        for (boolean bias : new boolean[] {true, false}) {
            Dense dense = new Dense(7, 5, bias, SEED);
            if (bias) {
                dense.bias().value().copyFrom(randn(SEED + 1, 5));
            } else {
                assertNull(dense.bias());
            }
            Tensor x = randn(SEED + 2, 4, 7);
            Tensor y = dense.forward(x, true);
            Tensor.assertAllClose(y, naive(x, dense.weight().value(), bias ? dense.bias().value() : null), 1e-5, 1e-5);
        }
    }

    @Test
    void nonContiguousInputGivesTheSameResult() {
        Dense dense = new Dense(3, 4, SEED);
        Tensor x = randn(SEED + 3, 3, 5);
        Tensor viewed = x.transpose();
        Tensor expected = naive(viewed.copy(), dense.weight().value(), dense.bias().value());
        Tensor.assertAllClose(dense.forward(viewed, true), expected, 1e-5, 1e-5);
        Tensor g = randn(SEED + 4, 5, 4);
        Tensor dxView = dense.backward(g).copy();
        dense.weight().zeroGrad();
        dense.forward(viewed.copy(), true);
        Tensor.assertAllClose(dense.backward(g), dxView, 0, 0);
    }

    @Test
    void backwardMatchesNaiveFormulasAndAccumulates() {
        Dense dense = new Dense(3, 2, SEED);
        Tensor x = randn(SEED + 5, 4, 3);
        Tensor g = randn(SEED + 6, 4, 2);
        dense.forward(x, true);
        Tensor dx = dense.backward(g).copy();
        Tensor w = dense.weight().value();
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 3; k++) {
                double sum = 0;
                for (int o = 0; o < 2; o++) {
                    sum += (double) g.get(i, o) * w.get(o, k);
                }
                assertEquals(sum, dx.get(i, k), 1e-5);
            }
        }
        for (int o = 0; o < 2; o++) {
            double bias = 0;
            for (int i = 0; i < 4; i++) {
                bias += g.get(i, o);
            }
            assertEquals(bias, dense.bias().grad().get(o), 1e-5);
            for (int k = 0; k < 3; k++) {
                double sum = 0;
                for (int i = 0; i < 4; i++) {
                    sum += (double) g.get(i, o) * x.get(i, k);
                }
                assertEquals(sum, dense.weight().grad().get(o, k), 1e-5);
            }
        }
        Tensor once = dense.weight().grad().copy();
        dense.backward(g);
        Tensor.assertAllClose(dense.weight().grad(), once.mul(2f), 1e-6, 1e-6);
    }

    @Test
    void finiteDifferences() {
        FiniteDifference.check(new Dense(5, 3, SEED), randn(SEED + 7, 4, 5), true, SEED);
        FiniteDifference.check(new Dense(2, 6, false, SEED), randn(SEED + 8, 3, 2), false, SEED);
    }

    @Test
    void shapesAreCheckedWithTheLayerAndBothShapes() {
        Dense dense = new Dense(4, 3, SEED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dense.forward(Tensor.zeros(2, 5), true));
        assertEquals("Dense(4 -> 3): input expected (N, 4), got (2, 5)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> dense.outputShape(Shape.of(2, 4, 1)));
        assertThrows(IllegalStateException.class, () -> dense.backward(Tensor.zeros(2, 3)));
        dense.forward(Tensor.zeros(2, 4), true);
        e = assertThrows(IllegalArgumentException.class, () -> dense.backward(Tensor.zeros(3, 3)));
        assertEquals("Dense(4 -> 3): gradOutput expected (2, 3), got (3, 3)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dense(0, 3, SEED));
    }

    @Test
    void workspacesAreReusedWhileTheBatchSizeStays() {
        Dense dense = new Dense(4, 3, SEED);
        Tensor y1 = dense.forward(randn(1, 2, 4), true);
        Tensor dx1 = dense.backward(randn(2, 2, 3));
        assertSame(y1, dense.forward(randn(3, 2, 4), true));
        assertSame(dx1, dense.backward(randn(4, 2, 3)));
        assertNotSame(y1, dense.forward(randn(5, 3, 4), true));
    }

    @Test
    void initialisationIsSeededHeNormal() {
        Dense a = new Dense(256, 128, 42);
        Dense b = new Dense(256, 128, 42);
        assertArrayEquals(a.weight().value().toArray(), b.weight().value().toArray());
        assertTrue(!java.util.Arrays.equals(a.weight().value().toArray(), new Dense(256, 128, 43).weight().value()
                .toArray()));
        float[] w = a.weight().value().toArray();
        double squares = 0;
        for (float v : w) {
            squares += (double) v * v;
        }
        // 32768 draws: the sample standard deviation is within 1.5% of sqrt(2/256) with
        // overwhelming probability (its relative standard error is 1/sqrt(2·32768) = 0.4%).
        assertEquals(Math.sqrt(2.0 / 256), Math.sqrt(squares / w.length), 0.015 * Math.sqrt(2.0 / 256));
        assertArrayEquals(new float[128], a.bias().value().toArray());
        assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(a.namedParameters().keySet()));
    }
}
