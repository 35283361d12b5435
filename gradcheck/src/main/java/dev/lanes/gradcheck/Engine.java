package dev.lanes.gradcheck;

import java.util.List;
import java.util.SplittableRandom;

/** Runs a check: central differences against the subject's backward pass. */
final class Engine {
    private final Subject subject;
    private final Settings settings;
    private final double epsilon;
    private long comparisons;
    private long failing;
    private double maxError;
    private Comparison worst;
    private Comparison worstFailing;

    private Engine(Subject subject, Settings settings) {
        this.subject = subject;
        this.settings = settings;
        this.epsilon = settings.precision().epsilon();
    }

    static GradCheckResult run(Subject subject, Settings settings) {
        Engine engine = new Engine(subject, settings);
        try {
            return engine.run();
        } finally {
            subject.finish();
        }
    }

    private GradCheckResult run() {
        List<Variable> variables = subject.variables();
        double[] base = subject.evaluate();
        requireFinite(base);
        requireDeterministic(base);
        long inputs = 0;
        for (Variable v : variables) {
            inputs += v.size;
        }
        Mode mode = settings.mode();
        if (mode == Mode.AUTO) {
            mode = (long) base.length * inputs <= settings.fullJacobianLimit() ? Mode.FULL : Mode.DIRECTIONS;
        }
        if (mode == Mode.FULL) {
            full(variables, base);
        } else {
            directions(variables, base);
        }
        GradCheckResult result = new GradCheckResult(subject.name(), settings.precision(), mode, settings.seed(),
                comparisons, maxError, worst);
        if (failing > 0) {
            throw new GradCheckFailure(result, worstFailing, failing);
        }
        return result;
    }

    // ------------------------------------------------------------------ full Jacobian

