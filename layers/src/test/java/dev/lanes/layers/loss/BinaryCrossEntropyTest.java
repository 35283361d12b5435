package dev.lanes.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.Allocations;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** BinaryCrossEntropy (from probabilities) and BinaryCrossEntropyWithLogits. */
class BinaryCrossEntropyTest {
    private static final long SEED = 0xbceL;

    @Test
    void probabilityHandCases() {
        BinaryCrossEntropy loss = new BinaryCrossEntropy(Reduction.SUM);
        Tensor p = Tensor.fromArray(new float[] {0.8f, 0.8f}, 2);
        assertEquals(-Math.log(0.8f) - Math.log(1 - 0.8f), loss.forward(p, Tensor.fromArray(new float[] {1, 0}, 2)),
                1e-6);
        // dL/dp = (p − t)/(p(1 − p)): −1/p for t = 1, 1/(1 − p) for t = 0.
        assertArrayEquals(new float[] {-1 / 0.8f, 1 / (1 - 0.8f)}, loss.backward().toArray(), 1e-5f);
        // Soft target 0.3 at p = 0.3 is the minimum: zero gradient.
        loss.forward(Tensor.fromArray(new float[] {0.3f}, 1), Tensor.fromArray(new float[] {0.3f}, 1));
        assertEquals(0f, loss.backward().get(0), 1e-6f);
    }

    @Test
    void clampingKeepsTheLossAndGradientFinite() {
        BinaryCrossEntropy loss = new BinaryCrossEntropy(Reduction.SUM);
        Tensor p = Tensor.fromArray(new float[] {0f, 1f, 0f, 1f}, 4);
        Tensor t = Tensor.fromArray(new float[] {1f, 0f, 0f, 1f}, 4);
        // Two terms of −log ε and two of −log(1 − ε).
        double expected = -2 * Math.log(BinaryCrossEntropy.EPSILON) - 2 * Math.log(1 - (double) BinaryCrossEntropy.EPSILON);
        assertEquals(expected, loss.forward(p, t), 1e-4);
        float[] g = loss.backward().toArray();
        // Wrong and saturated: large and pointing the right way; right and saturated: about ±1.
        assertTrue(g[0] < -1e6 && g[1] > 1e6, java.util.Arrays.toString(g));
        assertEquals(1, g[2], 1e-5);
        assertEquals(-1, g[3], 1e-5);
    }

    @Test
    void logitsFormMatchesProbabilitiesAndIsStable() {
        Tensor z = Tensor.randn(Shape.of(5, 3), SEED).mul(3f);
        Tensor t = Tensor.rand(Shape.of(5, 3), SEED + 1);
        Tensor sigmoid = Tensor.ones(5, 3).div(z.neg().exp().add(1f));
        BinaryCrossEntropyWithLogits logits = new BinaryCrossEntropyWithLogits();
        BinaryCrossEntropy probabilities = new BinaryCrossEntropy();
        assertEquals(probabilities.forward(sigmoid, t), logits.forward(z, t), 1e-5);
        // dL/dz = (σ(z) − t)/count.
        Tensor.assertAllClose(logits.backward(), sigmoid.sub(t).div(15f), 1e-5, 1e-7);
        BinaryCrossEntropyWithLogits sum = new BinaryCrossEntropyWithLogits(Reduction.SUM);
        Tensor extreme = Tensor.fromArray(new float[] {100, -100, 100, -100}, 4);
        assertEquals(200f, sum.forward(extreme, Tensor.fromArray(new float[] {0, 1, 1, 0}, 4)), 1e-4);
        assertArrayEquals(new float[] {1, -1, 0, 0}, sum.backward().toArray(), 1e-7f);
    }

    @Test
    void gradientsAndReductions() {
        Tensor p = Tensor.rand(Shape.of(4, 3), 0.05f, 0.95f, SEED + 2);
        Tensor t = Tensor.rand(Shape.of(4, 3), SEED + 3);
        LossTesting.finiteDifferences(new BinaryCrossEntropy(), p, t, SEED);
        Tensor z = Tensor.randn(Shape.of(4, 3), SEED + 4).mul(2f);
        LossTesting.finiteDifferences(new BinaryCrossEntropyWithLogits(Reduction.SUM), z, t, SEED);
        LossTesting.sumIsCountTimesMean(new BinaryCrossEntropy(), new BinaryCrossEntropy(Reduction.SUM), p, t, 12);
        LossTesting.sumIsCountTimesMean(new BinaryCrossEntropyWithLogits(),
                new BinaryCrossEntropyWithLogits(Reduction.SUM), z, t, 12);
    }

    @Test
    void valuesAndShapesAreChecked() {
        BinaryCrossEntropy loss = new BinaryCrossEntropy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss.forward(Tensor.fromArray(new float[] {0.5f, 1.5f}, 2), Tensor.zeros(2)));
        assertEquals("BinaryCrossEntropy(mean): prediction element 1 = 1.5 is not a probability in [0, 1]",
                e.getMessage());
        assertThrows(IllegalStateException.class, loss::backward);
        e = assertThrows(IllegalArgumentException.class,
                () -> loss.forward(Tensor.zeros(2), Tensor.fromArray(new float[] {0, -0.5f}, 2)));
        assertEquals("BinaryCrossEntropy(mean): target element 1 = -0.5 is not in [0, 1]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BinaryCrossEntropyWithLogits().forward(Tensor.zeros(2),
                Tensor.fromArray(new float[] {2, 0}, 2)));
        e = assertThrows(IllegalArgumentException.class,
                () -> new BinaryCrossEntropyWithLogits().forward(Tensor.zeros(3, 1), Tensor.zeros(3)));
        assertEquals("BinaryCrossEntropyWithLogits(mean): target expected (3, 1) (the prediction's shape), got (3)",
                e.getMessage());
        assertEquals(Float.NaN, loss.forward(Tensor.fromArray(new float[] {Float.NaN}, 1), Tensor.zeros(1)));
    }

    @Test
    void noSteadyStateAllocation() {
        Tensor p = Tensor.rand(Shape.of(32, 4), 0.05f, 0.95f, SEED + 5);
        Tensor t = Tensor.rand(Shape.of(32, 4), SEED + 6);
        BinaryCrossEntropy a = new BinaryCrossEntropy();
        BinaryCrossEntropyWithLogits b = new BinaryCrossEntropyWithLogits();
        assertEquals(0, Allocations.steadyState(() -> {
            a.forward(p, t);
            a.backward();
            b.forward(p, t);
            b.backward();
        }, 2000, 500));
    }
}
