package dev.lanes.training.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.init.Initializer.Distribution;
import dev.lanes.training.init.Initializer.FanMode;
import dev.lanes.training.random.SplitMix64;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Statistical checks with a fixed seed. For n independent draws with variance s² and fourth
 * central moment m4, the sample mean has standard error s/√n and the sample variance
 * √((m4 − s⁴)/n); m4 = 3s⁴ for a normal and 9s⁴/5 for a uniform distribution. Every bound is
 * five standard errors, so a correct initializer fails with probability below 1e-6 per check,
 * while a wrong scale (for example fan-in + fan-out instead of fan-in) misses the variance by
 * about a hundred standard errors.
 */
class InitializerTest {
    private static final int SAMPLES = 200_000;
    private static final long SEED = 801;
    private static final Fans FANS = new Fans(300, 100);

    private static float[] draw(Initializer initializer, Fans fans) {
        float[] weights = new float[SAMPLES];
        initializer.fill(weights, fans, SEED);
        return weights;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    private static double variance(float[] values, double mean) {
        double sum = 0;
        for (float value : values) {
            sum += (value - mean) * (value - mean);
        }
        return sum / (values.length - 1);
    }

    /** Mean and variance within five standard errors; uniform draws also stay inside ±bound. */
    private static void checkMoments(String name, float[] values, double expectedMean, double expectedVariance,
                                     boolean uniform) {
        double mean = mean(values);
        double variance = variance(values, mean);
        double meanError = Math.sqrt(expectedVariance / values.length);
        double fourthMoment = (uniform ? 9.0 / 5 : 3.0) * expectedVariance * expectedVariance;
        double varianceError = Math.sqrt((fourthMoment - expectedVariance * expectedVariance) / values.length);
        assertTrue(Math.abs(mean - expectedMean) <= 5 * meanError,
                name + ": mean " + mean + ", expected " + expectedMean + " ± " + 5 * meanError + ", seed " + SEED);
        assertTrue(Math.abs(variance - expectedVariance) <= 5 * varianceError, name + ": variance " + variance
                + ", expected " + expectedVariance + " ± " + 5 * varianceError + ", seed " + SEED);
    }

    private static void checkUniform(String name, float[] values, double low, double high) {
        checkMoments(name, values, (low + high) / 2, (high - low) * (high - low) / 12, true);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        assertTrue(min >= (float) low && max <= (float) high, name + ": range [" + min + ", " + max + "], seed " + SEED);
        // With 200,000 draws the extremes come within 0.01% of the bounds (miss chance e^-20).
        double margin = 1e-4 * (high - low);
        assertTrue(min < low + margin && max > high - margin, name + ": range [" + min + ", " + max + "], seed " + SEED);
    }

    /** A normal sample has about 68.27% of its values within one standard deviation of the mean. */
    private static void checkNormal(String name, float[] values, double mean, double std) {
        checkMoments(name, values, mean, std * std, false);
        int inside = 0;
        for (float value : values) {
            if (Math.abs(value - mean) <= std) {
                inside++;
            }
        }
        double fraction = (double) inside / values.length;
        double p = 0.6826894921370859;
        double bound = 5 * Math.sqrt(p * (1 - p) / values.length);
        assertTrue(Math.abs(fraction - p) <= bound, name + ": " + fraction + " within one std, seed " + SEED);
    }

    @Test
    void glorot() {
        // Var = 2 / (300 + 100) = 0.005; uniform bound sqrt(6 / 400).
        checkUniform("Glorot uniform", draw(new Initializer.Glorot(Distribution.UNIFORM), FANS),
                -Math.sqrt(6.0 / 400), Math.sqrt(6.0 / 400));
        checkNormal("Glorot normal", draw(new Initializer.Glorot(Distribution.NORMAL), FANS), 0, Math.sqrt(0.005));
        checkNormal("Glorot normal, gain 2", draw(new Initializer.Glorot(Distribution.NORMAL, 2), FANS), 0,
                2 * Math.sqrt(0.005));
    }

    @Test
    void he() {
        // Var = 2 / 300 (fan-in) or 2 / 100 (fan-out).
        checkUniform("He uniform", draw(new Initializer.He(Distribution.UNIFORM), FANS),
                -Math.sqrt(6.0 / 300), Math.sqrt(6.0 / 300));
        checkNormal("He normal", draw(new Initializer.He(Distribution.NORMAL), FANS), 0, Math.sqrt(2.0 / 300));
        checkNormal("He normal, fan-out", draw(new Initializer.He(Distribution.NORMAL, FanMode.FAN_OUT), FANS), 0,
                Math.sqrt(2.0 / 100));
    }

    @Test
    void leCun() {
        // Var = 1 / 300.
        checkUniform("LeCun uniform", draw(new Initializer.LeCun(Distribution.UNIFORM), FANS),
                -Math.sqrt(3.0 / 300), Math.sqrt(3.0 / 300));
        checkNormal("LeCun normal", draw(new Initializer.LeCun(Distribution.NORMAL), FANS), 0, Math.sqrt(1.0 / 300));
    }

    @Test
    void plainDistributions() {
        checkUniform("Uniform(-0.5, 2)", draw(new Initializer.Uniform(-0.5, 2), FANS), -0.5, 2);
        checkNormal("Normal(1, 0.3)", draw(new Initializer.Normal(1, 0.3), FANS), 1, 0.3);
        float[] zeros = draw(new Initializer.Constant(3), FANS);
        new Initializer.Zeros().fill(zeros, FANS, SEED);
        assertArrayEquals(new float[SAMPLES], zeros);
        float[] constant = draw(new Initializer.Constant(0.25f), FANS);
        assertTrue(Arrays.equals(constant, draw(new Initializer.Constant(0.25f), new Fans(1, 1))));
        assertEquals(0.25f, constant[SAMPLES - 1]);
    }

    @Test
    void sameSeedSameWeightsAndOnlyTheRangeIsFilled() {
        Initializer he = new Initializer.He(Distribution.NORMAL);
        assertArrayEquals(draw(he, FANS), draw(he, FANS));
        float[] weights = new float[10];
        Arrays.fill(weights, 9f);
        he.fill(weights, 3, 4, FANS, new SplitMix64(SEED));
        for (int i = 0; i < 10; i++) {
            assertEquals(i >= 3 && i < 7, weights[i] != 9f, "index " + i);
        }
        assertEquals("range offset 8, length 4 is outside weights of length 10", assertThrows(
                IllegalArgumentException.class, () -> he.fill(weights, 8, 4, FANS, new SplitMix64(1))).getMessage());
    }

    @Test
    void fansOfDenseAndConvolutionWeights() {
        assertEquals(new Fans(784, 128), Fans.dense(784, 128));
        // conv 3x3, 1 -> 32 channels: fan-in 1*3*3, fan-out 32*3*3.
        assertEquals(new Fans(9, 288), Fans.convolution(32, 1, 3, 3));
        assertEquals("fan-in and fan-out must be at least 1, got 0 and 5",
                assertThrows(IllegalArgumentException.class, () -> new Fans(0, 5)).getMessage());
    }

    @Test
    void badParametersAreNamed() {
        assertEquals("need finite low < high, got 1.0 and 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Initializer.Uniform(1, 1)).getMessage());
        assertEquals("need a finite mean and std >= 0, got 0.0 and -1.0",
                assertThrows(IllegalArgumentException.class, () -> new Initializer.Normal(0, -1)).getMessage());
        assertEquals("gain must be positive and finite, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> new Initializer.Glorot(Distribution.UNIFORM, 0)).getMessage());
        assertEquals("distribution must not be null",
                assertThrows(IllegalArgumentException.class, () -> new Initializer.LeCun(null)).getMessage());
    }
}