    private void full(List<Variable> variables, double[] base) {
        int outputs = base.length;
        // analytic[v][o * size + j] = d output[o] / d variable v [j], one backward pass per output.
        double[][] analytic = new double[variables.size()][];
        for (int v = 0; v < variables.size(); v++) {
            analytic[v] = new double[Math.multiplyExact(outputs, variables.get(v).size)];
        }
        Subject.Backward backward = subject.backwardAtCurrentPoint();
        double[] unit = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            unit[o] = 1;
            double[][] grads = backward.apply(unit);
            unit[o] = 0;
            for (int v = 0; v < variables.size(); v++) {
                System.arraycopy(grads[v], 0, analytic[v], o * variables.get(v).size, variables.get(v).size);
            }
        }
        double rms = rootMeanSquare(base);
        int[] outputDims = subject.outputDims();
        for (int v = 0; v < variables.size(); v++) {
            Variable variable = variables.get(v);
            for (int j = 0; j < variable.size; j++) {
                double x = variable.get(j);
                double h = settings.stepAt(x);
                double plus = variable.set(j, x + h);
                double[] up = subject.evaluate();
                double minus = variable.set(j, x - h);
                double[] down = subject.evaluate();
                variable.set(j, x);
                double delta = plus - minus;
                String wrt = Variable.element(variable.name, variable.dims, j);
                for (int o = 0; o < outputs; o++) {
                    double numeric = (up[o] - down[o]) / delta;
                    double magnitude = Math.max(rms, Math.max(Math.abs(up[o]), Math.abs(down[o])));
                    // Unchanged bits do not mean independence: a change below half an ulp of the output
                    // rounds away, so the roundoff allowance applies to every entry.
                    double roundoff = settings.roundoffFactor() * epsilon * magnitude / delta;
                    double a = analytic[v][o * variable.size + j];
                    record(variable, o, wrt, outputDims, numeric, a, roundoff, delta / 2);
                }
            }
        }
    }

    /** Tallies one Jacobian entry; builds its description only when it is a failure or the worst yet. */
    private void record(Variable variable, int o, String wrt, int[] outputDims, double numeric, double analytic,
                        double roundoff, double step) {
        double error = Math.abs(numeric - analytic);
        double tolerance = settings.absoluteTolerance()
                + settings.relativeTolerance() * Math.max(Math.abs(numeric), Math.abs(analytic)) + roundoff;
        boolean worse = worst == null || !(error / tolerance <= worst.ratio());
        if (error <= tolerance && !worse) {
            comparisons++;
            maxError = Math.max(maxError, error);
            return;
        }
        String index = "d " + Variable.element("output", outputDims, o) + " / d " + wrt;
        tally(settings.compare(variable.name, index, numeric, analytic, roundoff, step));
    }

    private void tally(Comparison c) {
        comparisons++;
        if (!(c.error() <= maxError)) {
            maxError = c.error();
        }
        if (worst == null || !(c.ratio() <= worst.ratio())) {
            worst = c;
        }
        if (!c.passed()) {
            failing++;
            if (worstFailing == null || !(c.ratio() <= worstFailing.ratio())) {
                worstFailing = c;
            }
        }
    }

    // ------------------------------------------------------------------ random directions

    private void directions(List<Variable> variables, double[] base) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        int count = settings.directions();
        double rms = rootMeanSquare(base);
        double h0 = settings.unitStep();
        for (int k = 0; k < count; k++) {
            double[] u = new double[base.length];
            for (int o = 0; o < u.length; o++) {
                u[o] = settings.precision().round(random.nextDouble(-1, 1));
            }
            double[][] grads = subject.backwardAtCurrentPoint().apply(u);
            for (int v = 0; v < variables.size(); v++) {
                Variable variable = variables.get(v);
                double[] x = new double[variable.size];
                double[] plus = new double[variable.size];
                double[] minus = new double[variable.size];
                for (int j = 0; j < x.length; j++) {
                    x[j] = variable.get(j);
                    double step = settings.stepAt(x[j]) * random.nextDouble(-1, 1);
                    plus[j] = variable.set(j, x[j] + step);
                }
                double[] up = subject.evaluate();
                for (int j = 0; j < x.length; j++) {
                    minus[j] = variable.set(j, x[j] - (plus[j] - x[j]));
                }
                double[] down = subject.evaluate();
                for (int j = 0; j < x.length; j++) {
                    variable.set(j, x[j]);
                }
                // Both sides are changes of L = u . f over the displacement actually taken, / 2 h0.
                double change = 0;
                double noise = 0;
                for (int o = 0; o < u.length; o++) {
                    change += u[o] * (up[o] - down[o]);
                    double magnitude = Math.max(rms, Math.max(Math.abs(up[o]), Math.abs(down[o])));
                    noise += (u[o] * magnitude) * (u[o] * magnitude);
                }
                double predicted = 0;
                for (int j = 0; j < x.length; j++) {
                    predicted += grads[v][j] * (plus[j] - minus[j]);
                }
                // Roundoff of independent output elements adds up like a random walk: root-sum-square.
                double roundoff = settings.roundoffFactor() * epsilon * Math.sqrt(noise) / (2 * h0);
                String where = "direction " + (k + 1) + " of " + count + " in " + variable.name
                        + dev.lanes.tensor.Shape.of(variable.dims);
                tally(settings.compare(variable.name, where, change / (2 * h0), predicted / (2 * h0), roundoff, h0));
            }
        }
    }

    // ------------------------------------------------------------------ preconditions

    private void requireFinite(double[] base) {
        for (int o = 0; o < base.length; o++) {
            if (!Double.isFinite(base[o])) {
                throw new IllegalArgumentException(subject.name() + ": output " + Variable.element("output",
                        subject.outputDims(), o) + " is " + base[o] + " at the point to check: choose a point "
                        + "where the function is finite");
            }
        }
    }

    /**
     * Finite differences need f to be a function: two evaluations at one point must agree to the
     * bit. A layer that draws fresh randomness per forward (dropout in training mode) fails here
     * with advice instead of failing the gradient check with noise.
     */
    private void requireDeterministic(double[] base) {
        double[] again = subject.evaluate();
        for (int o = 0; o < base.length; o++) {
            if (Double.doubleToRawLongBits(base[o]) != Double.doubleToRawLongBits(again[o])) {
                throw new IllegalStateException(subject.name() + ": two evaluations at the same point differ at "
                        + Variable.element("output", subject.outputDims(), o) + " (" + base[o] + " then "
                        + again[o] + "): the function is random, so finite differences mean nothing. Fix its "
                        + "randomness before every forward (LayerCheck.beforeForward, e.g. reseed a dropout "
                        + "layer) or check in inference mode (training(false))");
            }
        }
    }

    private static double rootMeanSquare(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double sum = 0;
        for (double v : values) {
            sum += v * v;
        }
        return Math.sqrt(sum / values.length);
    }
}
