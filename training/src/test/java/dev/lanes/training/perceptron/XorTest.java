package dev.lanes.training.perceptron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XorTest {
    @TempDir
    Path directory;

    @Test
    void theDecksThresholdNetworkComputesXor() {
        Tensor output = Xor.thresholdNetwork().forward(Xor.inputs(), false);
        int[] labels = Xor.labels();
        for (int i = 0; i < 4; i++) {
            assertEquals(labels[i], output.get(i, 0), "input " + i);
        }
    }

    @Test
    void withoutAHiddenLayerBackpropagationCannotSolveXor() {
        for (long seed = 0; seed < 5; seed++) {
            Sequential single = Sequential.builder(Shape.of(2)).add(new Dense(2, 1, seed))
                    .add(ActivationLayer.sigmoid()).build();
            assertFalse(Xor.train(single, 500, 2).solved(), "seed " + seed);
        }
    }

    @Test
    void aSolvingRunReachesZeroLossAndMostInitialisationsSolveXor() {
        for (Xor.Hidden hidden : Xor.Hidden.values()) {
            Xor.SuccessShare share = Xor.successShare(hidden, 12, 2000, 2);
            // Measured over 100 seeds: 76 (sigmoid) and 58 (tanh) solve it; the others stall where
            // two inputs give 0.5 (loss 0.125), a local minimum of the squared error.
            assertTrue(share.solved() >= 4, hidden + ": " + share);
            Sequential network = Xor.network(hidden, share.firstSolvedSeed());
            Xor.Run run = Xor.train(network, 2000, 2);
            assertTrue(run.solved() && run.loss() < 0.01f, hidden + ": " + run);
        }
    }

    @Test
    void theDecisionBoundaryChartIsWritten() throws Exception {
        Path png = directory.resolve("boundary.png");
        DecisionBoundary.write(png, List.of(new DecisionBoundary.Panel("threshold", Xor.thresholdNetwork()),
                new DecisionBoundary.Panel("sigmoid", Xor.network(Xor.Hidden.SIGMOID, 1))));
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G');
    }
}
