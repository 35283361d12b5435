package dev.lanes.training.init;

import dev.lanes.training.random.SplitMix64;
import java.util.random.RandomGenerator;

/**
 * Fills a weight array with starting values, given the tensor's {@link Fans}.
 *
 * <p>The schemes, with U(−a, a) uniform and N(0, σ²) normal:
 * <ul>
 *   <li>{@link Zeros}, {@link Constant}, {@link Uniform}, {@link Normal}: fixed distributions.</li>
 *   <li>{@link Glorot} (Glorot and Bengio, "Understanding the difficulty of training deep
 *       feedforward neural networks", AISTATS 2010, eq. 16): Var(w) = 2 / (fanIn + fanOut), so
 *       uniform a = gain·√(6 / (fanIn + fanOut)), normal σ = gain·√(2 / (fanIn + fanOut)).</li>
 *   <li>{@link He} (He, Zhang, Ren and Sun, "Delving Deep into Rectifiers", ICCV 2015, eq. 10):
 *       Var(w) = 2 / fan for ReLU layers, fan = fanIn (forward) or fanOut (backward): uniform
 *       a = √(6 / fan), normal σ = √(2 / fan).</li>
 *   <li>{@link LeCun} (LeCun, Bottou, Orr and Müller, "Efficient BackProp", 1998, section 4.6):
 *       Var(w) = 1 / fanIn: uniform a = √(3 / fanIn), normal σ = √(1 / fanIn).</li>
 * </ul>
 * Normal draws use {@link RandomGenerator#nextGaussian()}; uniform draws
 * {@code low + (high - low) * nextDouble()}, rounded to float.
 */
