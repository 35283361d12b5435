package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.Generate.range;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.layers.PReLU;
import dev.lanes.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * PReLU's input and slope gradients against central differences, over inputs of rank 2 to 4 in
 * [-4, 4) at least 0.05 from the kink at 0, with slopes drawn from [-0.5, 1.5) (negative and above
 * one included, so a slope mix-up or a clamp shows).
 */
class PReluTest {
    /** (n, C, ...) with rank 2 to 4 and small dimensions. */
    static Gen<Shape> shapes() {
        return in -> {
            int rank = range(2, 4).generate(in);
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = range(1, 3).generate(in);
            }
            return Shape.of(dims);
        };
    }

    @Test
    void gradients() {
        Cases.qt(331).forAll(shapes(), Gens.trainingModes(), Gens.seeds()).checkAssert((shape, training, seed) -> {
            PReLU layer = new PReLU(shape.dim(1));
            Twins.randomize(layer.slope(), seed + 1, -0.5, 1.5);
            GradCheck.layer(layer).input(Values.awayFrom(shape, seed, -4, 4, Values.DEFAULT_MARGIN, 0))
                    .training(training).seed(seed).check();
        });
    }
}
