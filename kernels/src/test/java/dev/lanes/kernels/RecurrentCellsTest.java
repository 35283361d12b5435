package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.scalar.ScalarKernels;
import dev.lanes.kernels.spi.RecurrentKernel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The fused LSTM and GRU steps through the facade against the scalar set, for hidden sizes that
 * end in every vector tail, arrays that end with the matrix (the last vector then runs on the
 * scratch) and arrays with sentinels around the matrices at odd offsets, and a size that runs on
 * the pool. Each output may differ from the double-precision reference by {@link #TOLERANCE}
 * times the magnitude of the terms it is computed from (its scale, derived per output below):
 * 16 ulps of the scale, where the vector sigmoid and tanh are within 2.5 ulps and each product
 * or sum rounds once. Backward runs both sides from the reference's forward values, so they see
 * the same inputs.
 */
@Tag("panama")
class RecurrentCellsTest {
    private static final long SEED = 0x1157_0017L;
    private static final double TOLERANCE = 0x1p-19;
    private final RecurrentKernel scalar = new ScalarKernels().recurrent();

    private static int[] hiddenSizes() {
        int lanes = FloatTesting.lanes();
        return new int[] {1, 2, 3, lanes - 1, lanes, lanes + 1, 2 * lanes + 1, 31, 33, 64, 65, 129};
    }

    /** {@code length} values in [low, high) at {@code offset}, sentinels before and {@code after} after. */
    private static float[] values(SplittableRandom random, int offset, int length, int after, double low, double high) {
        return FloatTesting.padded(FloatTesting.uniform(random, length, low, high), offset, after);
    }

    @Test
    void lstmMatchesTheScalarSet() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int hidden : hiddenSizes()) {
            for (int rows : new int[] {1, 3}) {
                checkLstm(random, rows, hidden, 0, 0);
                checkLstm(random, rows, hidden, 5, 3);
            }
        }
        checkLstm(random, 64, 160, 0, 0); // on the pool
    }

    private void checkLstm(SplittableRandom random, int rows, int hidden, int offset, int after) {
        String where = "rows " + rows + ", hidden " + hidden + ", offset " + offset + " (seed " + SEED + ")";
        int state = rows * hidden;
        int size = offset + state + after;
        float[] pre = values(random, offset, 4 * state, after, -4, 4);
        float[] cPrev = values(random, offset, state, after, -2, 2);
        float[] gates = pre.clone();
        float[] h = FloatTesting.sentinels(size);
        float[] c = FloatTesting.sentinels(size);
        float[] expectedGates = pre.clone();
        float[] expectedH = FloatTesting.sentinels(size);
        float[] expectedC = FloatTesting.sentinels(size);
        RecurrentCells.lstmForward(h, offset, c, offset, gates, offset, cPrev, offset, rows, hidden);
        scalar.lstmForward(expectedH, offset, expectedC, offset, expectedGates, offset, cPrev, offset, rows, hidden);

        float[] gradH = values(random, offset, state, after, -1, 1);
        float[] gradCIn = values(random, offset, state, after, -1, 1);
        float[] gradC = gradCIn.clone();
        float[] expectedGradC = gradCIn.clone();
        float[] gradGates = FloatTesting.sentinels(offset + 4 * state + after);
        float[] expectedGradGates = FloatTesting.sentinels(offset + 4 * state + after);
        RecurrentCells.lstmBackward(gradGates, offset, gradC, offset, gradH, offset, expectedGates, offset, expectedC,
                offset, cPrev, offset, rows, hidden);
        scalar.lstmBackward(expectedGradGates, offset, expectedGradC, offset, gradH, offset, expectedGates, offset,
                expectedC, offset, cPrev, offset, rows, hidden);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < hidden; j++) {
                int e = offset + r * hidden + j;
                int g = offset + r * 4 * hidden + j;
                for (int q = 0; q < 4; q++) {
                    int at = g + q * hidden;
                    close("gate " + "ifgo".charAt(q), where, expectedGates[at], gates[at], Math.abs(expectedGates[at]));
                }
                double i = expectedGates[g];
                double f = expectedGates[g + hidden];
                double cell = expectedGates[g + 2 * hidden];
                double o = expectedGates[g + 3 * hidden];
                double scaleC = Math.abs(f * cPrev[e]) + Math.abs(i * cell);
                close("c", where, expectedC[e], c[e], scaleC);
                close("h", where, expectedH[e], h[e], Math.abs(expectedH[e]) + o * scaleC);
                double scaleDc = Math.abs(gradCIn[e]) + Math.abs(gradH[e] * o);
                close("d i", where, expectedGradGates[g], gradGates[g], scaleDc * Math.abs(cell) * i * (1 - i));
                close("d f", where, expectedGradGates[g + hidden], gradGates[g + hidden],
                        scaleDc * Math.abs(cPrev[e]) * f * (1 - f));
                close("d g", where, expectedGradGates[g + 2 * hidden], gradGates[g + 2 * hidden],
                        scaleDc * i * (1 - cell * cell));
                close("d o", where, expectedGradGates[g + 3 * hidden], gradGates[g + 3 * hidden],
                        Math.abs(gradH[e]) * o * (1 - o));
                close("dcPrev", where, expectedGradC[e], gradC[e], scaleDc * f);
            }
        }
        untouched(where, h, offset, state);
        untouched(where, c, offset, state);
        untouched(where, gates, offset, 4 * state);
        untouched(where, gradC, offset, state);
        untouched(where, gradGates, offset, 4 * state);
    }

    @Test
    void gruMatchesTheScalarSet() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int hidden : hiddenSizes()) {
            for (int rows : new int[] {1, 3}) {
                checkGru(random, rows, hidden, 0, 0);
                checkGru(random, rows, hidden, 5, 3);
            }
        }
        checkGru(random, 64, 160, 0, 0);
    }

    private void checkGru(SplittableRandom random, int rows, int hidden, int offset, int after) {
        String where = "rows " + rows + ", hidden " + hidden + ", offset " + offset + " (seed " + SEED + ")";
        int state = rows * hidden;
        float[] pre = values(random, offset, 3 * state, after, -3, 3);
        float[] hiddenGates = values(random, offset, 3 * state, after, -3, 3);
        float[] hPrev = values(random, offset, state, after, -1, 1);
        float[] gates = pre.clone();
        float[] expectedGates = pre.clone();
        float[] h = FloatTesting.sentinels(offset + state + after);
        float[] expectedH = FloatTesting.sentinels(offset + state + after);
        RecurrentCells.gruForward(h, offset, gates, offset, hiddenGates, offset, hPrev, offset, rows, hidden);
        scalar.gruForward(expectedH, offset, expectedGates, offset, hiddenGates, offset, hPrev, offset, rows, hidden);

        float[] gradH = values(random, offset, state, after, -1, 1);
        float[][] grads = {FloatTesting.sentinels(offset + 3 * state + after),
            FloatTesting.sentinels(offset + 3 * state + after), FloatTesting.sentinels(offset + state + after)};
        float[][] expected = {grads[0].clone(), grads[1].clone(), grads[2].clone()};
        RecurrentCells.gruBackward(grads[0], offset, grads[1], offset, grads[2], offset, gradH, offset, expectedGates,
                offset, hiddenGates, offset, hPrev, offset, rows, hidden);
        scalar.gruBackward(expected[0], offset, expected[1], offset, expected[2], offset, gradH, offset, expectedGates,
                offset, hiddenGates, offset, hPrev, offset, rows, hidden);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < hidden; j++) {
                int e = offset + r * hidden + j;
                int g = offset + r * 3 * hidden + j;
                double reset = expectedGates[g];
                double update = expectedGates[g + hidden];
                double n = expectedGates[g + 2 * hidden];
                double hn = hiddenGates[g + 2 * hidden];
                // the sum of the projections rounds in float before the sigmoid (slope at most 1/4)
                double scaleR = reset + Math.abs(pre[g]) + Math.abs(hiddenGates[g]);
                double scaleZ = update + Math.abs(pre[g + hidden]) + Math.abs(hiddenGates[g + hidden]);
                double scaleN = Math.abs(n) + Math.abs(pre[g + 2 * hidden]) + Math.abs(hn) * (reset + scaleR);
                close("r", where, reset, gates[g], scaleR);
                close("z", where, update, gates[g + hidden], scaleZ);
                close("n", where, n, gates[g + 2 * hidden], scaleN);
                double spread = Math.abs(hPrev[e]) + Math.abs(n);
                close("h", where, expectedH[e], h[e], Math.abs(n) + update * spread + scaleN + spread * scaleZ);
                double dh = Math.abs(gradH[e]);
                close("d r", where, expected[0][g], grads[0][g], Math.abs(expected[0][g]));
                close("d z", where, expected[0][g + hidden], grads[0][g + hidden],
                        dh * spread * update * (1 - update));
                close("d n", where, expected[0][g + 2 * hidden], grads[0][g + 2 * hidden],
                        Math.abs(expected[0][g + 2 * hidden]));
                close("d hidden r", where, expected[1][g], grads[1][g], Math.abs(expected[1][g]));
                close("d hidden z", where, expected[1][g + hidden], grads[1][g + hidden],
                        dh * spread * update * (1 - update));
                close("d hidden n", where, expected[1][g + 2 * hidden], grads[1][g + 2 * hidden],
                        Math.abs(expected[1][g + 2 * hidden]));
                close("dhPrev", where, expected[2][e], grads[2][e], Math.abs(expected[2][e]));
            }
        }
        untouched(where, h, offset, state);
        untouched(where, gates, offset, 3 * state);
        untouched(where, grads[0], offset, 3 * state);
        untouched(where, grads[1], offset, 3 * state);
        untouched(where, grads[2], offset, state);
    }

    @Test
    void saturatedGatesAndNaN() {
        int hidden = FloatTesting.lanes() + 3;
        float inf = Float.POSITIVE_INFINITY;
        float[] gates = new float[4 * hidden];
        java.util.Arrays.fill(gates, 0, 4 * hidden, inf); // i = f = g = o = 1
        gates[2 * hidden + 1] = -inf;                     // g = -1 in column 1
        gates[hidden + 2] = Float.NaN;                    // f NaN in column 2
        float[] cPrev = new float[hidden];
        java.util.Arrays.fill(cPrev, 0.5f);
        float[] h = new float[hidden];
        float[] c = new float[hidden];
        RecurrentCells.lstmForward(h, 0, c, 0, gates, 0, cPrev, 0, 1, hidden);
        assertEquals(1.5f, c[0]);
        assertEquals((float) Math.tanh(1.5), h[0], 2 * Math.ulp(1f));
        assertEquals(-0.5f, c[1]);
        assertTrue(Float.isNaN(c[2]) && Float.isNaN(h[2]), "NaN in a gate reaches c and h");
        assertEquals(1.5f, c[hidden - 1], "the last lane");
    }

    @Test
    void theThreadCountChangesNoBit() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        int rows = 64;
        int hidden = 200;
        float[] pre = FloatTesting.uniform(random, 4 * rows * hidden, -4, 4);
        float[] cPrev = FloatTesting.uniform(random, rows * hidden, -2, 2);
        float[][] results = new float[2][];
        int threads = Parallel.threads();
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                float[] gates = pre.clone();
                float[] h = new float[rows * hidden];
                float[] c = new float[rows * hidden];
                RecurrentCells.lstmForward(h, 0, c, 0, gates, 0, cPrev, 0, rows, hidden);
                float[] gradGates = new float[4 * rows * hidden];
                float[] gradC = cPrev.clone();
                RecurrentCells.lstmBackward(gradGates, 0, gradC, 0, h, 0, gates, 0, c, 0, cPrev, 0, rows, hidden);
                results[t - 1] = concat(h, c, gates, gradGates, gradC);
            }
        } finally {
            Parallel.setThreads(threads);
        }
        for (int k = 0; k < results[0].length; k++) {
            assertEquals(Float.floatToIntBits(results[0][k]), Float.floatToIntBits(results[1][k]),
                    "element " + k + " differs between 1 and 2 threads (seed " + SEED + ")");
        }
    }

    private static float[] concat(float[]... parts) {
        int length = 0;
        for (float[] part : parts) {
            length += part.length;
        }
        float[] out = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    @Test
    void badArgumentsAreNamed() {
        float[] state = new float[6];
        float[] gates4 = new float[24];
        float[] gates3 = new float[18];
        assertMessage("rows must be non-negative",
                () -> RecurrentCells.lstmForward(state, 0, new float[6], 0, gates4, 0, new float[6], 0, -1, 3));
        assertMessage("gates is too short",
                () -> RecurrentCells.lstmForward(state, 0, new float[6], 0, new float[23], 0, new float[6], 0, 2, 3));
        assertMessage("h [0, 6) and cPrev [0, 6) overlap",
                () -> RecurrentCells.lstmForward(state, 0, new float[6], 0, gates4, 0, state, 0, 2, 3));
        assertMessage("gradC [0, 6) and gradH [0, 6) overlap", () -> RecurrentCells.lstmBackward(
                new float[24], 0, state, 0, state, 0, gates4, 0, new float[6], 0, new float[6], 0, 2, 3));
        assertMessage("hPrev is too short",
                () -> RecurrentCells.gruForward(state, 0, gates3, 0, new float[18], 0, new float[5], 0, 2, 3));
        assertMessage("gates [0, 18) and hiddenGates [0, 18) overlap",
                () -> RecurrentCells.gruForward(state, 0, gates3, 0, gates3, 0, new float[6], 0, 2, 3));
        assertMessage("gradHiddenGates [0, 18) and gradHPrev [0, 6) overlap", () -> RecurrentCells.gruBackward(
                new float[18], 0, gates3, 0, gates3, 0, state, 0, new float[18], 0, new float[18], 0, new float[6], 0,
                2, 3));
        assertMessage("exceeds the largest array", () -> RecurrentCells.gruForward(state, 0, gates3, 0,
                new float[18], 0, new float[6], 0, 1 << 16, 1 << 15));
    }

    private static void assertMessage(String part, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static void close(String what, String where, double expected, double actual, double scale) {
        double allowed = TOLERANCE * scale + Float.MIN_NORMAL;
        assertTrue(Math.abs(expected - actual) <= allowed || Double.isNaN(expected) && Double.isNaN(actual),
                what + " at " + where + ": " + actual + " != " + expected + " (allowed " + allowed + ")");
    }

    private static void untouched(String where, float[] array, int offset, int length) {
        for (int k = 0; k < array.length; k++) {
            if (k < offset || k >= offset + length) {
                assertEquals(FloatTesting.SENTINEL, array[k], "element " + k + " outside the matrix, " + where);
            }
        }
    }
}
