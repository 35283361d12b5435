package dev.lanes.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.layers.Allocations;
import dev.lanes.layers.loss.MultiClassHinge.Formulation;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hinge (binary) and MultiClassHinge (both formulations). */
class HingeTest {
    private static final long SEED = 0x419eL;

    @Test
    void binaryHandCase() {
        Hinge hinge = new Hinge();
        Tensor y = Tensor.fromArray(new float[] {2, 0.5f, -1, -3}, 4);
        Tensor t = Tensor.fromArray(new float[] {1, 1, 1, -1}, 4);
        // Terms 0, 0.5, 2, 0.
        assertEquals(2.5f / 4, hinge.forward(y, t), 1e-7f);
        assertArrayEquals(new float[] {0, -0.25f, -0.25f, 0}, hinge.backward().toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hinge.forward(y, Tensor.fromArray(new float[] {1, 0, 1, -1}, 4)));
        assertEquals("Hinge(mean): target element 1 = 0.0 is not -1 or +1", e.getMessage());
        assertThrows(IllegalStateException.class, hinge::backward);
    }

    @Test
    void multiClassHandCases() {
        Tensor s = Tensor.fromArray(new float[] {3, 1, 2.5f, 1, 2, 3}, 2, 3);
        Tensor y = Tensor.fromArray(new float[] {0, 0}, 2);
        MultiClassHinge ww = new MultiClassHinge(Formulation.WESTON_WATKINS, Reduction.SUM);
        MultiClassHinge cs = new MultiClassHinge(Formulation.CRAMMER_SINGER, Reduction.SUM);
        // Row 0: margins 1 + 1 − 3 = −1 (inactive), 1 + 2.5 − 3 = 0.5. Row 1: 1 + 2 − 1 = 2, 1 + 3 − 1 = 3.
        assertEquals(0.5f + 5f, ww.forward(s, y));
        assertArrayEquals(new float[] {-1, 0, 1, -2, 1, 1}, ww.backward().toArray());
        // Crammer-Singer: only the largest rival, 2.5 in row 0 and 3 in row 1.
        assertEquals(0.5f + 3f, cs.forward(s, y));
        assertArrayEquals(new float[] {-1, 0, 1, -1, 0, 1}, cs.backward().toArray());
        assertEquals("MultiClassHinge[Crammer-Singer](sum)", cs.name());
    }

    @Test
    void multiClassMatchesNaiveLoops() {
        Tensor s = Tensor.randn(Shape.of(7, 4), SEED);
        Tensor y = LossTesting.classIndices(SEED + 1, 7, 4);
        double ww = 0;
        double cs = 0;
        for (int i = 0; i < 7; i++) {
            int label = (int) y.get(i);
            double rival = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 4; j++) {
                if (j != label) {
                    ww += Math.max(0, 1 + s.get(i, j) - (double) s.get(i, label));
                    rival = Math.max(rival, s.get(i, j));
                }
            }
            cs += Math.max(0, 1 + rival - s.get(i, label));
        }
        assertEquals(ww / 7, new MultiClassHinge().forward(s, y), 1e-6, "seed " + SEED);
        assertEquals(cs / 7, new MultiClassHinge(Formulation.CRAMMER_SINGER, Reduction.MEAN).forward(s, y), 1e-6);
    }

    @Test
    void gradientsAndReductions() {
        // Distinct multiples of 0.3 within each row: rivals never tie, and a margin 1 + 0.3·m is
        // never nearer its kink than 0.1, far more than the finite-difference step.
        SplittableRandom random = new SplittableRandom(SEED + 2);
        float[] values = new float[15];
        for (int row = 0; row < 5; row++) {
            int[] pool = {-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5};
            for (int j = 0; j < 3; j++) {
                int pick = j + random.nextInt(pool.length - j);
                int chosen = pool[pick];
                pool[pick] = pool[j];
                pool[j] = chosen;
                values[row * 3 + j] = 0.3f * chosen;
            }
        }
        Tensor s = Tensor.fromArray(values, 5, 3);
        Tensor y = LossTesting.classIndices(SEED + 3, 5, 3);
        for (Formulation f : Formulation.values()) {
            LossTesting.finiteDifferences(new MultiClassHinge(f, Reduction.MEAN), s, y, SEED);
            LossTesting.sumIsCountTimesMean(new MultiClassHinge(f, Reduction.MEAN),
                    new MultiClassHinge(f, Reduction.SUM), s, y, 5);
        }
        Tensor scores = Tensor.fromArray(java.util.Arrays.copyOf(values, 6), 6);
        Tensor labels = Tensor.fromArray(new float[] {1, -1, 1, 1, -1, -1}, 6);
        LossTesting.finiteDifferences(new Hinge(), scores, labels, SEED);
        LossTesting.sumIsCountTimesMean(new Hinge(), new Hinge(Reduction.SUM), scores, labels, 6);
    }

    @Test
    void multiClassShapesAndTargetsAreChecked() {
        MultiClassHinge hinge = new MultiClassHinge();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hinge.forward(Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
        assertEquals("MultiClassHinge[Weston-Watkins](mean): target expected (2) (class indices), got (2, 3)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> hinge.forward(Tensor.zeros(2, 3), Tensor.fromArray(new float[] {1, -1}, 2)));
        assertEquals("MultiClassHinge[Weston-Watkins](mean): target[1] = -1.0 is not a class index in [0, 3)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MultiClassHinge(null, Reduction.MEAN));
    }

    @Test
    void noSteadyStateAllocation() {
        Tensor s = Tensor.randn(Shape.of(32, 10), SEED + 4);
        Tensor y = LossTesting.classIndices(SEED + 5, 32, 10);
        Tensor scores = Tensor.randn(Shape.of(32), SEED + 6);
        Tensor labels = Tensor.ones(32);
        MultiClassHinge ww = new MultiClassHinge();
        MultiClassHinge cs = new MultiClassHinge(Formulation.CRAMMER_SINGER, Reduction.MEAN);
        Hinge hinge = new Hinge();
        assertEquals(0, Allocations.steadyState(() -> {
            ww.forward(s, y);
            ww.backward();
            cs.forward(s, y);
            cs.backward();
            hinge.forward(scores, labels);
            hinge.backward();
        }, 2000, 500));
    }
}
