package dev.lanes.gradcheck.autodiff;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.autodiff.Function;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Sum, mean and max of all elements or along an axis (kept or removed), over shapes of rank 1 to
 * 3; max sees values without ties (at least 1/16 apart), so the central differences do not cross
 * a switch of the maximum.
 */
class ReductionTest {
    @Test
    void sumMeanMax() {
        Cases.qt(1631).forAll(integers().between(0, 5), Gens.shapes(1, 3, 4), integers().between(-1, 2),
                Gens.seeds()).checkAssert((op, shape, axisChoice, seed) -> {
                    int axis = Math.min(axisChoice, shape.rank() - 1);
                    boolean keep = seed % 2 == 0;
                    Function f = switch (op) {
                        case 0 -> in -> in[0].sum();
                        case 1 -> in -> in[0].mean();
                        case 2 -> in -> in[0].max();
                        case 3 -> in -> in[0].sum(axis, keep);
                        case 4 -> in -> in[0].mean(axis, keep);
                        default -> in -> in[0].max(axis, keep);
                    };
                    Tensor x = op == 2 || op == 5 ? Values.distinct(shape, seed, Values.DEFAULT_GAP, shape.size()) : Values.uniform(shape, seed, -2, 2);
                    Oracles.check("reduction " + op + " axis " + axis + " keep " + keep + " " + shape, f, seed, x);
                });
    }
}
