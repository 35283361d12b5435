package dev.lanes.layers.loss;

import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;

/** Shared checks for the loss tests. */
final class LossTesting {
    private LossTesting() {
    }

    /**
     * Central differences of the loss in each prediction element against backward(), at up to 40
     * indices; step 1e-3 (the loss sums in double and rounds once to float, so its relative error
     * is about 6e-8 and the difference quotient keeps about 4 digits), tolerance 1e-3 relative to
     * max(1, |analytic|).
     */
    static void finiteDifferences(Loss loss, Tensor prediction, Tensor target, long seed) {
        Tensor p = prediction.copy();
        loss.forward(p, target);
        Tensor analytic = loss.backward().copy();
        float step = 1e-3f;
        SplittableRandom random = new SplittableRandom(seed);
        int size = p.size();
        for (int t = 0; t < Math.min(size, 40); t++) {
            int i = size <= 40 ? t : random.nextInt(size);
            float saved = p.data()[i];
            p.data()[i] = saved + step;
            double plus = loss.forward(p, target);
            p.data()[i] = saved - step;
            double minus = loss.forward(p, target);
            p.data()[i] = saved;
            double numeric = (plus - minus) / (2.0 * step);
            double exact = analytic.data()[i];
            if (Math.abs(numeric - exact) > 1e-3 * Math.max(1.0, Math.abs(exact))) {
                throw new AssertionError(loss.name() + ": index " + i + " numeric " + numeric + " analytic " + exact
                        + " (seed " + seed + ")");
            }
        }
    }

    /** SUM is MEAN times the count, for the loss and its gradient. */
    static void sumIsCountTimesMean(Loss mean, Loss sum, Tensor prediction, Tensor target, int count) {
        float meanValue = mean.forward(prediction, target);
        float sumValue = sum.forward(prediction, target);
        if (Math.abs(sumValue - count * meanValue) > 1e-5 * Math.max(1, Math.abs(sumValue))) {
            throw new AssertionError(sum.name() + " " + sumValue + " != " + count + " * " + meanValue);
        }
        Tensor.assertAllClose(sum.backward(), mean.backward().mul((float) count), 1e-5, 1e-6);
    }

    /** Uniform floats in [low, high). */
    static Tensor uniform(long seed, float low, float high, int... dims) {
        return Tensor.rand(dev.lanes.tensor.Shape.of(dims), low, high, seed);
    }

    /** Random class indices in [0, classes), as floats, shape (n). */
    static Tensor classIndices(long seed, int n, int classes) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(classes);
        }
        return Tensor.fromArray(values, n);
    }
}
