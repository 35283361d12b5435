package dev.lanes.training.search;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * One searched setting: a name (for {@code lanes search}, an option of {@code lanes train}) and
 * the values it may take. Values are text, as a command line and the trial log hold them;
 * numbers are written with 4 significant digits, so the value a trial used is exactly the one
 * logged.
 *
 * <p>A numeric parameter samples uniformly on its scale (the logarithm for the log-uniform
 * kinds) from a {@link Range} that the fine stages narrow; a categorical one samples uniformly
 * from the choices still in its range.
 */
public sealed interface Hyperparameter {
    /** {@return the parameter's name} */
    String name();

    /** {@return the whole range: the coarse stage samples from it} */
    Range full();

    /**
     * {@return a value drawn uniformly from {@code range}}
     *
     * @param range the range to draw from
     * @param random the random source
     */
    String sample(Range range, RandomGenerator random);

    /**
     * Where a value sits on the parameter's sampling scale (its logarithm for the log kinds, its
     * index among the choices for a categorical one): the x of scatter plots and of narrowing.
     *
     * @param value the value, as text
     * @return the position on the sampling scale
     */
    double position(String value);

    /**
     * {@return a range around the positions of {@code best} (the values of the best trials), inside
     * {@code current}: from the smallest to the largest, widened on each side by a quarter of their
     * spread or a tenth of the current width, whichever is more} A categorical parameter keeps the
     * choices among {@code best}.
     *
     * @param current the range the stage sampled from
     * @param best the values of the best trials
     */
    default Range narrow(Range current, List<String> best) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (String value : best) {
            low = Math.min(low, position(value));
            high = Math.max(high, position(value));
        }
        double margin = Math.max(0.25 * (high - low), 0.1 * (current.high() - current.low()));
        return new Range(Math.max(current.low(), low - margin), Math.min(current.high(), high + margin), List.of());
    }

    /**
     * The range a parameter samples from: [low, high] on its scale, or the remaining choices of a
     * categorical one.
     *
     * @param low the lower end on the parameter's scale
     * @param high the upper end on the parameter's scale
     * @param choices the remaining choices of a categorical parameter, or null
     */
    record Range(double low, double high, List<String> choices) {
        /** One line for the log, with positions shown as values. */
        String describe(Hyperparameter parameter) {
            return switch (parameter) {
                case Categorical c -> String.join(",", choices);
                case LogUniform l -> format(Math.pow(10, low)) + ".." + format(Math.pow(10, high));
                case Uniform u -> format(low) + ".." + format(high);
                case IntegerRange i -> i.log() ? Math.round(Math.pow(2, low)) + ".." + Math.round(Math.pow(2, high))
                        : Math.round(low) + ".." + Math.round(high);
            };
        }
    }

    /**
     * {@return {@code value} with 4 significant digits, as text Java parses back to the same
     * double}
     *
     * @param value the value
     */
    static String format(double value) {
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toString();
    }

    /**
     * Parses {@code name=kind:arguments}: {@code log:LOW:HIGH} (log-uniform), {@code uniform:LOW:HIGH},
     * {@code int:LOW:HIGH} (uniform integers), {@code logint:LOW:HIGH} (integers uniform in log2),
     * {@code choice:A,B,C} (categorical).
     *
     * @param specification the text {@code name=kind:arguments}
     * @return the parameter
     * @throws IllegalArgumentException naming the specification and what is wrong
     */
    static Hyperparameter parse(String specification) {
        int equals = specification.indexOf('=');
        int colon = specification.indexOf(':', equals + 1);
        if (equals <= 0 || colon < 0) {
            throw new IllegalArgumentException("'" + specification + "' is not NAME=KIND:ARGUMENTS (e.g. "
                    + "lr=log:1e-4:1e-2, batch-size=choice:32,64,128)");
        }
        String name = specification.substring(0, equals).trim();
        String kind = specification.substring(equals + 1, colon).trim().toLowerCase(Locale.ROOT);
        String arguments = specification.substring(colon + 1);
        if (kind.equals("choice")) {
            List<String> choices = new ArrayList<>();
            for (String choice : arguments.split(",")) {
                if (!choice.isBlank() && !choices.contains(choice.trim())) {
                    choices.add(choice.trim());
                }
            }
            return new Categorical(name, choices);
        }
        String[] bounds = arguments.split(":");
        if (bounds.length != 2) {
            throw new IllegalArgumentException("'" + specification + "': " + kind + " takes LOW:HIGH");
        }
        double low = number(bounds[0], specification);
        double high = number(bounds[1], specification);
        return switch (kind) {
            case "log" -> new LogUniform(name, low, high);
            case "uniform" -> new Uniform(name, low, high);
            case "int" -> new IntegerRange(name, (int) low, (int) high, false);
            case "logint" -> new IntegerRange(name, (int) low, (int) high, true);
            default -> throw new IllegalArgumentException("'" + specification + "': unknown kind '" + kind
                    + "' (log, uniform, int, logint or choice)");
        };
    }

    private static double number(String text, String specification) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + specification + "': '" + text + "' is not a number");
        }
    }

    private static void checkBounds(String name, double low, double high, boolean positive) {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(low < high) || positive && !(low > 0)) {
            throw new IllegalArgumentException(name + ": the range [" + low + ", " + high + "] must be finite with"
                    + " low < high" + (positive ? " and low > 0" : ""));
        }
    }

    /**
     * Uniform in log(value) over [low, high], low > 0: learning rates, penalties.
     *
     * @param name the parameter's name, as the settings use it
     * @param low the lower bound, {@code > 0}
     * @param high the upper bound, {@code >= low}
     */
    record LogUniform(String name, double low, double high) implements Hyperparameter {
        /** Checks the bounds. */
        public LogUniform {
            checkBounds(name, low, high, true);
        }

        @Override
        public Range full() {
            return new Range(Math.log10(low), Math.log10(high), List.of());
        }

        @Override
        public String sample(Range range, RandomGenerator random) {
            return format(Math.pow(10, range.low() + (range.high() - range.low()) * random.nextDouble()));
        }

        @Override
        public double position(String value) {
            return Math.log10(Double.parseDouble(value));
        }
    }

    /**
     * Uniform over [low, high]: momentum, dropout rates.
     *
     * @param name the parameter's name, as the settings use it
     * @param low the lower bound
     * @param high the upper bound, {@code >= low}
     */
    record Uniform(String name, double low, double high) implements Hyperparameter {
        /** Checks the bounds. */
        public Uniform {
            checkBounds(name, low, high, false);
        }

        @Override
        public Range full() {
            return new Range(low, high, List.of());
        }

        @Override
        public String sample(Range range, RandomGenerator random) {
            return format(range.low() + (range.high() - range.low()) * random.nextDouble());
        }

        @Override
        public double position(String value) {
            return Double.parseDouble(value);
        }
    }

    /**
     * Integers in [low, high], uniform or (log) uniform in log2: epochs, batch sizes, widths.
     *
     * @param name the parameter's name, as the settings use it
     * @param low the smallest value
     * @param high the largest value, {@code >= low}
     * @param log true to sample uniformly in log2, false uniformly
     */
    record IntegerRange(String name, int low, int high, boolean log) implements Hyperparameter {
        /** Checks the bounds. */
        public IntegerRange {
            checkBounds(name, low, high, log);
        }

        @Override
        public Range full() {
            // Each integer owns the half-unit around it on the sampling scale, so the ends are as likely as the rest.
            return log ? new Range(log2(low - 0.5), log2(high + 0.5), List.of())
                    : new Range(low - 0.5, high + 0.5, List.of());
        }

        @Override
        public String sample(Range range, RandomGenerator random) {
            double u = range.low() + (range.high() - range.low()) * random.nextDouble();
            long value = Math.round(log ? Math.pow(2, u) : u);
            return Long.toString(Math.clamp(value, low, high));
        }

        @Override
        public double position(String value) {
            double number = Double.parseDouble(value);
            return log ? log2(number) : number;
        }

        private static double log2(double value) {
            return Math.log(value) / Math.log(2);
        }
    }

    /**
     * One of a list of values: optimizers, models, activations.
     *
     * @param name the parameter's name, as the settings use it
     * @param choices the values, at least one
     */
    record Categorical(String name, List<String> choices) implements Hyperparameter {
        /** Checks and copies the choices. */
        public Categorical {
            if (choices.isEmpty()) {
                throw new IllegalArgumentException(name + ": a categorical parameter needs at least one choice");
            }
            choices = List.copyOf(choices);
        }

        @Override
        public Range full() {
            return new Range(0, 0, choices);
        }

        @Override
        public String sample(Range range, RandomGenerator random) {
            return range.choices().get(random.nextInt(range.choices().size()));
        }

        @Override
        public double position(String value) {
            return choices.indexOf(value);
        }

        @Override
        public Range narrow(Range current, List<String> best) {
            List<String> kept = new ArrayList<>();
            for (String choice : current.choices()) {
                if (best.contains(choice)) {
                    kept.add(choice);
                }
            }
            return new Range(0, 0, kept.isEmpty() ? current.choices() : kept);
        }
    }
}
