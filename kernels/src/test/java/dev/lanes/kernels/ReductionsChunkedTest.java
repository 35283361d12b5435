package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Reductions over several chunks of the fixed split (64K elements each), below and above the
 * length where the pool takes over, against oracles written here: sums and dot products against
 * the double sum within the bound of float rounding, max, min and argmax against a direct scan
 * (Float.compare order, first on ties), with the winner placed in a later chunk, in all-negative
 * and mixed data, and argmax over chunks whose winners differ in sign; dot products with one
 * operand strided against a direct loop.
 */
class ReductionsChunkedTest {
    @Test
    void chunkedReductionsMatchDirectOracles() {
        long seed = 91;
        SplittableRandom random = new SplittableRandom(seed);
        OnThreads.run(2, () -> {
            for (int length : new int[] {(1 << 16) * 3 + 17, (1 << 20) + (1 << 16) + 5}) {
                for (boolean negative : new boolean[] {true, false}) {
                    String what = "length " + length + (negative ? " all negative" : " mixed") + " (seed " + seed + ")";
                    float[] x = FloatTesting.uniform(random, length + 3, negative ? -9 : -4, negative ? -1 : 4);
                    float[] y = FloatTesting.uniform(random, length + 3, -2, 2);
                    int winner = length - 1 - random.nextInt(1 << 15); // in the last chunk
                    int loser = length - 2 - random.nextInt(1 << 15);
                    x[2 + winner] = negative ? -0.5f : 5f;
                    x[2 + loser] = negative ? -10f : -5f;
                    double sum = 0;
                    double magnitude = 0;
                    double dot = 0;
                    double dotMagnitude = 0;
                    for (int i = 0; i < length; i++) {
                        sum += x[2 + i];
                        magnitude += Math.abs(x[2 + i]);
                        dot += (double) x[2 + i] * y[1 + i];
                        dotMagnitude += Math.abs((double) x[2 + i] * y[1 + i]);
                    }
                    // any order of float additions (and products): gamma(length) of the magnitudes (Higham),
                    // plus the final rounding to float
                    double u = 0x1p-24;
                    double gamma = length * u / (1 - length * u);
                    assertWithin(sum, Reductions.sum(x, 2, length), gamma * magnitude + u * Math.abs(sum),
                            "sum, " + what);
                    assertWithin(sum / length, Reductions.mean(x, 2, length),
                            (gamma * magnitude + 2 * u * Math.abs(sum)) / length, "mean, " + what);
                    assertWithin(dot, Reductions.dot(x, 2, y, 1, length),
                            2 * gamma * dotMagnitude + u * Math.abs(dot), "dot, " + what);
                    assertEquals(x[2 + winner], Reductions.max(x, 2, length), "max, " + what);
                    assertEquals(x[2 + loser], Reductions.min(x, 2, length), "min, " + what);
                    assertEquals(winner, Reductions.argmax(x, 2, length), "argmax, " + what);
                    // a tie in an earlier chunk wins
                    int earlier = random.nextInt(1 << 16);
                    x[2 + earlier] = x[2 + winner];
                    assertEquals(earlier, Reductions.argmax(x, 2, length), "argmax on a tie, " + what);
                }
            }
        });
    }

    /**
     * Spans of whole chunks (2 chunks of 2^16, in serial; 16, on the pool) in arrays that go on
     * past the span with NaN and infinities: none of the reductions may look past the last chunk.
     */
    @Test
    void wholeChunksStopAtTheEndOfTheSpan() {
        long seed = 92;
        SplittableRandom random = new SplittableRandom(seed);
        OnThreads.run(2, () -> {
            for (int length : new int[] {2 << 16, 1 << 20}) {
                String what = "length " + length + " followed by NaN and infinities (seed " + seed + ")";
                float[] x = FloatTesting.uniform(random, length + 5, -4, 4);
                x[2 + length] = Float.NaN;
                x[3 + length] = Float.POSITIVE_INFINITY;
                x[4 + length] = Float.NEGATIVE_INFINITY;
                int first = 0;
                float max = x[2];
                float min = x[2];
                for (int i = 1; i < length; i++) {
                    if (x[2 + i] > x[2 + first]) {
                        first = i;
                    }
                    max = Math.max(max, x[2 + i]);
                    min = Math.min(min, x[2 + i]);
                }
                assertEquals(first, Reductions.argmax(x, 2, length), "argmax, " + what);
                assertEquals(max, Reductions.max(x, 2, length), "max, " + what);
                assertEquals(min, Reductions.min(x, 2, length), "min, " + what);
                assertTrue(Float.isFinite(Reductions.sum(x, 2, length)), "sum, " + what);
            }
        });
    }

