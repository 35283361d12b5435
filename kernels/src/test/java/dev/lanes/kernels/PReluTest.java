package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.scalar.ScalarKernels;
import dev.lanes.kernels.spi.ActivationKernel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * PReLU through the facade against the scalar set: the same bits for every plane length (every
 * vector tail), special values included; the slope gradient against a double sum; bad arguments.
 */
class PReluTest {
    private final ActivationKernel scalar = new ScalarKernels().activations();

    @Test
    void matchesTheScalarSetBitForBit() {
        long seed = 31;
        SplittableRandom random = new SplittableRandom(seed);
        for (int spatial : new int[] {1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 65, 129}) {
            int batch = 2;
            int channels = 3;
            int length = batch * channels * spatial;
            float[] x = FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, length, -4, 4));
            float[] g = FloatTesting.uniform(random, length, -2, 2);
            float[] slope = FloatTesting.uniform(random, channels, -0.5f, 0.5f);
            float[] y = new float[length];
            float[] expectedY = new float[length];
            Activations.prelu(y, 0, x, 0, slope, 0, batch, channels, spatial);
            scalar.preluForward(expectedY, 0, x, 0, slope, 0, batch, channels, spatial);
            assertSameBits("forward, spatial " + spatial + " (seed " + seed + ")", expectedY, y);
            float[] dx = new float[length];
            float[] expectedDx = new float[length];
            float[] gradSlope = {0.5f, -1f, 2f};
            float[] expectedGradSlope = gradSlope.clone();
            Activations.preluBackward(dx, 0, gradSlope, 0, g, 0, x, 0, slope, 0, batch, channels, spatial);
            scalar.preluBackward(expectedDx, 0, expectedGradSlope, 0, g, 0, x, 0, slope, 0, batch, channels, spatial);
            assertSameBits("backward, spatial " + spatial + " (seed " + seed + ")", expectedDx, dx);
            assertSameBits("slope gradient, spatial " + spatial + " (seed " + seed + ")", expectedGradSlope, gradSlope);
        }
    }

    @Test
    void slopeGradientIsTheSumOverNonPositiveInputs() {
        float[] x = {1f, -2f, 0f, -0.5f, 3f, -1f, -4f, 2f};
        float[] g = {5f, 1f, 7f, 2f, 9f, 3f, 0.5f, 11f};
        float[] slope = {0.1f, 0.2f};
        float[] gradSlope = {1f, 0f};
        float[] dx = new float[8];
        // (batch 2, channels 2, spatial 2): channel 0 holds x[0..1] and x[4..5], channel 1 x[2..3] and x[6..7]
        Activations.preluBackward(dx, 0, gradSlope, 0, g, 0, x, 0, slope, 0, 2, 2, 2);
        assertEquals(1f + (1f * -2f) + (3f * -1f), gradSlope[0]);
        assertEquals((7f * 0f) + (2f * -0.5f) + (0.5f * -4f), gradSlope[1]);
        assertArrayEquals(new float[] {5f, 0.1f, 0.2f * 7f, 0.2f * 2f, 9f, 0.1f * 3f, 0.2f * 0.5f, 11f}, dx);
    }

    @Test
    void nanPropagates() {
        float[] x = {Float.NaN, 1f};
        float[] y = new float[2];
        float[] slope = {0.25f};
        Activations.prelu(y, 0, x, 0, slope, 0, 1, 1, 2);
        assertTrue(Float.isNaN(y[0]));
        float[] dx = new float[2];
        float[] gradSlope = new float[1];
        Activations.preluBackward(dx, 0, gradSlope, 0, new float[] {1f, 1f}, 0, x, 0, slope, 0, 1, 1, 2);
        assertTrue(Float.isNaN(dx[0]));
        assertTrue(Float.isNaN(gradSlope[0]));
    }

    @Test
    void badArgumentsAreNamed() {
        float[] a = new float[12];
        float[] slope = new float[3];
        assertMessage("slope is too short", () -> Activations.prelu(a, 0, a, 0, new float[2], 0, 2, 3, 2));
        assertMessage("in is too short", () -> Activations.prelu(new float[12], 0, new float[11], 0, slope, 0, 2, 3, 2));
        assertMessage("channels must be non-negative", () -> Activations.prelu(a, 0, a, 0, slope, 0, 2, -3, 2));
        assertMessage("overlap", () -> Activations.prelu(a, 1, a, 0, slope, 0, 1, 3, 2));
        assertMessage("exceeds", () -> Activations.prelu(a, 0, a, 0, slope, 0, 1 << 16, 3, 1 << 16));
        assertMessage("gradSlope [0, 3) and gradOut [0, 12) overlap in the same array",
                () -> Activations.preluBackward(new float[12], 0, a, 0, a, 0, new float[12], 0, slope, 0, 2, 3, 2));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
