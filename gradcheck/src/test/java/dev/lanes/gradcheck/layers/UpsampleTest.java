package dev.lanes.gradcheck.layers;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.UpsampleConfig;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.Upsample2dReference;
import dev.lanes.layers.Upsample2d;
import org.junit.jupiter.api.Test;

/** Nearest and bilinear upsampling over generated sizes and factors, training and inference mode. */
class UpsampleTest {
    static Upsample2d layer(UpsampleConfig c) {
        return c.bilinear() ? Upsample2d.bilinear(c.scaleHeight(), c.scaleWidth())
                : Upsample2d.nearest(c.scaleHeight(), c.scaleWidth());
    }

    @Test
    void gradients() {
        Cases.qt(295).forAll(Gens.upsample(), Gens.trainingModes(), Gens.seeds())
                .checkAssert((c, training, seed) -> GradCheck.layer(layer(c))
                        .input(Values.uniform(c.inputShape(), seed, -2, 2)).training(training).seed(seed).check());
    }

    @Test
    void laws() {
        Cases.qt(296).forAll(Gens.upsample(), Gens.trainingModes(), Gens.seeds())
                .checkAssert((c, training, seed) -> LayerLaws.check(layer(c),
                        new Upsample2dReference(c.bilinear(), c.scaleHeight(), c.scaleWidth()),
                        Values.uniform(c.inputShape(), seed, -2, 2), training, seed, () -> { }));
    }
}
