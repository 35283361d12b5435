package dev.lanes.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.layers.loss.MultiClassHinge.Formulation;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Loss laws the hand cases left open: a loss reused on another prediction gives the gradient of a
 * fresh one; the multi-class hinge's indicator [margin &gt; 0] is 0 at a margin of exactly 0 and
 * its Crammer-Singer rival may be class 0; soft targets that sum to slightly less than one get the
 * gradient softmax · Σt − t; shapes that do not match are refused by name.
 */
class LossLawsTest {
    private static final long SEED = 0x1055L;

    @Test
    void aReusedHingeGivesTheGradientOfAFreshOne() {
        for (Formulation formulation : Formulation.values()) {
            Tensor first = Tensor.randn(Shape.of(6, 4), SEED);
            Tensor second = Tensor.randn(Shape.of(6, 4), SEED + 1);
            Tensor targets = LossTesting.classIndices(SEED + 2, 6, 4);
            MultiClassHinge reused = new MultiClassHinge(formulation, Reduction.SUM);
            reused.forward(first, targets);
            reused.backward();
            float value = reused.forward(second, targets);
            float[] gradient = reused.backward().toArray();
            MultiClassHinge fresh = new MultiClassHinge(formulation, Reduction.SUM);
            assertEquals(fresh.forward(second, targets), value, formulation + " (seed " + SEED + ")");
            assertArrayEquals(fresh.backward().toArray(), gradient, formulation + " (seed " + SEED + ")");
            assertSame(formulation, reused.formulation());
        }
    }

    @Test
    void hingeIndicatorIsZeroAtAMarginOfExactlyZero() {
        // row 0: class 0 scores 1, the others 0 and -1: margins 1 + 0 - 1 = 0 and -1, no violation
        // row 1: target 1 (score 0.5), rival class 0 (score 2), margin 2.5
        Tensor s = Tensor.fromArray(new float[] {1, 0, -1, 2, 0.5f, 1.5f}, 2, 3);
        Tensor y = Tensor.fromArray(new float[] {0, 1}, 2);
        MultiClassHinge ww = new MultiClassHinge(Formulation.WESTON_WATKINS, Reduction.SUM);
        assertEquals(0f + 2.5f + 2f, ww.forward(s, y));
        assertArrayEquals(new float[] {0, 0, 0, 1, -2, 1}, ww.backward().toArray(), 0f);
        MultiClassHinge cs = new MultiClassHinge(Formulation.CRAMMER_SINGER, Reduction.SUM);
        assertEquals(2.5f, cs.forward(s, y));
        assertArrayEquals(new float[] {0, 0, 0, 1, -1, 0}, cs.backward().toArray(), 0f);
    }

    /** Rows summing to 1 - 4e-4 (within the tolerance of 1e-3): dL/dz = s (softmax Σt - t). */
    @Test
    void softTargetsGetSoftmaxTimesTheirMassMinusThemselves() {
        Tensor z = Tensor.randn(Shape.of(3, 4), SEED + 5);
        float[] t = {0.2f, 0.3f, 0.4996f, 0f, 0f, 0f, 0.9996f, 0f, 0.25f, 0.25f, 0.25f, 0.2496f};
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.SUM);
        loss.forward(z, Tensor.fromArray(t, 3, 4));
        float[] g = loss.backward().toArray();
        for (int i = 0; i < 3; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 4; j++) {
                max = Math.max(max, z.get(i, j));
            }
            double sum = 0;
            double mass = 0;
            for (int j = 0; j < 4; j++) {
                sum += Math.exp(z.get(i, j) - max);
                mass += t[i * 4 + j];
            }
            for (int j = 0; j < 4; j++) {
                double expected = Math.exp(z.get(i, j) - max) / sum * mass - t[i * 4 + j];
                assertEquals(expected, g[i * 4 + j], 1e-6, "(" + i + ", " + j + ") (seed " + (SEED + 5) + ")");
            }
        }
    }

    /** A logit of +Inf on a wrong class: log Σ exp is +Inf, and so is the loss. */
    @Test
    void anInfiniteLogitOnAWrongClassGivesAnInfiniteLoss() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.SUM);
        float value = loss.forward(Tensor.fromArray(new float[] {Float.POSITIVE_INFINITY, 0f, 1f}, 1, 3),
                Tensor.fromArray(new float[] {1}, 1));
        assertEquals(Float.POSITIVE_INFINITY, value);
    }

    @Test
    void mismatchedShapesAreRefusedByName() {
        BinaryCrossEntropy bce = new BinaryCrossEntropy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bce.forward(Tensor.full(Shape.of(2, 3), 0.5f), Tensor.full(Shape.of(3, 2), 1f)));
        assertEquals(bce.name() + ": target expected (2, 3) (the prediction's shape), got (3, 2)", e.getMessage());
        MultiClassHinge hinge = new MultiClassHinge();
        e = assertThrows(IllegalArgumentException.class,
                () -> hinge.forward(Tensor.fromArray(new float[] {1, 2, 3}, 3), Tensor.fromArray(new float[] {0}, 1)));
        assertEquals(hinge.name() + ": prediction expected (N, classes), got (3)", e.getMessage());
    }
}
