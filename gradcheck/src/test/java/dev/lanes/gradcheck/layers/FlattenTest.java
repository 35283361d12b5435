package dev.lanes.gradcheck.layers;


import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.FlattenReference;
import dev.lanes.layers.Flatten;
import org.junit.jupiter.api.Test;

/** Flatten: gradient checks and the layer laws over shapes of rank 1 to 4. */
class FlattenTest {
    @Test
    void gradients() {
        Cases.qt(211).forAll(Gens.shapes(1, 4, 3), Gens.trainingModes(), Gens.seeds())
                .checkAssert((shape, training, seed) -> GradCheck.layer(new Flatten())
                        .input(Values.uniform(shape, seed, -2, 2)).training(training).seed(seed).check());
    }

    @Test
    void laws() {
        Cases.qt(212).forAll(Gens.shapes(1, 4, 3), Gens.trainingModes(), Gens.seeds())
                .checkAssert((shape, training, seed) -> LayerLaws.check(new Flatten(), new FlattenReference(),
                        Values.uniform(shape, seed, -2, 2), training, seed, () -> { }));
    }
}
