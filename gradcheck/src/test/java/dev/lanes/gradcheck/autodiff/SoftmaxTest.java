package dev.lanes.gradcheck.autodiff;

import static org.quicktheories.generators.SourceDSL.booleans;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import org.junit.jupiter.api.Test;

/** Softmax and log-softmax along the last axis, over shapes of rank 1 to 3, inputs in [-3, 3). */
class SoftmaxTest {
    @Test
    void softmaxAndLogSoftmax() {
        Cases.qt(1651).forAll(booleans().all(), Gens.shapes(1, 3, 5), Gens.seeds()).checkAssert((log, shape, seed) ->
                Oracles.check((log ? "logSoftmax " : "softmax ") + shape,
                        in -> log ? in[0].logSoftmax() : in[0].softmax(), seed, Values.uniform(shape, seed, -3, 3)));
    }
}
