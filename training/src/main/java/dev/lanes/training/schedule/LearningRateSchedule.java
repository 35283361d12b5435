package dev.lanes.training.schedule;

/**
 * A learning rate as a function of a step counter t = 0, 1, 2, ... The caller decides what t
 * counts (optimizer steps or epochs) and uses it the same way throughout.
 *
 * <p>The schedules, with η₀ the initial rate:
 * <ul>
 *   <li>{@link Constant}: η₀</li>
 *   <li>{@link Step}: η₀ · γ^⌊t / stepSize⌋</li>
 *   <li>{@link Exponential}: η₀ · γ^t</li>
 *   <li>{@link InverseTime}: η₀ / (1 + γ · t)</li>
 *   <li>{@link Cosine}: η_min + (η₀ − η_min) · (1 + cos(π · t / T)) / 2 for t ≤ T, η_min after
 *       (Loshchilov and Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017,
 *       without the restarts)</li>
 *   <li>{@link Warmup}: a linear ramp over the first W steps into any other schedule (Goyal et al.,
 *       "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", 2017)</li>
 * </ul>
 */
public sealed interface LearningRateSchedule
        permits LearningRateSchedule.Constant, LearningRateSchedule.Step, LearningRateSchedule.Exponential,
        LearningRateSchedule.InverseTime, LearningRateSchedule.Cosine, LearningRateSchedule.Warmup {

    /**
     * {@return the learning rate at step {@code t}}
     *
     * @param t the step, from 0
     * @throws IllegalArgumentException if {@code t} is negative
     */
    double rate(long t);

    /**
     * η₀.
     *
     * @param initialRate η₀, the rate at step 0, {@code > 0}
     */
    record Constant(double initialRate) implements LearningRateSchedule {
        /** Checks the rate. */
        public Constant {
            checkRate(initialRate, "initialRate");
        }

        @Override
        public double rate(long t) {
            checkStep(t);
            return initialRate;
        }
    }

    /**
     * η₀ · γ^⌊t / stepSize⌋: multiplied by γ every {@code stepSize} steps.
     *
     * @param initialRate η₀, the rate at step 0, {@code > 0}
     * @param gamma γ, the factor per drop, in (0, 1]
     * @param stepSize the steps between drops, {@code >= 1}
     */
    record Step(double initialRate, double gamma, long stepSize) implements LearningRateSchedule {
        /** Checks the arguments. */
        public Step {
            checkRate(initialRate, "initialRate");
            checkFactor(gamma);
            if (stepSize < 1) {
                throw new IllegalArgumentException("stepSize must be at least 1, got " + stepSize);
            }
        }

        @Override
        public double rate(long t) {
            checkStep(t);
            return initialRate * Math.pow(gamma, t / stepSize);
        }
    }

    /**
     * η₀ · γ^t.
     *
     * @param initialRate η₀, the rate at step 0, {@code > 0}
     * @param gamma γ, the factor per step, in (0, 1]
     */
    record Exponential(double initialRate, double gamma) implements LearningRateSchedule {
        /** Checks the arguments. */
        public Exponential {
            checkRate(initialRate, "initialRate");
            checkFactor(gamma);
        }

        @Override
        public double rate(long t) {
            checkStep(t);
            return initialRate * Math.pow(gamma, t);
        }
    }

    /**
     * η₀ / (1 + γ · t).
     *
     * @param initialRate η₀, the rate at step 0, {@code > 0}
     * @param gamma γ, the decay per step, {@code >= 0}
     */
    record InverseTime(double initialRate, double gamma) implements LearningRateSchedule {
        /** Checks the arguments. */
        public InverseTime {
            checkRate(initialRate, "initialRate");
            if (!(gamma >= 0) || !Double.isFinite(gamma)) {
                throw new IllegalArgumentException("gamma must be finite and at least 0, got " + gamma);
            }
        }

        @Override
        public double rate(long t) {
            checkStep(t);
            return initialRate / (1 + gamma * t);
        }
    }

    /**
     * Cosine annealing from η₀ at t = 0 to {@code minimumRate} at t = {@code totalSteps}, then
     * constant: η_min + (η₀ − η_min) · (1 + cos(π · t / T)) / 2.
     *
     * @param initialRate η₀, the rate at step 0, {@code > 0}
     * @param totalSteps T, the steps until the minimum rate, {@code >= 1}
     * @param minimumRate η_min, the final rate, in [0, η₀]
     */
    record Cosine(double initialRate, long totalSteps, double minimumRate) implements LearningRateSchedule {
        /** Checks the arguments. */
        public Cosine {
            checkRate(initialRate, "initialRate");
            if (totalSteps < 1) {
                throw new IllegalArgumentException("totalSteps must be at least 1, got " + totalSteps);
            }
            if (!(minimumRate >= 0 && minimumRate <= initialRate)) {
                throw new IllegalArgumentException("minimumRate must be in [0, initialRate = " + initialRate + "], got "
                        + minimumRate);
            }
        }

        /**
         * Annealing to 0.
         *
         * @param initialRate η₀, the rate at step 0, {@code > 0}
         * @param totalSteps T, the steps until the minimum rate, {@code >= 1}
         */
        public Cosine(double initialRate, long totalSteps) {
            this(initialRate, totalSteps, 0);
        }

        @Override
        public double rate(long t) {
            checkStep(t);
            if (t >= totalSteps) {
                return minimumRate;
            }
            // η₀ − (η₀ − η_min)·(1 − cos)/2 equals the formula above but gives exactly η₀ at t = 0;
            // Math.cos is semi-monotonic, so the rounded rates never increase, and the clamp keeps
            // the last steps of a very long schedule from rounding below η_min.
            double decay = (initialRate - minimumRate) * (1 - Math.cos(Math.PI * t / totalSteps)) / 2;
            return Math.max(minimumRate, initialRate - decay);
        }
    }

    /**
     * A linear warm-up over {@code warmupSteps} steps, then {@code after} started from its own
     * step 0: for t &lt; W the rate is after.rate(0) · (s + (1 − s) · t / W), with s the
     * {@code startFactor}; for t ≥ W it is after.rate(t − W). The rate is continuous at t = W.
     *
     * @param warmupSteps W, the warm-up steps, {@code >= 1}
     * @param startFactor s, the fraction of the rate at step 0, in [0, 1]
     * @param after the schedule that follows the warm-up
     */
    record Warmup(long warmupSteps, double startFactor, LearningRateSchedule after) implements LearningRateSchedule {
        /** Checks the arguments. */
        public Warmup {
            if (warmupSteps < 1) {
                throw new IllegalArgumentException("warmupSteps must be at least 1, got " + warmupSteps);
            }
            if (!(startFactor >= 0 && startFactor <= 1)) {
                throw new IllegalArgumentException("startFactor must be in [0, 1], got " + startFactor);
            }
            if (after == null) {
                throw new IllegalArgumentException("after must not be null");
            }
        }

        @Override
        public double rate(long t) {
            checkStep(t);
            if (t >= warmupSteps) {
                return after.rate(t - warmupSteps);
            }
            return after.rate(0) * (startFactor + (1 - startFactor) * t / warmupSteps);
        }
    }

    private static void checkRate(double rate, String name) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + rate);
        }
    }

    private static void checkFactor(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
    }

    private static void checkStep(long t) {
        if (t < 0) {
            throw new IllegalArgumentException("step t must be at least 0, got " + t);
        }
    }
}
