package dev.lanes.gradcheck.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.Generate.range;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.DropoutReference;
import dev.lanes.layers.Dropout;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Dropout. Its mask is random, so a gradient check fixes it: {@code beforeForward} sets the
 * layer's call counter before every forward ({@link Dropout#setCalls}), so every evaluation of
 * the check draws mask number {@code calls}. The reference gets the same mask, read off the float
 * output (inputs are nonzero, so y = 0 exactly where the element was dropped).
 */
class DropoutTest {
    @Test
    void gradientsWithTheMaskFixedByResettingTheCallCounter() {
        Cases.qt(221).forAll(Gens.shapes(1, 4, 4), range(0, 9), Gens.trainingModes(),
                Gens.seeds()).checkAssert((shape, tenths, training, seed) -> {
                    Dropout dropout = new Dropout(tenths / 10f, seed);
                    long calls = seed % 5;
                    GradCheck.layer(dropout).input(Values.kinkFree(shape, seed)).training(training)
                            .beforeForward(() -> dropout.setCalls(calls)).seed(seed).check();
                });
    }

    @Test
    void laws() {
        Cases.qt(222).forAll(Gens.shapes(1, 4, 4), range(0, 9), Gens.trainingModes(),
                Gens.seeds()).checkAssert((shape, tenths, training, seed) -> {
                    Dropout dropout = new Dropout(tenths / 10f, seed);
                    Tensor x = Values.kinkFree(shape, seed);
                    Runnable fix = () -> dropout.setCalls(3);
                    fix.run();
                    float[] y = dropout.forward(x, true).toArray();
                    boolean[] keep = new boolean[y.length];
                    for (int i = 0; i < y.length; i++) {
                        keep[i] = y[i] != 0;
                    }
                    DropoutReference reference = new DropoutReference(tenths / 10.0).mask(keep);
                    LayerLaws.check(dropout, reference, x, training, seed, fix);
                });
    }

    @Test
    void theMaskDropsAboutPOfTheElementsAndChangesFromCallToCall() {
        Shape shape = Shape.of(100, 100);
        Tensor x = Tensor.ones(shape);
        for (float p : new float[] {0.1f, 0.5f, 0.9f}) {
            Dropout dropout = new Dropout(p, 77);
            float[] first = dropout.forward(x, true).toArray();
            float[] second = dropout.forward(x, true).toArray();
            int dropped = 0;
            int differ = 0;
            for (int i = 0; i < first.length; i++) {
                dropped += first[i] == 0 ? 1 : 0;
                differ += (first[i] == 0) != (second[i] == 0) ? 1 : 0;
            }
            // Binomial(10000, p): 5 standard deviations is at most 250 elements.
            double sd = Math.sqrt(10_000 * p * (1 - p));
            assertTrue(Math.abs(dropped - 10_000 * p) < 5 * sd, "p " + p + ": dropped " + dropped);
            // Two independent masks differ in 2p(1-p) of the elements.
            assertTrue(Math.abs(differ - 20_000 * p * (1 - p)) < 5 * Math.sqrt(10_000 * 2 * p * (1 - p)),
                    "p " + p + ": masks differ in " + differ);
            dropout.setCalls(0);
            assertArrayEquals(first, dropout.forward(x, true).toArray(), "p " + p + ": mask 0 again");
            assertArrayEquals(x.toArray(), dropout.forward(x, false).toArray(), "inference is the identity");
        }
    }
}
