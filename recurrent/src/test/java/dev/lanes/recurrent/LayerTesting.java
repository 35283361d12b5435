package dev.lanes.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.tensor.Tensor;

/** Comparisons shared by the recurrent tests. */
final class LayerTesting {
    private LayerTesting() {
    }

    static double[] toDouble(Tensor t) {
        float[] values = t.contiguous().toArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /**
     * |actual - expected| <= relative (|expected| + rms + 1) elementwise, rms the root mean square of
     * expected: float rounding of O(1) values through short sums stays near 1e-6 of that scale, a
     * wrong formula is off by O(1).
     */
    static void assertClose(String what, Tensor actual, double[] expected, double relative) {
        float[] values = actual.contiguous().toArray();
        assertEquals(expected.length, values.length, what + ": size");
        double squares = 0;
        for (double e : expected) {
            squares += e * e;
        }
        double rms = expected.length == 0 ? 0 : Math.sqrt(squares / expected.length);
        for (int i = 0; i < values.length; i++) {
            double allowed = relative * (Math.abs(expected[i]) + rms + 1);
            if (!(Math.abs(values[i] - expected[i]) <= allowed)) {
                throw new AssertionError(what + ": index " + i + " is " + values[i] + ", expected " + expected[i]
                        + " (allowed " + allowed + ")");
            }
        }
    }
}
