package dev.lanes.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.layers.Allocations;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** MeanSquaredError and MeanAbsoluteError. */
class RegressionLossTest {
    private static final long SEED = 0x1055L;
    private static final Tensor P = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
    private static final Tensor T = Tensor.fromArray(new float[] {0, 2, 5, 4}, 2, 2);

    @Test
    void meanSquaredErrorHandCase() {
        MeanSquaredError mse = new MeanSquaredError();
        // Squares 1, 0, 4, 0.
        assertEquals(1.25f, mse.forward(P, T));
        assertArrayEquals(new float[] {0.5f, 0, -1, 0}, mse.backward().toArray());
        MeanSquaredError sum = new MeanSquaredError(Reduction.SUM);
        assertEquals(5f, sum.forward(P, T));
        assertArrayEquals(new float[] {2, 0, -4, 0}, sum.backward().toArray());
        assertEquals("MeanSquaredError(mean)", mse.name());
    }

    @Test
    void meanAbsoluteErrorHandCase() {
        MeanAbsoluteError mae = new MeanAbsoluteError();
        assertEquals(0.75f, mae.forward(P, T));
        assertArrayEquals(new float[] {0.25f, 0, -0.25f, 0}, mae.backward().toArray());
        MeanAbsoluteError sum = new MeanAbsoluteError(Reduction.SUM);
        assertEquals(3f, sum.forward(P, T));
        assertArrayEquals(new float[] {1, 0, -1, 0}, sum.backward().toArray());
    }

    @Test
    void naiveLoopsOnRandomValuesAnyRank() {
        Tensor p = Tensor.randn(Shape.of(3, 2, 5), SEED);
        Tensor t = Tensor.randn(Shape.of(3, 2, 5), SEED + 1);
        float[] pa = p.toArray();
        float[] ta = t.toArray();
        double squares = 0;
        double absolute = 0;
        for (int i = 0; i < pa.length; i++) {
            squares += (pa[i] - ta[i]) * (double) (pa[i] - ta[i]);
            absolute += Math.abs(pa[i] - (double) ta[i]);
        }
        assertEquals(squares / 30, new MeanSquaredError().forward(p, t), 1e-6);
        assertEquals(absolute / 30, new MeanAbsoluteError().forward(p, t), 1e-6);
        // A transposed (non-contiguous) view gives the same as its copy.
        Tensor pt = p.reshape(6, 5).transpose();
        Tensor tt = t.reshape(6, 5).transpose();
        MeanSquaredError mse = new MeanSquaredError();
        float viewed = mse.forward(pt, tt);
        Tensor gradView = mse.backward().copy();
        assertEquals(new MeanSquaredError().forward(pt.copy(), tt.copy()), viewed);
        mse.forward(pt.copy(), tt.copy());
        assertArrayEquals(mse.backward().toArray(), gradView.toArray());
    }

    @Test
    void gradientsAndReductions() {
        Tensor p = Tensor.randn(Shape.of(4, 3), SEED + 2);
        Tensor t = Tensor.randn(Shape.of(4, 3), SEED + 3);
        LossTesting.finiteDifferences(new MeanSquaredError(), p, t, SEED);
        LossTesting.finiteDifferences(new MeanAbsoluteError(Reduction.SUM), p, t, SEED);
        LossTesting.sumIsCountTimesMean(new MeanSquaredError(), new MeanSquaredError(Reduction.SUM), p, t, 12);
        LossTesting.sumIsCountTimesMean(new MeanAbsoluteError(), new MeanAbsoluteError(Reduction.SUM), p, t, 12);
    }

    @Test
    void shapesAndOrderAreChecked() {
        MeanSquaredError mse = new MeanSquaredError();
        assertThrows(IllegalStateException.class, mse::backward);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mse.forward(Tensor.zeros(4, 3), Tensor.zeros(4, 2)));
        assertEquals("MeanSquaredError(mean): target expected (4, 3) (the prediction's shape), got (4, 2)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MeanAbsoluteError().forward(Tensor.zeros(4),
                Tensor.zeros(4, 1)));
        assertThrows(IllegalArgumentException.class, () -> new MeanSquaredError(null));
    }

    @Test
    void nonFiniteValuesPassThrough() {
        Tensor p = Tensor.fromArray(new float[] {Float.NaN, 1}, 2);
        assertEquals(Float.NaN, new MeanSquaredError().forward(p, Tensor.zeros(2)));
        assertEquals(Float.POSITIVE_INFINITY, new MeanAbsoluteError().forward(
                Tensor.fromArray(new float[] {Float.POSITIVE_INFINITY, 1}, 2), Tensor.zeros(2)));
    }

    @Test
    void workspaceReusedAndNoSteadyStateAllocation() {
        Tensor p = Tensor.randn(Shape.of(16, 10), SEED + 4);
        Tensor t = Tensor.randn(Shape.of(16, 10), SEED + 5);
        MeanSquaredError mse = new MeanSquaredError();
        MeanAbsoluteError mae = new MeanAbsoluteError();
        mse.forward(p, t);
        Tensor g = mse.backward();
        mse.forward(t, p);
        assertSame(g, mse.backward());
        assertEquals(0, Allocations.steadyState(() -> {
            mse.forward(p, t);
            mse.backward();
            mae.forward(p, t);
            mae.backward();
        }, 2000, 500));
    }
}
