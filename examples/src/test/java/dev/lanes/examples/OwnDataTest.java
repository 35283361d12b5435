package dev.lanes.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's project of this module, through the published artifacts only: it learns its own
 * arrays, and the model loaded from the file answers exactly as the trained one.
 */
class OwnDataTest {
    private static final long SEED = 1;

    @TempDir
    Path folder;

    @Test
    void trainsOnItsArraysSavesLoadsAndPredicts() throws Exception {
        OwnData.Result result = OwnData.run(folder, SEED);
        assertTrue(Files.size(result.file()) > 0);
        assertTrue(result.accuracy() > 0.9, "test accuracy " + result.accuracy() + " (seed " + SEED + ")");
        int correct = 0;
        for (int i = 0; i < result.labels().length; i++) {
            assertArrayEquals(result.trained().probabilities(i), result.loaded().probabilities(i), "image " + i);
            correct += result.loaded().label(i) == result.labels()[i] ? 1 : 0;
        }
        assertEquals(result.accuracy(), correct / (double) result.labels().length, 1e-12,
                "the loaded model's predictions give the trainer's accuracy");
    }
}
