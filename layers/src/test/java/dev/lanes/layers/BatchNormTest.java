package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchNormTest {
    private static final long SEED = 0xba7c4L;

    /** Element (i, c, s) of x seen as (n, c, spatial). */
    private static double at(Tensor x, int i, int c, int s) {
        return x.rank() == 2 ? x.get(i, c) : x.get(i, c, s / x.dim(3), s % x.dim(3));
    }

    private static int spatial(Tensor x) {
        return x.rank() == 2 ? 1 : x.dim(2) * x.dim(3);
    }

    /** Per channel: {mean, biased variance} over the batch and the image, in double. */
    private static double[][] statistics(Tensor x) {
        int n = x.dim(0);
        int channels = x.dim(1);
        int spatial = spatial(x);
        double[][] stats = new double[channels][2];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < spatial; s++) {
                    sum += at(x, i, c, s);
                }
            }
            double mean = sum / (n * spatial);
            double squares = 0;
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < spatial; s++) {
                    squares += (at(x, i, c, s) - mean) * (at(x, i, c, s) - mean);
                }
            }
            stats[c] = new double[] {mean, squares / (n * spatial)};
        }
        return stats;
    }

    /** y = γ (x − mean) / sqrt(var + ε) + β with the given per-channel mean and variance. */
    private static void assertNormalized(Tensor y, Tensor x, double[][] meanVar, Tensor gamma, Tensor beta) {
        for (int i = 0; i < x.dim(0); i++) {
            for (int c = 0; c < x.dim(1); c++) {
                for (int s = 0; s < spatial(x); s++) {
                    double expected = gamma.get(c) * (at(x, i, c, s) - meanVar[c][0])
                            / Math.sqrt(meanVar[c][1] + 1e-5) + beta.get(c);
                    assertEquals(expected, at(y, i, c, s), 2e-5, "at " + i + ", " + c + ", " + s);
                }
            }
        }
    }

    private static void randomAffine(BatchNorm bn, long seed) {
        bn.weight().value().copyFrom(Tensor.rand(bn.weight().shape(), 0.5f, 2f, seed));
        bn.bias().value().copyFrom(randn(seed + 1, bn.channels()));
    }

    @Test
    void trainingNormalizesWithBatchStatisticsAndUpdatesRunningOnes() {
        for (Tensor x : List.of(randn(SEED, 6, 3).mul(3f).add(1f), randn(SEED + 1, 3, 4, 2, 5).mul(2f).sub(1f))) {
            BatchNorm bn = x.rank() == 2 ? new BatchNorm1d(3) : new BatchNorm2d(4);
            randomAffine(bn, SEED + 2);
            double[][] stats = statistics(x);
            Tensor y = bn.forward(x, true);
            assertNormalized(y, x, stats, bn.weight().value(), bn.bias().value());
            int m = x.dim(0) * spatial(x);
            for (int c = 0; c < bn.channels(); c++) {
                assertEquals(0.1 * stats[c][0], bn.runningMean().get(c), 1e-6);
                assertEquals(0.9 + 0.1 * stats[c][1] * m / (m - 1), bn.runningVar().get(c), 1e-5);
            }
        }
    }

    @Test
    void inferenceUsesRunningStatisticsAndChangesNothing() {
        BatchNorm2d bn = new BatchNorm2d(3, 0.25f, 1e-5f, true);
        randomAffine(bn, SEED + 3);
        for (int step = 0; step < 3; step++) {
            bn.forward(randn(SEED + 10 + step, 4, 3, 3, 3).add(2f), true);
        }
        float[] mean = bn.runningMean().toArray();
        float[] var = bn.runningVar().toArray();
        double[][] running = new double[3][];
        for (int c = 0; c < 3; c++) {
            running[c] = new double[] {mean[c], var[c]};
            assertNotEquals(0f, mean[c]);
        }
        Tensor x = randn(SEED + 4, 2, 3, 3, 3);
        Tensor y = bn.forward(x, false);
        assertNormalized(y, x, running, bn.weight().value(), bn.bias().value());
        assertEquals(mean[0], bn.runningMean().get(0));
        assertEquals(var[2], bn.runningVar().get(2));
    }

    @Test
    void trainingOutputHasZeroMeanAndUnitVariancePerChannel() {
        BatchNorm1d bn = new BatchNorm1d(5);
        Tensor y = bn.forward(randn(SEED + 5, 64, 5).mul(7f).add(3f), true);
        double[][] stats = statistics(y);
        for (int c = 0; c < 5; c++) {
            assertEquals(0, stats[c][0], 1e-6);
            // var(x)/(var(x) + ε) with var(x) near 49.
            assertEquals(1, stats[c][1], 1e-5);
        }
    }

    @Test
    void finiteDifferencesInBothModes() {
        for (boolean training : new boolean[] {true, false}) {
            BatchNorm1d bn1 = new BatchNorm1d(3);
            randomAffine(bn1, SEED + 6);
            FiniteDifference.check(bn1, randn(SEED + 7, 5, 3), training, SEED);
            BatchNorm2d bn2 = new BatchNorm2d(2);
            randomAffine(bn2, SEED + 8);
            bn2.forward(randn(SEED + 9, 3, 2, 2, 3), true);
            FiniteDifference.check(bn2, randn(SEED + 10, 3, 2, 2, 3), training, SEED);
            FiniteDifference.check(new BatchNorm2d(2, 0.1f, 1e-3f, false), randn(SEED + 11, 2, 2, 3, 2), training,
                    SEED);
        }
    }

    @Test
    void parametersAndBuffersAreNamedLikePyTorch() {
        BatchNorm2d bn = new BatchNorm2d(4);
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
        assertEquals(List.of("running_mean", "running_var"), List.copyOf(bn.buffers().keySet()));
        assertTrue(bn.buffers().get("running_var") == bn.runningVar());
        assertTrue(new BatchNorm1d(3, 0.1f, 1e-5f, false).parameters().isEmpty());
        assertTrue(!bn.weight().decay() && !bn.bias().decay());
    }

    @Test
    void shapesAndArgumentsAreChecked() {
        BatchNorm2d bn = new BatchNorm2d(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Tensor.zeros(2, 3, 5, 5), true));
        assertEquals("BatchNorm2d(4): input expected (N, 4, H, W), got (2, 3, 5, 5)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bn.outputShape(Shape.of(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(2, 3, 1), true));
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(1, 3), true));
        assertTrue(e.getMessage().contains("at least 2 values per channel"), e.getMessage());
        new BatchNorm1d(3).forward(Tensor.zeros(1, 3), false);
        assertThrows(IllegalStateException.class, () -> bn.backward(Tensor.zeros(2, 4, 5, 5)));
        bn.forward(Tensor.zeros(2, 4, 5, 5), true);
        e = assertThrows(IllegalArgumentException.class, () -> bn.backward(Tensor.zeros(2, 4, 5, 4)));
        assertEquals("BatchNorm2d(4): gradOutput expected (2, 4, 5, 5), got (2, 4, 5, 4)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(0));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2, 1.5f, 1e-5f, true));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2, 0.1f, 0f, true));
    }

    @Test
    void noSteadyStateAllocation() {
        BatchNorm2d bn = new BatchNorm2d(3);
        Tensor x = randn(SEED + 12, 4, 3, 5, 5);
        Tensor g = randn(SEED + 13, 4, 3, 5, 5);
        assertEquals(0, Allocations.steadyState(() -> {
            bn.forward(x, true);
            bn.backward(g);
            bn.forward(x, false);
            bn.backward(g);
        }, 2000, 500));
    }
}