public sealed interface Initializer
        permits Initializer.Zeros, Initializer.Constant, Initializer.Uniform, Initializer.Normal,
        Initializer.Glorot, Initializer.He, Initializer.LeCun {

    /** The shape of the random draws of a variance-scaling initializer. */
    enum Distribution {
        /** U(−a, a). */
        UNIFORM,
        /** N(0, σ²). */
        NORMAL
    }

    /** Which fan He initialization preserves the variance for. */
    enum FanMode {
        /** The forward pass (the default in the paper). */
        FAN_IN,
        /** The backward pass. */
        FAN_OUT
    }

    /**
     * Fills {@code weights[offset .. offset + length - 1]}.
     *
     * @param weights the weights, overwritten
     * @param offset the index in {@code weights} of the first weight
     * @param length the number of weights
     * @param fans the weight's fan-in and fan-out
     * @param random the random source
     * @throws IllegalArgumentException if the range is outside the array
     */
    void fill(float[] weights, int offset, int length, Fans fans, RandomGenerator random);

    /**
     * Fills all of {@code weights} from a {@link SplitMix64} stream seeded by {@code seed}.
     *
     * @param weights the weights, overwritten
     * @param fans the weight's fan-in and fan-out
     * @param seed the seed of the stream
     */
    default void fill(float[] weights, Fans fans, long seed) {
        fill(weights, 0, weights.length, fans, new SplitMix64(seed));
    }

    /** All zeros (for biases). */
    record Zeros() implements Initializer {
        @Override
        public void fill(float[] weights, int offset, int length, Fans fans, RandomGenerator random) {
            checkRange(weights, offset, length);
            java.util.Arrays.fill(weights, offset, offset + length, 0f);
        }
    }

    /**
     * Every value {@code value}.
     *
     * @param value the value of every weight
     */
    record Constant(float value) implements Initializer {
        @Override
        public void fill(float[] weights, int offset, int length, Fans fans, RandomGenerator random) {
            checkRange(weights, offset, length);
            java.util.Arrays.fill(weights, offset, offset + length, value);
        }
    }

    /**
     * U(low, high).
     *
     * @param low the lower bound
     * @param high the upper bound, {@code >= low}
     */
    record Uniform(double low, double high) implements Initializer {
        /** Checks the bounds. */
        public Uniform {
            if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException("need finite low < high, got " + low + " and " + high);
            }
        }

        @Override
        public void fill(float[] weights, int offset, int length, Fans fans, RandomGenerator random) {
            fillUniform(weights, offset, length, low, high, random);
        }
    }

    /**
     * N(mean, std²).
     *
     * @param mean the mean
     * @param std the standard deviation, {@code >= 0}
     */
    record Normal(double mean, double std) implements Initializer {
        /** Checks the parameters. */
        public Normal {
            if (!Double.isFinite(mean) || !(std >= 0) || !Double.isFinite(std)) {
                throw new IllegalArgumentException("need a finite mean and std >= 0, got " + mean + " and " + std);
            }
        }

        @Override
        public void fill(float[] weights, int offset, int length, Fans fans, RandomGenerator random) {
            fillNormal(weights, offset, length, mean, std, random);
        }
    }

    /**
     * Xavier/Glorot: Var(w) = gain² · 2 / (fanIn + fanOut).
     *
     * @param distribution normal or uniform, with the variance of the rule
     * @param gain the gain, {@code > 0} (1 for tanh-like or linear layers)
     */
    record Glorot(Distribution distribution, double gain) implements Initializer {
        /** Checks the gain. */
        public Glorot {
            if (distribution == null) {
                throw new IllegalArgumentException("distribution must not be null");
            }
            checkGain(gain);
        }

        /**
         * Gain 1 (for tanh-like or linear layers).
         *
         * @param distribution normal or uniform, with the variance of the rule
         */
        public Glorot(Distribution distribution) {
            this(distribution, 1);
        }

        @Override
        public void fill(float[] weights, int offset, int length, Fans fans, RandomGenerator random) {
            double variance = gain * gain * 2.0 / ((double) fans.in() + fans.out());
            fillScaled(weights, offset, length, distribution, variance, random);
        }
    }

    /**
     * He/Kaiming: Var(w) = 2 / fan (fan-in by default), for ReLU layers.
     *
     * @param distribution normal or uniform, with the variance of the rule
     * @param mode which fan the variance divides by (fan-in or fan-out)
     */
    record He(Distribution distribution, FanMode mode) implements Initializer {
        /** Checks the arguments. */
        public He {
            if (distribution == null || mode == null) {
                throw new IllegalArgumentException("distribution and mode must not be null");
            }
        }

        /**
         * Fan-in mode.
         *
         * @param distribution normal or uniform, with the variance of the rule
         */
        public He(Distribution distribution) {
            this(distribution, FanMode.FAN_IN);
        }

        @Override
        public void fill(float[] weights, int offset, int length, Fans fans, RandomGenerator random) {
            int fan = mode == FanMode.FAN_IN ? fans.in() : fans.out();
            fillScaled(weights, offset, length, distribution, 2.0 / fan, random);
        }
    }

    /**
     * LeCun: Var(w) = 1 / fanIn (for SELU or tanh layers).
     *
     * @param distribution normal or uniform, with the variance of the rule
     */
    record LeCun(Distribution distribution) implements Initializer {
        /** Checks the argument. */
        public LeCun {
            if (distribution == null) {
                throw new IllegalArgumentException("distribution must not be null");
            }
        }

        @Override
        public void fill(float[] weights, int offset, int length, Fans fans, RandomGenerator random) {
            fillScaled(weights, offset, length, distribution, 1.0 / fans.in(), random);
        }
    }

    /** Draws with mean 0 and the given variance: U(−√(3v), √(3v)) or N(0, v). */
    private static void fillScaled(float[] weights, int offset, int length, Distribution distribution, double variance,
                                   RandomGenerator random) {
        if (distribution == Distribution.UNIFORM) {
            double bound = Math.sqrt(3 * variance);
            fillUniform(weights, offset, length, -bound, bound, random);
        } else {
            fillNormal(weights, offset, length, 0, Math.sqrt(variance), random);
        }
    }

    private static void fillUniform(float[] weights, int offset, int length, double low, double high,
                                    RandomGenerator random) {
        checkRange(weights, offset, length);
        double width = high - low;
        for (int i = offset; i < offset + length; i++) {
            weights[i] = (float) (low + width * random.nextDouble());
        }
    }

    private static void fillNormal(float[] weights, int offset, int length, double mean, double std,
                                   RandomGenerator random) {
        checkRange(weights, offset, length);
        for (int i = offset; i < offset + length; i++) {
            weights[i] = (float) (mean + std * random.nextGaussian());
        }
    }

    private static void checkRange(float[] weights, int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > weights.length) {
            throw new IllegalArgumentException("range offset " + offset + ", length " + length
                    + " is outside weights of length " + weights.length);
        }
    }

    private static void checkGain(double gain) {
        if (!(gain > 0) || !Double.isFinite(gain)) {
            throw new IllegalArgumentException("gain must be positive and finite, got " + gain);
        }
    }
}