    /**
     * A softmax large enough to be split in blocks of rows over the pool: every row against the
     * double definition, within the rounding of the row's float sums, and the backward pass
     * against y·(g - Σ g·y), so a block of rows left out shows.
     */
    @Test
    void pooledSoftmaxRowsMatchTheDefinition() {
        long seed = 93;
        SplittableRandom random = new SplittableRandom(seed);
        int rows = 300;
        int cols = 700;
        int ld = cols + 3;
        float[] in = FloatTesting.uniform(random, rows * ld, -6, 6);
        float[] out = new float[rows * ld];
        float[] g = FloatTesting.uniform(random, rows * ld, -1, 1);
        float[] gradIn = new float[rows * ld];
        OnThreads.run(2, () -> {
            Softmax.softmax(out, 0, ld, in, 0, ld, rows, cols);
            Softmax.softmaxBackward(gradIn, 0, ld, g, 0, ld, out, 0, ld, rows, cols);
        });
        // relative error of a row's float sums: each vector lane adds at most cols / 4 terms (4 lanes
        // at 128 bits), then the lanes are summed pairwise; exp and the division add a few ulps
        double error = (cols / 4.0 + 16) * 0x1p-24;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, in[r * ld + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(in[r * ld + j] - max);
            }
            double dot = 0;
            double absDot = 0;
            for (int j = 0; j < cols; j++) {
                dot += (double) g[r * ld + j] * out[r * ld + j];
                absDot += Math.abs((double) g[r * ld + j] * out[r * ld + j]);
            }
            for (int j = 0; j < cols; j++) {
                double y = Math.exp(in[r * ld + j] - max) / sum;
                String what = "row " + r + " column " + j + " (seed " + seed + ")";
                assertWithin(y, out[r * ld + j], error * y, "softmax, " + what);
                double dx = out[r * ld + j] * (g[r * ld + j] - dot);
                double bound = error * Math.abs(out[r * ld + j]) * (Math.abs(g[r * ld + j]) + Math.abs(dot) + absDot)
                        + 0x1p-24 * Math.abs(dx);
                assertWithin(dx, gradIn[r * ld + j], bound, "softmax backward, " + what);
            }
        }
    }

    /**
     * Argmax over chunks whose winners differ in sign, in serial (5 chunks) and on the pool (17):
     * each chunk holds only negative values, only positive values, negative values and -0, or
     * negative values and +0, chunk 0 a negative kind and a later chunk a positive kind, against a
     * direct scan in Float.compare order (+0 above -0, the first of equal maxima). The chunks'
     * winners are compared by an integer key that must order negative floats below positive ones.
     */
    @Test
    void argmaxAcrossChunksWhoseWinnersDifferInSign() {
        long seed = 94;
        SplittableRandom random = new SplittableRandom(seed);
        OnThreads.run(2, () -> {
            for (int length : new int[] {(1 << 16) * 4 + 9, (1 << 20) + (1 << 16) + 3}) {
                int chunks = (length + (1 << 16) - 1) >> 16;
                for (int trial = 0; trial < 3; trial++) {
                    float[] x = new float[length + 2];
                    x[0] = Float.POSITIVE_INFINITY;
                    x[length + 1] = Float.POSITIVE_INFINITY;
                    int[] kinds = new int[chunks];
                    StringBuilder layout = new StringBuilder();
                    for (int c = 0; c < chunks; c++) {
                        kinds[c] = random.nextInt(4);
                    }
                    kinds[0] = random.nextBoolean() ? 0 : 2;
                    kinds[1 + random.nextInt(chunks - 1)] = random.nextBoolean() ? 1 : 3;
                    for (int c = 0; c < chunks; c++) {
                        int from = c << 16;
                        int to = Math.min(length, from + (1 << 16));
                        for (int i = from; i < to; i++) {
                            float magnitude = (float) (1 + 8 * random.nextDouble());
                            x[1 + i] = kinds[c] == 1 ? magnitude : -magnitude;
                        }
                        if (kinds[c] >= 2) {
                            x[1 + from + random.nextInt(to - from)] = kinds[c] == 2 ? -0f : 0f;
                        }
                        layout.append("-+0P".charAt(kinds[c]));
                    }
                    int expected = 0;
                    for (int i = 1; i < length; i++) {
                        if (Float.compare(x[1 + i], x[1 + expected]) > 0) {
                            expected = i;
                        }
                    }
                    assertEquals(expected, Reductions.argmax(x, 1, length), "argmax, length " + length
                            + ", chunks " + layout + " (- negative, + positive, 0 with -0, P with +0; seed " + seed + ")");
                }
            }
        });
    }

    /** Two equal maxima anywhere in a short array (any two lanes of a vector or of two): the first wins. */
    @Test
    void argmaxTakesTheFirstOfTwoEqualMaxima() {
        int lanes = Math.max(4, FloatTesting.lanes());
        for (int length = 2; length <= 3 * lanes; length++) {
            for (int first = 0; first < length - 1; first++) {
                for (int second = first + 1; second < length; second++) {
                    float[] x = new float[length + 1];
                    java.util.Arrays.fill(x, -1f);
                    x[1 + first] = 2f;
                    x[1 + second] = 2f;
                    assertEquals(first, Reductions.argmax(x, 1, length),
                            "maxima at " + first + " and " + second + " of " + length);
                }
            }
        }
    }

    /** One operand strided, the other contiguous, both ways round: a direct loop in double. */
    @Test
    void dotWithOneStridedOperandMatchesADirectLoop() {
        long seed = 92;
        SplittableRandom random = new SplittableRandom(seed);
        for (int length : new int[] {1, 7, 40, 1000}) {
            float[] x = FloatTesting.uniform(random, 2 * length + 2, -3, 3);
            float[] y = FloatTesting.uniform(random, 2 * length + 2, -3, 3);
            for (int[] strides : new int[][] {{2, 1}, {1, 2}, {1, -1}}) {
                int offY = strides[1] < 0 ? length : 1;
                double exact = 0;
                double magnitude = 0;
                for (int i = 0; i < length; i++) {
                    double term = (double) x[i * strides[0]] * y[offY + i * strides[1]];
                    exact += term;
                    magnitude += Math.abs(term);
                }
                float actual = Reductions.dot(x, 0, strides[0], y, offY, strides[1], length);
                double gamma = 2 * length * 0x1p-24 / (1 - 2 * length * 0x1p-24);
                assertWithin(exact, actual, gamma * magnitude + 0x1p-24 * Math.abs(exact),
                        "dot strides " + strides[0] + ", " + strides[1] + " length " + length + " (seed " + seed + ")");
            }
        }
    }

    private static void assertWithin(double exact, float actual, double bound, String what) {
        assertTrue(Math.abs(actual - exact) <= bound, what + ": " + actual + ", exact " + exact + ", bound " + bound);
    }
}
