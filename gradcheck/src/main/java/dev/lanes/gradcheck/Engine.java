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
                Difference d = differenceAt(variable, j);
                double[] up = d.up();
                double[] down = d.down();
                double delta = d.delta();
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

    /** The outputs at coordinate j moved up and down by its step, and the step actually taken (x+ - x-). */
    private record Difference(double[] up, double[] down, double delta) {
    }

    private Difference differenceAt(Variable variable, int j) {
        double x = variable.get(j);
        double h = settings.stepAt(x);
        double plus = variable.set(j, x + h);
        double[] up = subject.evaluate();
        double minus = variable.set(j, x - h);
        double[] down = subject.evaluate();
        variable.set(j, x);
        return new Difference(up, down, plus - minus);
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

    /**
     * Random directions, then single-entry probes. Both u (output weights) and the displacement
     * are random signs: every coordinate moves by its full step and every output counts fully, so
     * one wrong entry changes u^T J v by its whole error in every direction (uniform weights would
     * scale it by |u_o v_j|, often near 0). The error still has to stand out of the tolerance on
     * the whole sum, which grows like the square root of the size; many directions give it many
     * chances, since the sum is small in some of them. The probes then check single random entries
     * (and the last, where tail bugs live) exactly, against a central difference in that
     * coordinate alone.
     */
    private void directions(List<Variable> variables, double[] base) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        int count = settings.directions();
        double rms = rootMeanSquare(base);
        double h0 = settings.unitStep();
        for (int k = 0; k < count; k++) {
            double[] u = signs(random, base.length);
            double[][] grads = subject.backwardAtCurrentPoint().apply(u);
            for (int v = 0; v < variables.size(); v++) {
                Variable variable = variables.get(v);
                double[] x = new double[variable.size];
                double[] plus = new double[variable.size];
                double[] minus = new double[variable.size];
                for (int j = 0; j < x.length; j++) {
                    x[j] = variable.get(j);
                    double step = random.nextBoolean() ? settings.stepAt(x[j]) : -settings.stepAt(x[j]);
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
                for (int o = 0; o < u.length; o++) {
                    change += u[o] * (up[o] - down[o]);
                }
                double predicted = 0;
                for (int j = 0; j < x.length; j++) {
                    predicted += grads[v][j] * (plus[j] - minus[j]);
                }
                double roundoff = roundoff(u, up, down, rms, 2 * h0);
                String where = "direction " + (k + 1) + " of " + count + " in " + variable.name
                        + dev.lanes.tensor.Shape.of(variable.dims);
                tally(settings.compare(variable.name, where, change / (2 * h0), predicted / (2 * h0), roundoff, h0));
            }
        }
        probes(variables, base.length, rms, random);
    }

    /** d(u . f)/dx_j for the last entry and {@code probes} random entries of each variable. */
    private void probes(List<Variable> variables, int outputs, double rms, SplittableRandom random) {
        if (settings.probes() == 0) {
            return;
        }
        double[] u = signs(random, outputs);
        double[][] grads = subject.backwardAtCurrentPoint().apply(u);
        for (int v = 0; v < variables.size(); v++) {
            Variable variable = variables.get(v);
            for (int p = 0; p <= settings.probes(); p++) {
                int j = p == 0 ? variable.size - 1 : random.nextInt(variable.size);
                Difference d = differenceAt(variable, j);
                double[] up = d.up();
                double[] down = d.down();
                double delta = d.delta();
                double change = 0;
                for (int o = 0; o < u.length; o++) {
                    change += u[o] * (up[o] - down[o]);
                }
                String where = "probe of " + Variable.element(variable.name, variable.dims, j);
                tally(settings.compare(variable.name, where, change / delta, grads[v][j],
                        roundoff(u, up, down, rms, delta), delta / 2));
            }
        }
    }

    /**
     * The roundoff allowance of a difference quotient of u . f over a step of {@code width}: the
     * roundoff of independent output elements adds up like a random walk, so root-sum-square.
     */
    private double roundoff(double[] u, double[] up, double[] down, double rms, double width) {
        double noise = 0;
        for (int o = 0; o < u.length; o++) {
            double magnitude = Math.max(rms, Math.max(Math.abs(up[o]), Math.abs(down[o])));
            noise += (u[o] * magnitude) * (u[o] * magnitude);
        }
        return settings.roundoffFactor() * epsilon * Math.sqrt(noise) / width;
    }

    private static double[] signs(SplittableRandom random, int length) {
        double[] u = new double[length];
        for (int o = 0; o < length; o++) {
            u[o] = random.nextBoolean() ? 1 : -1;
        }
        return u;
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
