package dev.lanes.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.Allocations;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {
    private static final long SEED = 0xce1L;

    /** −Σ t log softmax(z) per row, softmax formed directly in double (fine for small logits), mean. */
    private static double naive(Tensor z, Tensor probabilities) {
        double total = 0;
        for (int i = 0; i < z.dim(0); i++) {
            double denominator = 0;
            for (int j = 0; j < z.dim(1); j++) {
                denominator += Math.exp(z.get(i, j));
            }
            for (int j = 0; j < z.dim(1); j++) {
                total -= probabilities.get(i, j) * Math.log(Math.exp(z.get(i, j)) / denominator);
            }
        }
        return total / z.dim(0);
    }

    private static Tensor oneHot(Tensor indices, int classes) {
        Tensor out = Tensor.zeros(indices.dim(0), classes);
        for (int i = 0; i < indices.dim(0); i++) {
            out.set(i, (int) indices.get(i), 1f);
        }
        return out;
    }

    @Test
    void handCases() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        assertEquals((float) Math.log(2), loss.forward(Tensor.zeros(1, 2), Tensor.fromArray(new float[] {0}, 1)));
        assertArrayEquals(new float[] {-0.5f, 0.5f}, loss.backward().toArray());
        // z = (1, 2, 3), class 2: log(e^1 + e^2 + e^3) − 3 = log(1 + e^-1 + e^-2).
        float value = loss.forward(Tensor.fromArray(new float[] {1, 2, 3}, 1, 3), Tensor.fromArray(new float[] {2}, 1));
        assertEquals(Math.log(1 + Math.exp(-1) + Math.exp(-2)), value, 1e-7);
    }

    @Test
    void indexOneHotAndSoftTargetsAgreeWithTheNaiveFormula() {
        Tensor z = Tensor.randn(Shape.of(6, 5), SEED).mul(2f);
        Tensor indices = LossTesting.classIndices(SEED + 1, 6, 5);
        Tensor oneHot = oneHot(indices, 5);
        SoftmaxCrossEntropy byIndex = new SoftmaxCrossEntropy();
        SoftmaxCrossEntropy byProbability = new SoftmaxCrossEntropy();
        float a = byIndex.forward(z, indices);
        float b = byProbability.forward(z, oneHot);
        assertEquals(naive(z, oneHot), a, 1e-6);
        assertEquals(a, b, 1e-6);
        Tensor.assertAllClose(byIndex.backward(), byProbability.backward(), 1e-6, 1e-7);
        Tensor soft = Tensor.rand(Shape.of(6, 5), 0.1f, 1f, SEED + 2);
        soft = soft.div(soft.sum(1, true));
        assertEquals(naive(z, soft), byProbability.forward(z, soft), 1e-5);
        // dL/dz = (softmax − t)/n, with softmax formed directly.
        Tensor softmax = z.exp().div(z.exp().sum(1, true));
        Tensor.assertAllClose(byProbability.backward(), softmax.sub(soft).div(6f), 1e-5, 1e-7);
    }

    @Test
    void largeLogitsStayFinite() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.SUM);
        Tensor z = Tensor.fromArray(new float[] {1000, -1000, 0, 80, 89, -3}, 2, 3);
        Tensor y = Tensor.fromArray(new float[] {1, 1}, 2);
        // Row 0: lse = 1000 exactly in double (e^-1000 vanishes), loss 2000; row 1: lse − 89.
        double row1 = 89 + Math.log(1 + Math.exp(-9) + Math.exp(-92));
        assertEquals(2000 + row1 - 89, loss.forward(z, y), 1e-3);
        float[] g = loss.backward().toArray();
        for (float v : g) {
            assertTrue(Float.isFinite(v));
        }
        assertEquals(1f, g[0], 0f);
        assertEquals(-1f, g[1], 0f);
    }

    @Test
    void gradientsAndReductions() {
        Tensor z = Tensor.randn(Shape.of(4, 3), SEED + 3);
        Tensor indices = LossTesting.classIndices(SEED + 4, 4, 3);
        LossTesting.finiteDifferences(new SoftmaxCrossEntropy(), z, indices, SEED);
        Tensor soft = Tensor.rand(Shape.of(4, 3), 0.1f, 1f, SEED + 5);
        soft = soft.div(soft.sum(1, true));
        LossTesting.finiteDifferences(new SoftmaxCrossEntropy(Reduction.SUM), z, soft, SEED);
        LossTesting.sumIsCountTimesMean(new SoftmaxCrossEntropy(), new SoftmaxCrossEntropy(Reduction.SUM), z,
                indices, 4);
    }

    @Test
    void targetsAndShapesAreChecked() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor z = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss.forward(z, Tensor.fromArray(new float[] {0, 3}, 2)));
        assertEquals("SoftmaxCrossEntropy(mean): target[1] = 3.0 is not a class index in [0, 3)", e.getMessage());
        assertThrows(IllegalStateException.class, loss::backward);
        assertThrows(IllegalArgumentException.class, () -> loss.forward(z, Tensor.fromArray(new float[] {0.5f, 1}, 2)));
        assertThrows(IllegalArgumentException.class, () -> loss.forward(z, Tensor.fromArray(new float[] {-1, 1}, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> loss.forward(z, Tensor.fromArray(new float[] {Float.NaN, 1}, 2)));
        e = assertThrows(IllegalArgumentException.class, () -> loss.forward(z, Tensor.zeros(3)));
        assertEquals("SoftmaxCrossEntropy(mean): target expected (2) (class indices), got (3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loss.forward(z, Tensor.zeros(2, 4)));
        assertEquals("SoftmaxCrossEntropy(mean): target expected (2, 3) (the prediction's shape), got (2, 4)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loss.forward(Tensor.zeros(6), Tensor.zeros(6)));
        assertEquals("SoftmaxCrossEntropy(mean): prediction expected (N, classes), got (6)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> loss.forward(z, Tensor.fromArray(new float[] {0.5f, 0.6f, 0, 0, 0, 1}, 2, 3)));
        assertTrue(e.getMessage().contains("target row 0 sums to"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> loss.forward(z, Tensor.fromArray(new float[] {1.5f, -0.5f, 0, 0, 0, 1}, 2, 3)));
    }

    @Test
    void noSteadyStateAllocation() {
        Tensor z = Tensor.randn(Shape.of(32, 10), SEED + 6);
        Tensor indices = LossTesting.classIndices(SEED + 7, 32, 10);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        assertEquals(0, Allocations.steadyState(() -> {
            loss.forward(z, indices);
            loss.backward();
        }, 2000, 500));
    }
}
