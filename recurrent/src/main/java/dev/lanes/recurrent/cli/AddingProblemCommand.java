package dev.lanes.recurrent.cli;

import dev.lanes.kernels.Parallel;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.loss.MeanSquaredError;
import dev.lanes.recurrent.Gru;
import dev.lanes.recurrent.Lstm;
import dev.lanes.recurrent.RecurrentLayer;
import dev.lanes.recurrent.SimpleRnn;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.Command;
import dev.lanes.training.cli.UsageException;
import dev.lanes.training.optim.Adam;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code lanes adding}: vanishing gradients measured on the adding problem (Hochreiter and
 * Schmidhuber, 1997). Each step of a sequence holds a value drawn uniformly from [0, 1) and a
 * marker; two steps are marked, one in each half, and the target is the sum of their values, so
 * the first marked value must be carried over at least T/2 steps. Predicting the mean (1) gives a
 * mean squared error of 1/6, about 0.167. The simple RNN, the LSTM and the GRU are trained at each
 * length on fresh batches and tested on held-out sequences; the gradient reaching each time step,
 * ‖dL/dh_t‖, is recorded at initialisation and after training.
 */
public final class AddingProblemCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("lengths", "cells", "hidden", "batch-size", "learning-rate",
            "clip-norm", "forget-bias", "max-steps", "eval-every", "stop-mse", "validation", "test", "seed", "threads",
            "output");
    static final String REPORT_FILE = "report.txt";
    static final String GRADIENT_CHART = "gradient_norms.png";
    static final String LEARNING_CHART = "learning_curves.png";
    /** The curriculum's line: test MSE below 0.01. */
    static final double LINE = 0.01;
    private static final List<String> CELLS = List.of("rnn", "lstm", "gru");
    private static final String DEFAULT_OUTPUT = "runs/adding";

    @Override
    public String name() {
        return "adding";
    }

    @Override
    public String summary() {
        return "the adding problem: simple RNN, LSTM and GRU at T = 50, 100, 200, and the gradient reaching each step";
    }

    private static String help() {
        return String.format(Locale.ROOT, """
                usage: lanes adding [OPTIONS]

                The adding problem (Hochreiter and Schmidhuber, 1997): sequences of T steps of (value, marker),
                values uniform in [0, 1), two steps marked (one in each half); the target is the sum of the two
                marked values. Predicting the mean gives a mean squared error of 1/6 (0.167). Trains each cell
                (its final state into a dense output, mean squared error, Adam with the gradient norm clipped)
                on fresh random batches at each length until the validation MSE falls below --stop-mse or
                --max-steps, then tests it on held-out sequences; prints the table and the curriculum line
                (LSTM and GRU below 0.01; the simple RNN not at T >= 100). Records ||dL/dh_t||, the gradient
                reaching each time step, at initialisation and after training, and writes %s,
                %s and %s to --output.

                  --lengths T,T,...    sequence lengths (default 50,100,200)
                  --cells C,C,...      rnn, lstm, gru (default all three)
                  --hidden H           units (default 64)
                  --batch-size N       (default 64)
                  --learning-rate LR   Adam's (default 0.003)
                  --clip-norm C        global gradient norm clip (default 1)
                  --forget-bias B      the LSTM's initial forget-gate bias (default 1; PyTorch's init gives
                                       about 0, which halves the cell state at every step)
                  --max-steps N        training steps per cell and length (default 3000)
                  --eval-every N       steps between validations (default 100)
                  --stop-mse E         stop once the validation MSE is below E (default 0.003)
                  --validation N       validation sequences (default 512)
                  --test N             test sequences (default 2000)
                  --seed S             weights and data (default 1)
                  --threads N          kernel threads (default 1)
                  --output DIR         (default %s)
                """, GRADIENT_CHART, LEARNING_CHART, REPORT_FILE, DEFAULT_OUTPUT);
    }

    /** The parsed options. */
    record Settings(int[] lengths, List<String> cells, int hidden, int batchSize, double learningRate,
                    double clipNorm, double forgetBias, int maxSteps, int evalEvery, double stopMse, int validation,
                    int test,
                    long seed, Path output) {
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Arguments parsed = Arguments.parse(name(), arguments, OPTIONS, Set.of());
        Settings settings = new Settings(lengths(parsed.string("lengths", "50,100,200")),
                cells(parsed.string("cells", String.join(",", CELLS))),
                parsed.integer("hidden", 64, 1, 1 << 14), parsed.integer("batch-size", 64, 1, 1 << 16),
                parsed.number("learning-rate", 0.003, 0, false, 10), parsed.number("clip-norm", 1, 0, false, 1e9),
                parsed.number("forget-bias", 1, -100, true, 100),
                parsed.integer("max-steps", 3000, 1, 10_000_000), parsed.integer("eval-every", 100, 1, 1_000_000),
                parsed.number("stop-mse", 0.003, 0, true, 10), parsed.integer("validation", 512, 1, 1 << 20),
                parsed.integer("test", 2000, 1, 1 << 20), parsed.longValue("seed", 1),
                Path.of(parsed.string("output", DEFAULT_OUTPUT)));
        Parallel.setThreads(parsed.integer("threads", 1, 1, 1024));
        Files.createDirectories(settings.output());
        out.printf(Locale.ROOT, "Lanes adding problem: hidden %d, batch %d, Adam %s, clip %s, LSTM forget bias %s, "
                        + "at most %d steps "
                        + "(stop below validation MSE %s), %d validation and %d test sequences, seed %d%n",
                settings.hidden(), settings.batchSize(), settings.learningRate(), settings.clipNorm(),
                settings.forgetBias(), settings.maxSteps(), settings.stopMse(), settings.validation(), settings.test(),
                settings.seed());

        List<Result> results = new ArrayList<>();
        for (int steps : settings.lengths()) {
            for (String cell : settings.cells()) {
                Result result = train(settings, cell, steps, out);
                results.add(result);
            }
        }
        String report = report(settings, results);
        out.print(report);
        Files.writeString(settings.output().resolve(REPORT_FILE), report.stripLeading(), StandardCharsets.UTF_8);
        charts(settings, results);
        out.println("report: " + settings.output().resolve(REPORT_FILE) + ", charts: "
                + settings.output().resolve(GRADIENT_CHART) + ", " + settings.output().resolve(LEARNING_CHART));
        return 0;
    }

    private static int[] lengths(String text) throws UsageException {
        String[] parts = text.split(",");
        int[] lengths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                lengths[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("adding: --lengths takes comma-separated integers, got '" + text + "'");
            }
            if (lengths[i] < 2 || lengths[i] > 100_000) {
                throw new UsageException("adding: --lengths must be between 2 and 100000, got " + lengths[i]);
            }
        }
        return lengths;
    }

    private static List<String> cells(String text) throws UsageException {
        List<String> cells = new ArrayList<>();
        for (String part : text.split(",")) {
            String cell = part.trim();
            if (!CELLS.contains(cell) || cells.contains(cell)) {
                throw new UsageException("adding: --cells takes distinct names among " + CELLS + ", got '" + text
                        + "'");
            }
            cells.add(cell);
        }
        return cells;
    }

    /** Sequences of the adding problem, drawn from a seeded generator. */
    static final class Sequences {
        private final SplittableRandom random;

        Sequences(long seed) {
            this.random = new SplittableRandom(seed);
        }

        /** Fills {@code x} (n, T, 2) with sequences and {@code y} (n, 1) with their sums. */
        void fill(Tensor x, Tensor y) {
            int n = x.dim(0);
            int steps = x.dim(1);
            float[] input = x.data();
            float[] target = y.data();
            int half = steps / 2;
            for (int i = 0; i < n; i++) {
                int base = i * steps * 2;
                for (int t = 0; t < steps; t++) {
                    input[base + 2 * t] = (float) random.nextDouble();
                    input[base + 2 * t + 1] = 0;
                }
                int first = random.nextInt(half);
                int second = half + random.nextInt(steps - half);
                input[base + 2 * first + 1] = 1;
                input[base + 2 * second + 1] = 1;
                target[i] = input[base + 2 * first] + input[base + 2 * second];
            }
        }
    }

    /** What one cell did at one length. */
    record Result(String cell, int steps, int trainingSteps, double seconds, double testMse, double[] evalSteps,
                  double[] validationMse, double[] normsBefore, double[] normsAfter) {
    }

    private static RecurrentLayer layer(String cell, int hidden, double forgetBias, long seed) {
        return switch (cell) {
            case "rnn" -> new SimpleRnn(2, hidden, seed);
            case "lstm" -> forgetBias(new Lstm(2, hidden, seed), forgetBias);
            case "gru" -> new Gru(2, hidden, seed);
            default -> throw new IllegalArgumentException("unknown cell " + cell);
        };
    }

    /**
     * Sets the forget gate's input bias (rows hidden .. 2 hidden of bias_ih, PyTorch's gate order
     * i, f, g, o) to {@code value}, its recurrent bias to 0: a forget gate open at the start keeps
     * the cell state, and its gradient, from step to step (Gers et al., 2000; Jozefowicz et al., 2015).
     */
    static Lstm forgetBias(Lstm lstm, double value) {
        int hidden = lstm.hiddenSize();
        for (Parameter parameter : lstm.parameters()) {
            boolean input = parameter.name().equals("bias_ih_l0");
            if (input || parameter.name().equals("bias_hh_l0")) {
                Tensor bias = parameter.value();
                for (int j = hidden; j < 2 * hidden; j++) {
                    bias.data()[bias.offset() + j] = input ? (float) value : 0f;
                }
            }
        }
        return lstm;
    }

    private static Result train(Settings settings, String cell, int steps, PrintStream out) {
        long seed = settings.seed() * 1_000_003L + steps * 31L + CELLS.indexOf(cell);
        RecurrentLayer layer = layer(cell, settings.hidden(), settings.forgetBias(), seed);
        Dense head = new Dense(settings.hidden(), 1, seed + 1);
        List<Parameter> parameters = new ArrayList<>(layer.parameters());
        parameters.addAll(head.parameters());
        Adam adam = new Adam(parameters, settings.learningRate());
        adam.clipGradientNorm(settings.clipNorm());
        MeanSquaredError mse = new MeanSquaredError();
        // Validation and test sequences come from their own seeds: never seen in training.
        Tensor[] validation = set(settings.validation(), steps, settings.seed() * 7 + 1);
        Tensor[] test = set(settings.test(), steps, settings.seed() * 7 + 2);
        Tensor[] probe = set(64, steps, settings.seed() * 7 + 3);
        double[] before = gradientNorms(layer, head, mse, adam, probe);

        Sequences data = new Sequences(seed + 2);
        Tensor x = Tensor.zeros(settings.batchSize(), steps, 2);
        Tensor y = Tensor.zeros(settings.batchSize(), 1);
        List<double[]> curve = new ArrayList<>();
        long start = System.nanoTime();
        int step = 0;
        while (step < settings.maxSteps()) {
            data.fill(x, y);
            mse.forward(head.forward(layer.forward(x, true), true), y);
            layer.backward(head.backward(mse.backward()));
            adam.step();
            step++;
            if (step % settings.evalEvery() == 0 || step == settings.maxSteps()) {
                double validationMse = meanSquaredError(layer, head, validation);
                curve.add(new double[] {step, validationMse});
                if (!Double.isFinite(validationMse) || validationMse < settings.stopMse()) {
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double testMse = meanSquaredError(layer, head, test);
        double[] after = gradientNorms(layer, head, mse, adam, probe);
        out.printf(Locale.ROOT, "  %-4s T=%-4d %5d steps %7.1f s  validation MSE %.5f  test MSE %.5f%n", cell, steps,
                step, seconds, curve.getLast()[1], testMse);
        double[] evalSteps = new double[curve.size()];
        double[] validationMse = new double[curve.size()];
        for (int i = 0; i < curve.size(); i++) {
            evalSteps[i] = curve.get(i)[0];
            validationMse[i] = curve.get(i)[1];
        }
        return new Result(cell, steps, step, seconds, testMse, evalSteps, validationMse, before, after);
    }

    private static Tensor[] set(int count, int steps, long seed) {
        Tensor x = Tensor.zeros(count, steps, 2);
        Tensor y = Tensor.zeros(count, 1);
        new Sequences(seed).fill(x, y);
        return new Tensor[] {x, y};
    }

    /** The mean squared error over a whole set, in inference mode, in chunks of 500 sequences. */
    private static double meanSquaredError(RecurrentLayer layer, Dense head, Tensor[] set) {
        int n = set[0].dim(0);
        double sum = 0;
        for (int start = 0; start < n; start += 500) {
            int count = Math.min(500, n - start);
            float[] prediction = head.forward(layer.forward(set[0].narrow(0, start, count), false), false).toArray();
            float[] target = set[1].narrow(0, start, count).toArray();
            for (int i = 0; i < count; i++) {
                double d = (double) prediction[i] - target[i];
                sum += d * d;
            }
        }
        return sum / n;
    }

    /** ‖dL/dh_t‖ over the probe batch, t = 0 .. T-1; the gradients are cleared afterwards. */
    private static double[] gradientNorms(RecurrentLayer layer, Dense head, MeanSquaredError mse, Adam adam,
                                          Tensor[] probe) {
        layer.recordStateGradientNorms(true);
        mse.forward(head.forward(layer.forward(probe[0], true), true), probe[1]);
        layer.backward(head.backward(mse.backward()));
        double[] norms = layer.stateGradientNorms();
        layer.recordStateGradientNorms(false);
        adam.zeroGrad();
        return norms;
    }

    private static String report(Settings settings, List<Result> results) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, """

                adding problem: test mean squared error on %d held-out sequences (predicting the mean: 0.167)
                %-5s %6s %7s %9s %10s %12s   %s
                """, settings.test(), "cell", "T", "steps", "seconds", "test MSE", "grad ratio", "below 0.01"));
        for (Result r : results) {
            text.append(String.format(Locale.ROOT, "%-5s %6d %7d %9.1f %10.5f %12.2e   %s%n", r.cell(), r.steps(),
                    r.trainingSteps(), r.seconds(), r.testMse(), ratio(r.normsBefore()),
                    r.testMse() < LINE ? "yes" : "no"));
        }
        text.append("grad ratio: ||dL/dh_0|| / ||dL/dh_T-1|| at initialisation (how much of the final gradient "
                + "reaches the first step)\n");
        boolean gated = true;
        boolean rnnFails = true;
        boolean anyRnnLong = false;
        boolean anyGated = false;
        for (Result r : results) {
            if (r.cell().equals("rnn")) {
                if (r.steps() >= 100) {
                    anyRnnLong = true;
                    rnnFails &= r.testMse() >= LINE;
                }
            } else {
                anyGated = true;
                gated &= r.testMse() < LINE;
            }
        }
        if (anyGated) {
            text.append("curriculum line, LSTM and GRU below 0.01 at every length: ").append(gated ? "met" : "NOT met")
                    .append('\n');
        }
        if (anyRnnLong) {
            text.append("curriculum line, the simple RNN not below 0.01 at T >= 100: ")
                    .append(rnnFails ? "as expected" : "NOT as expected (it learned)").append('\n');
        }
        return text.toString();
    }

    private static double ratio(double[] norms) {
        return norms[0] / norms[norms.length - 1];
    }

    private static void charts(Settings settings, List<Result> results) throws java.io.IOException {
        int longest = 0;
        for (int steps : settings.lengths()) {
            longest = Math.max(longest, steps);
        }
        LineChart gradients = new LineChart("Gradient reaching each time step, T = " + longest,
                "time step t", "||dL/dh_t|| / ||dL/dh_T-1||", true);
        LineChart learning = new LineChart("Adding problem: validation MSE while training (mean predictor: 0.167)",
                "training step", "validation MSE", true);
        for (Result r : results) {
            if (r.steps() == longest) {
                gradients.add(r.cell() + " at initialisation", axis(r.steps()), relative(r.normsBefore()));
                gradients.add(r.cell() + " after training", axis(r.steps()), relative(r.normsAfter()));
            }
            learning.add(r.cell() + " T=" + r.steps(), r.evalSteps(), r.validationMse());
        }
        gradients.write(settings.output().resolve(GRADIENT_CHART));
        learning.write(settings.output().resolve(LEARNING_CHART));
    }

    private static double[] axis(int steps) {
        double[] x = new double[steps];
        for (int t = 0; t < steps; t++) {
            x[t] = t;
        }
        return x;
    }

    private static double[] relative(double[] norms) {
        double last = norms[norms.length - 1];
        double[] y = new double[norms.length];
        for (int t = 0; t < norms.length; t++) {
            y[t] = norms[t] / last;
        }
        return y;
    }
}
