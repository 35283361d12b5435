package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.panama.pool.PanamaPool2d;
import dev.lanes.kernels.scalar.ScalarPool2d;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The Pool2d facade: global pooling, the gradients as adjoints and against central differences,
 * thread-count independence, the NaN and tie rules on hand-made windows, and every error path.
 */
class Pool2dFacadeTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    @Tag("panama")
    void vectorImplementationIsInUse() {
        assertEquals("PanamaPool2d", Pool2d.implementation());
    }

    @Test
    void maxRules() {
        // one 1x5 window: NaN wins at its first position; without NaN the first of equal maxima, +0 over -0
        PoolGeometry g = PoolGeometry.builder().input(1, 1, 5).kernel(1, 5).build();
        float[][] inputs = {
                {1f, Float.NaN, 3f, Float.NaN, Float.POSITIVE_INFINITY},
                {2f, 5f, -1f, 5f, 4f},
                {-0f, -1f, 0f, -0f, 0f},
                {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, -3f, -3f, -4f}};
        int[] expectedIndex = {1, 1, 2, 2};
        for (int i = 0; i < inputs.length; i++) {
            float[] out = new float[1];
            int[] argmax = new int[1];
            Pool2d.maxForward(out, 0, argmax, 0, inputs[i], 0, g, 1);
            assertEquals(expectedIndex[i], argmax[0], Arrays.toString(inputs[i]));
            assertEquals(Float.floatToRawIntBits(inputs[i][expectedIndex[i]]), Float.floatToRawIntBits(out[0]),
                    Arrays.toString(inputs[i]));
        }
    }

    @Test
    void paddingNeverWins() {
        PoolGeometry g = PoolGeometry.builder().input(1, 2, 2).kernel(2, 2).stride(1, 1).padding(1).build();
        float[] in = {-5f, -6f, -7f, -8f};
        float[] out = new float[9];
        int[] argmax = new int[9];
        Pool2d.maxForward(out, 0, argmax, 0, in, 0, g, 1);
        assertArrayEquals(new float[] {-5, -5, -6, -5, -5, -6, -7, -7, -8}, out);
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 1, 2, 2, 3}, argmax);
    }

    @Test
    void countIncludePad() {
        PoolGeometry g = PoolGeometry.builder().input(1, 2, 2).kernel(2, 2).stride(1, 1).padding(1).build();
        float[] in = {4f, 8f, 12f, 16f};
        float[] include = new float[9];
        float[] exclude = new float[9];
        Pool2d.avgForward(include, 0, in, 0, g, 1, true);
        Pool2d.avgForward(exclude, 0, in, 0, g, 1, false);
        assertArrayEquals(new float[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, include);
        assertArrayEquals(new float[] {4, 6, 8, 8, 10, 12, 12, 14, 16}, exclude);
    }

    @Test
    void globalPooling() {
        SplittableRandom random = new SplittableRandom(11);
        for (int plane : new int[] {1, 3, 15, 16, 17, 64, 100, 333}) {
            int batch = 2;
            int channels = 3;
            float[] in = ConvTesting.random(random, batch * channels * plane);
            for (int i = 0; i < in.length; i += 7) {
                in[i] = in[Math.max(0, i - 5)];
            }
            if (plane > 5) {
                in[plane + 4] = Float.NaN;
                in[plane + 2] = Float.NaN;
            }
            float[] max = new float[batch * channels];
            int[] argmax = new int[max.length];
            Pool2d.globalMaxForward(max, 0, argmax, 0, in, 0, batch, channels, plane);
            float[] mean = new float[max.length];
            Pool2d.globalAvgForward(mean, 0, in, 0, batch, channels, plane);
            int[] all = new int[plane];
            Arrays.setAll(all, j -> j);
            for (int i = 0; i < max.length; i++) {
                int index = PoolTesting.maxIndex(in, i * plane, all);
                assertEquals(index, argmax[i], "plane size " + plane + ", plane " + i);
                assertEquals(Float.floatToRawIntBits(in[i * plane + index]), Float.floatToRawIntBits(max[i]));
                double sum = 0;
                double magnitude = 0;
                for (int j = 0; j < plane; j++) {
                    sum += in[i * plane + j];
                    magnitude += Math.abs(in[i * plane + j]);
                }
                if (Double.isNaN(sum)) {
                    assertTrue(Float.isNaN(mean[i]));
                } else {
                    assertTrue(Math.abs(mean[i] - sum / plane) <= (plane + 1) * ConvTesting.U * magnitude / plane + Float.MIN_VALUE,
                            "mean of plane " + i + " size " + plane);
                }
            }
            float[] gradOut = ConvTesting.random(random, max.length);
            float[] gradIn = new float[in.length];
            Pool2d.globalMaxBackward(gradIn, 0, gradOut, 0, argmax, 0, batch, channels, plane);
            float[] expected = new float[in.length];
            for (int i = 0; i < max.length; i++) {
                expected[i * plane + argmax[i]] = gradOut[i];
            }
            assertArrayEquals(expected, gradIn);
            Pool2d.globalAvgBackward(gradIn, 0, gradOut, 0, batch, channels, plane);
            for (int i = 0; i < in.length; i++) {
                assertEquals(gradOut[i / plane] / plane, gradIn[i]);
            }
        }
    }

    /**
     * Global max pooling (the set in use and the scalar set) picks the first of equal maxima
     * wherever they lie (in different vector lanes, in the same lane, in the tail past the last
     * whole vector): repeated finite maxima, a +0 among -0s (+0 is the larger), repeated NaNs (the
     * first NaN wins).
     */
    @Test
    void globalMaxTakesTheFirstOfEqualMaxima() {
        long seed = 12;
        SplittableRandom random = new SplittableRandom(seed);
        float[][] maxima = {{2.5f, 2.5f, 2.5f}, {-0f, 0f, -0f, 0f}, {Float.NaN, 7f, Float.NaN}};
        for (int plane : new int[] {3, 5, 16, 17, 40, 100}) {
            for (int example = 0; example < 20; example++) {
                int batch = 2;
                int channels = 3;
                float[] in = FloatTesting.uniform(random, batch * channels * plane, -3, -1);
                for (int p = 0; p < batch * channels; p++) {
                    for (float value : maxima[random.nextInt(maxima.length)]) {
                        in[p * plane + random.nextInt(plane)] = value;
                    }
                }
                float[] max = new float[batch * channels];
                int[] argmax = new int[max.length];
                Pool2d.globalMaxForward(max, 0, argmax, 0, in, 0, batch, channels, plane);
                float[] scalarMax = new float[max.length];
                int[] scalarArgmax = new int[max.length];
                new ScalarPool2d().globalMaxForward(scalarMax, 0, scalarArgmax, 0, in, 0, max.length, plane);
                int[] all = new int[plane];
                Arrays.setAll(all, j -> j);
                for (int p = 0; p < max.length; p++) {
                    int expected = PoolTesting.maxIndex(in, p * plane, all);
                    String what = "plane size " + plane + ", plane " + p + ", example " + example + " (seed " + seed
                            + ")";
                    assertEquals(expected, argmax[p], what);
                    assertEquals(Float.floatToRawIntBits(in[p * plane + expected]), Float.floatToRawIntBits(max[p]),
                            what);
                    assertEquals(expected, scalarArgmax[p], "scalar set, " + what);
                    assertEquals(Float.floatToRawIntBits(in[p * plane + expected]),
                            Float.floatToRawIntBits(scalarMax[p]), "scalar set, " + what);
                }
            }
        }
    }

    @Test
    @Tag("panama")
    void globalAverageMatchesScalarWithinItsBound() {
        SplittableRandom random = new SplittableRandom(12);
        int plane = 777;
        float[] in = ConvTesting.random(random, 4 * plane);
        float[] vector = new float[4];
        float[] scalar = new float[4];
        new PanamaPool2d().globalAvgForward(vector, 0, in, 0, 4, plane);
        new ScalarPool2d().globalAvgForward(scalar, 0, in, 0, 4, plane);
        for (int i = 0; i < 4; i++) {
            assertTrue(Math.abs(vector[i] - scalar[i]) <= 2 * (plane + 1) * ConvTesting.U, "plane " + i);
        }
    }

    /** <gradOut, pool(in)> = <poolBackward(gradOut), in> for max (exact copies) and average. */
    @Test
    void gradientsAreAdjoints() {
        SplittableRandom random = new SplittableRandom(13);
        PoolGeometry g = PoolGeometry.builder().input(3, 13, 21).kernel(3, 3).stride(2, 2).padding(1).ceilMode(true).build();
        int batch = 2;
        float[] in = ConvTesting.random(random, batch * g.inputSize());
        float[] gradOut = ConvTesting.random(random, batch * g.outputSize());
        float[] out = new float[gradOut.length];
        int[] argmax = new int[gradOut.length];
        float[] gradIn = new float[in.length];
        Pool2d.maxForward(out, 0, argmax, 0, in, 0, g, batch);
        Pool2d.maxBackward(gradIn, 0, gradOut, 0, argmax, 0, g, batch);
        assertAdjoint("max", gradOut, out, gradIn, in, 9);
        for (boolean includePad : new boolean[] {false, true}) {
            Pool2d.avgForward(out, 0, in, 0, g, batch, includePad);
            Pool2d.avgBackward(gradIn, 0, gradOut, 0, g, batch, includePad);
            assertAdjoint("average " + includePad, gradOut, out, gradIn, in, 11);
        }
    }

    private static void assertAdjoint(String what, float[] gradOut, float[] out, float[] gradIn, float[] in, int terms) {
        double left = 0;
        double right = 0;
        double magnitude = 0;
        for (int i = 0; i < out.length; i++) {
            left += (double) gradOut[i] * out[i];
            magnitude += Math.abs((double) gradOut[i] * out[i]);
        }
        for (int i = 0; i < in.length; i++) {
            right += (double) gradIn[i] * in[i];
            magnitude += Math.abs((double) gradIn[i] * in[i]);
        }
        // every output and every gradient element is within terms roundings of exact (|values| <= 1)
        double bound = terms * ConvTesting.U * (out.length + in.length) + 1e-12;
        assertTrue(Math.abs(left - right) <= bound, what + ": " + left + " vs " + right + " (magnitude " + magnitude + ")");
    }

    /**
     * Central differences of L = sum(gradOut * maxpool(in)) with distinct inputs at least 0.01
     * apart and a step of 0.001, so no perturbation changes a window's winner: the quotient is
     * exactly the gradient up to rounding.
     */
    @Test
    void maxGradientMatchesCentralDifferences() {
        PoolGeometry g = PoolGeometry.builder().input(2, 7, 9).kernel(3, 2).stride(2, 1).padding(1, 0, 1, 0).build();
        int batch = 1;
        int n = g.inputSize();
        float[] in = new float[n];
        int[] order = new SplittableRandom(14).ints(0, n).distinct().limit(n).toArray();
        for (int i = 0; i < n; i++) {
            in[order[i]] = (i - n / 2) * 0.01f;
        }
        float[] gradOut = ConvTesting.random(new SplittableRandom(15), g.outputSize());
        float[] out = new float[gradOut.length];
        int[] argmax = new int[out.length];
        Pool2d.maxForward(out, 0, argmax, 0, in, 0, g, batch);
        float[] gradIn = new float[n];
        Pool2d.maxBackward(gradIn, 0, gradOut, 0, argmax, 0, g, batch);
        float step = 1e-3f;
        for (int i = 0; i < n; i++) {
            float saved = in[i];
            in[i] = saved + step;
            double plus = loss(g, in, gradOut);
            in[i] = saved - step;
            double minus = loss(g, in, gradOut);
            in[i] = saved;
            double numeric = (plus - minus) / (2 * step);
            // L is exact in double but x +/- step rounds in float: relative 2^-24 of |x| <= 1 over 2*step
            double bound = 2 * ConvTesting.U * 6 * 1.0 / (2 * step) + 1e-6;
            assertTrue(Math.abs(numeric - gradIn[i]) <= bound,
                    "element " + i + ": numeric " + numeric + ", analytic " + gradIn[i]);
        }
    }

    private static double loss(PoolGeometry g, float[] in, float[] gradOut) {
        float[] out = new float[gradOut.length];
        Pool2d.maxForward(out, 0, new int[out.length], 0, in, 0, g, 1);
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += (double) gradOut[i] * out[i];
        }
        return sum;
    }

    @Test
    void sameBitsForAnyThreadCount() {
        SplittableRandom random = new SplittableRandom(16);
        PoolGeometry g = PoolGeometry.builder().input(5, 30, 40).kernel(3, 3).stride(2, 2).padding(1).build();
        int batch = 9;
        float[] in = ConvTesting.random(random, batch * g.inputSize());
        float[] gradOut = ConvTesting.random(random, batch * g.outputSize());
        float[][] first = null;
        for (int threads : new int[] {1, 2, 3, 7}) {
            Parallel.setThreads(threads);
            float[] max = new float[gradOut.length];
            int[] argmax = new int[gradOut.length];
            Pool2d.maxForward(max, 0, argmax, 0, in, 0, g, batch);
            float[] maxGrad = new float[in.length];
            Pool2d.maxBackward(maxGrad, 0, gradOut, 0, argmax, 0, g, batch);
            float[] avg = new float[gradOut.length];
            Pool2d.avgForward(avg, 0, in, 0, g, batch, false);
            float[] avgGrad = new float[in.length];
            Pool2d.avgBackward(avgGrad, 0, gradOut, 0, g, batch, true);
            float[] globalMean = new float[batch * 5];
            Pool2d.globalAvgForward(globalMean, 0, in, 0, batch, 5, 30 * 40);
            float[][] results = {max, maxGrad, avg, avgGrad, globalMean};
            if (first == null) {
                first = results;
            }
            for (int i = 0; i < results.length; i++) {
                assertArrayEquals(first[i], results[i], "result " + i + " with " + threads + " threads");
            }
        }
    }

    private static void rejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(message), "message '" + e.getMessage() + "' should contain '" + message + "'");
    }

    @Test
    void errors() {
        PoolGeometry g = PoolGeometry.builder().input(2, 4, 4).kernel(2, 2).build();
        float[] in = new float[2 * 32];
        float[] out = new float[2 * 8];
        int[] argmax = new int[16];
        float[] gradIn = new float[64];
        Arrays.fill(gradIn, 42f);
        rejected("geometry must not be null", () -> Pool2d.maxForward(out, 0, argmax, 0, in, 0, null, 2));
        rejected("batch must be non-negative", () -> Pool2d.avgForward(out, 0, in, 0, g, -1, true));
        rejected("out is too short", () -> Pool2d.maxForward(out, 1, argmax, 0, in, 0, g, 2));
        rejected("argmax is too short: 16 indexes at offset 3 need length 19, got 16",
                () -> Pool2d.maxForward(out, 0, argmax, 3, in, 0, g, 2));
        rejected("argmax must not be null", () -> Pool2d.maxForward(out, 0, null, 0, in, 0, g, 2));
        rejected("in is too short", () -> Pool2d.avgForward(out, 0, in, 1, g, 2, false));
        rejected("gradOut is too short", () -> Pool2d.avgBackward(gradIn, 0, out, 4, g, 2, false));
        int[] bad = new int[16];
        bad[5] = 16;
        rejected("argmax[5] is 16, outside the plane of 16 elements",
                () -> Pool2d.maxBackward(gradIn, 0, out, 0, bad, 0, g, 2));
        bad[5] = -1;
        rejected("argmax[5] is -1", () -> Pool2d.maxBackward(gradIn, 0, out, 0, bad, 0, g, 2));
        float[] shared = new float[100];
        rejected("overlap", () -> Pool2d.avgForward(shared, 0, shared, 10, g, 2, true));
        rejected("plane must be positive, got 0", () -> Pool2d.globalAvgForward(out, 0, in, 0, 2, 2, 0));
        rejected("channels must be positive", () -> Pool2d.globalMaxForward(out, 0, argmax, 0, in, 0, 2, 0, 4));
        rejected("in is too short", () -> Pool2d.globalMaxForward(out, 0, argmax, 0, in, 0, 2, 2, 17));
        rejected("argmax[0] is 40", () -> Pool2d.globalMaxBackward(gradIn, 0, out, 0, new int[] {40, 0, 0, 0}, 0, 2, 2, 16));
        float[] untouched = new float[64];
        Arrays.fill(untouched, 42f);
        assertArrayEquals(untouched, gradIn, "a rejected call wrote its output");
    }

    @Test
    void geometry() {
        PoolGeometry floor = PoolGeometry.builder().input(1, 7, 7).kernel(2, 2).build();
        assertEquals(3, floor.outHeight());
        assertEquals(2, floor.strideHeight(), "the stride defaults to the window");
        PoolGeometry ceil = PoolGeometry.builder().input(1, 7, 7).kernel(2, 2).ceilMode(true).build();
        assertEquals(4, ceil.outHeight());
        // ceil((5 + 2 - 3) / 2) + 1 = 3; the last window starts at 2*2 - 1 = 3 < 5, inside the input: kept
        assertEquals(3, PoolGeometry.builder().input(1, 5, 5).kernel(3, 3).stride(2, 2).padding(1).ceilMode(true).build().outHeight());
        // ceil((6 + 2 - 2) / 4) + 1 = 3, but window 2 would start at 2*4 - 1 = 7, in the bottom padding: dropped (PyTorch's rule)
        assertEquals(2, PoolGeometry.builder().input(1, 6, 6).kernel(2, 2).stride(4, 4).padding(1).ceilMode(true).build().outHeight());
        assertEquals(floor, PoolGeometry.builder().input(1, 7, 7).kernel(2, 2).stride(2, 2).build());
        assertTrue(ceil.toString().contains("ceil"), ceil.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolGeometry.builder().input(1, 4, 4).kernel(2, 2).padding(2).build());
        assertTrue(e.getMessage().contains("window 0 along the height lies entirely in the padding"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolGeometry.builder().input(1, 4, 4).kernel(5, 1).build());
        assertTrue(e.getMessage().contains("window height 5 with dilation 1 spans 5 but the padded input height is 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolGeometry.builder().input(1, 4, 4).kernel(2, 2).stride(0, 1).build());
        assertTrue(e.getMessage().contains("strideHeight must be positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolGeometry.builder().input(0, 4, 4).kernel(2, 2).build());
        assertTrue(e.getMessage().contains("channels must be positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolGeometry.builder().input(1, 4, 4).kernel(2, 2).dilation(1, 0).build());
        assertTrue(e.getMessage().contains("dilationWidth must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolGeometry.builder().input(1, 4, 4).kernel(2, 2).padding(0, 0, -1, 0).build());
        assertTrue(e.getMessage().contains("padLeft must be non-negative"), e.getMessage());
    }
}
