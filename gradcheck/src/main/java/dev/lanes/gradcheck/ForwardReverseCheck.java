package dev.lanes.gradcheck;

import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Tape;
import dev.lanes.autodiff.Var;
import dev.lanes.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The oracle without finite differences: for random directions v (one per input) and output
 * weights u, forward mode computes uᵀ(J·v) and reverse mode (uᵀ·J)·v, the same number summed in
 * two different orders, so they agree to float32 rounding whatever the function.
 *
 * <pre>{@code
 * GradCheck.forwardReverse("my loss", in -> Losses.mse(in[0].tanh(), target)).inputs(x).check();
 * }</pre>
 *
 * <p><b>Tolerance.</b> Both sides are linear computations along the same recorded operations,
 * and differ only by rounding. An operation that produces its tangent (or its input gradient)
 * with a relative error of c ulp, c from its kernel's accuracy (0.5 for an add or a product, up
 * to 8 for an activation's derivative, more for a sum of K terms that cancel), changes the final
 * number by at most about c·ε·‖ẏ‖·‖ȳ‖, where ẏ is the tangent of its output and ȳ the gradient
 * of the output with respect to it: the error travels to the result along ȳ in forward mode and
 * along ẏ in reverse mode. So the check passes when |uᵀ(Jv) − (uᵀJ)v| ≤ κ·ε·S with
 * S = Σₖ ‖ẏₖ‖·‖ȳₖ‖ over every recorded value k (the inputs and the output included), ε = 2⁻²³,
 * and the condition factor κ = {@value #DEFAULT_ULPS}·√n by default, n the size of the largest
 * recorded value (which bounds the length of any sum inside an operation, whose rounding grows
 * like √K for terms of random sign); {@link #conditioning} sets κ for a function known to be
 * worse conditioned. S measures the terms inside the computation, so a cancellation (a loss
 * whose terms of order 1 leave a gradient of 10⁻⁴) widens the tolerance as it widens the
 * rounding, while a wrong derivative is off by a fraction of its own term ‖ẏₖ‖·‖ȳₖ‖, about 10⁴
 * times the tolerance at the sizes of the tests. The function must record the same operations on
 * both tapes and give the same value, to the bit. Any NaN fails.
 */
public final class ForwardReverseCheck {
    /** Ulps per element in the default condition factor. */
    public static final double DEFAULT_ULPS = 16;
    private static final double EPSILON = 0x1.0p-23;

    private final String name;
    private final Function function;
    private Tensor[] inputs;
    private long seed = 42;
    private int directions = 4;
    private double conditioning = Double.NaN;

    ForwardReverseCheck(String name, Function function) {
        this.name = Objects.requireNonNull(name, "name");
        this.function = Objects.requireNonNull(function, "function");
    }

    /**
     * The point to check at (copied).
     *
     * @param values the values, row-major
     * @return this check
     */
    public ForwardReverseCheck inputs(Tensor... values) {
        inputs = new Tensor[values.length];
        for (int i = 0; i < values.length; i++) {
            inputs[i] = Objects.requireNonNull(values[i], "input " + i).copy();
        }
        return this;
    }

    /**
     * The seed of the directions and output weights (printed in every failure); default 42.
     *
     * @param value the seed of the random u and v; a failure message prints it
     * @return this check
     */
    public ForwardReverseCheck seed(long value) {
        seed = value;
        return this;
    }

    /**
     * How many random (u, v) pairs to try; default 4.
     *
     * @param count the number of (u, v) pairs, {@code >= 1}
     * @return this check
     */
    public ForwardReverseCheck directions(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("directions must be at least 1, got " + count);
        }
        directions = count;
        return this;
    }

    /**
     * The condition factor κ of the tolerance κ·ε·S (default {@value #DEFAULT_ULPS}·√N).
     *
     * @param kappa κ, the condition factor of the bound
     * @return this check
     */
    public ForwardReverseCheck conditioning(double kappa) {
        if (!(kappa > 0) || Double.isInfinite(kappa)) {
            throw new IllegalArgumentException("conditioning must be positive and finite, got " + kappa);
        }
        conditioning = kappa;
        return this;
    }

    /**
     * The outcome of a passing check.
     *
     * @param subject the name of the checked function
     * @param directions the number of (u, v) pairs checked
     * @param worstRatio the largest discrepancy over its bound: below 1 passes
     * @param seed the seed of the random directions
     */
    public record Result(String subject, int directions, double worstRatio, long seed) {
    }

    /**
     * Runs the check.
     *
     * @return the result, when every pair agrees
     * @throws AssertionError naming the function, both products, the tolerance and the seed
     */
    public Result check() {
        if (inputs == null) {
            throw new IllegalStateException(name + ": give the point to check with inputs(tensors...)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double worst = 0;
        for (int k = 1; k <= directions; k++) {
            Tensor[] v = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                v[i] = Tensor.randn(inputs[i].shape(), random.nextLong());
            }
            Tape forward = new Tape(Tape.Mode.FORWARD);
            Var[] tangentInputs = new Var[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                tangentInputs[i] = forward.input(inputs[i], v[i]);
            }
            Var y = function.apply(tangentInputs);
            Tensor u = Tensor.randn(y.shape(), random.nextLong());
            Tape reverse = new Tape();
            Var[] plainInputs = new Var[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                plainInputs[i] = reverse.input(inputs[i]);
            }
            Var z = function.apply(plainInputs);
            requireSameValue(y.value(), z.value(), k);
            reverse.backward(z, u);
            worst = Math.max(worst, compare(k, u, y, forward, reverse, plainInputs, v));
        }
        return new Result(name, directions, worst, seed);
    }

    /** The ratio of |forward − reverse| to the tolerance for direction k; throws above 1. */
    private double compare(int k, Tensor u, Var y, Tape forward, Tape reverse, Var[] inputsOfReverse, Tensor[] v) {
        double forwardProduct = dot(u, y.tangent());
        double reverseProduct = 0;
        for (int i = 0; i < v.length; i++) {
            reverseProduct += dot(inputsOfReverse[i].grad(), v[i]);
        }
        List<Var> tangents = forward.vars();
        List<Var> adjoints = reverse.vars();
        if (tangents.size() != adjoints.size()) {
            throw new AssertionError(name + ": the function recorded " + tangents.size() + " operations on the "
                    + "forward-mode tape and " + adjoints.size() + " on the reverse-mode tape; seed " + seed);
        }
        double magnitude = 0;
        long largest = 1;
        for (int i = 0; i < tangents.size(); i++) {
            magnitude += norm(tangents.get(i).tangent()) * norm(adjoints.get(i).grad());
            largest = Math.max(largest, tangents.get(i).value().size());
        }
        double kappa = Double.isNaN(conditioning) ? DEFAULT_ULPS * Math.sqrt(largest) : conditioning;
        double tolerance = kappa * EPSILON * magnitude;
        double error = Math.abs(forwardProduct - reverseProduct);
        double ratio = tolerance > 0 ? error / tolerance : error == 0 ? 0 : Double.POSITIVE_INFINITY;
        if (!(ratio <= 1)) {
            throw new AssertionError(String.format(Locale.ROOT, "forward/reverse agreement failed for %s%n"
                    + "  u^T (J v):  %.9g   (forward mode)%n"
                    + "  (u^T J) v:  %.9g   (reverse mode)%n"
                    + "  error:      %.3g > tolerance %.3g = kappa %.3g * eps * S, S = %.4g%n"
                    + "  direction %d of %d; seed %d", name, forwardProduct, reverseProduct, error, tolerance, kappa,
                    magnitude, k, directions, seed));
        }
        return ratio;
    }

    private void requireSameValue(Tensor forward, Tensor reverse, int k) {
        float[] a = forward.toArray();
        float[] b = reverse.toArray();
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                throw new AssertionError(name + ": the value differs between the forward-mode and the reverse-mode tape"
                        + " at flat index " + i + " (" + a[i] + " and " + b[i] + "); direction " + k + ", seed " + seed);
            }
        }
    }

    private static double dot(Tensor a, Tensor b) {
        float[] x = a.toArray();
        float[] y = b.toArray();
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += (double) x[i] * y[i];
        }
        return sum;
    }

    private static double norm(Tensor a) {
        return Math.sqrt(dot(a, a));
    }
}
