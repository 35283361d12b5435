package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.Generate.booleans;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.DenseConfig;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.layers.Dense;
import org.junit.jupiter.api.Test;

/** Dense: gradient checks and the layer laws over generated sizes, with and without bias. */
class DenseTest {

    static Dense dense(DenseConfig c, boolean bias, long seed) {
        Dense dense = new Dense(c.inFeatures(), c.outFeatures(), bias, seed);
        if (bias) {
            Twins.randomize(dense.bias(), seed + 5, -1, 1);
        }
        return dense;
    }

    @Test
    void gradients() {
        Cases.qt(201).forAll(Gens.dense(), booleans(), Gens.trainingModes(),
                Gens.seeds()).checkAssert((c, bias, training, seed) -> GradCheck.layer(dense(c, bias, seed))
                        .input(Values.uniform(c.inputShape(), seed, -2, 2)).training(training).seed(seed).check());
    }

    @Test
    void laws() {
        Cases.qt(202).forAll(Gens.dense(), booleans(), Gens.trainingModes(),
                Gens.seeds()).checkAssert((c, bias, training, seed) -> {
                    Dense dense = dense(c, bias, seed);
                    LayerLaws.check(dense, Twins.of(dense), Values.uniform(c.inputShape(), seed, -2, 2), training,
                            seed, () -> { });
                });
    }
}
