package dev.lanes.kernels;

import java.util.Objects;

/**
 * An activation function with its parameter: an immutable value (equal when kind and parameter
 * are equal) that a layer holds and hands to {@link Activations}. Parameter-free activations are
 * constants; {@link #leakyRelu(float)}, {@link #elu(float)}, {@link #celu(float)} and
 * {@link #thresholdedRelu(float)} take their parameter.
 *
 * <pre>{@code
 * Activation act = Activation.leakyRelu(0.2f);
 * act.forward(y, 0, x, 0, n);
 * act.backward(dx, 0, dy, 0, act.saved() == Activation.Saved.INPUT ? x : y, 0, n);
 * }</pre>
 *
 * <p>Each backward pass reads either the saved forward input or the saved output, whichever gives
 * the cheaper (and still accurate) derivative; {@link #saved()} says which. Where the derivative
 * formula reads the saved value, a NaN there gives a NaN gradient; where the derivative is 0 the
 * gradient is 0 whatever the upstream gradient holds.
 */
public final class Activation {
    /**
     * The activation functions, each with its name (as layers show it) and what its backward pass
     * reads; those that take a parameter (slope, alpha, threshold) show it after the name.
     */
    public enum Kind {
        /** Heaviside step: 1 for x &gt; 0, else 0; zero gradient. */
        STEP("Step", Saved.NONE),
        /** y = x. */
        IDENTITY("Identity", Saved.NONE),
        /** y = 1 / (1 + e^-x). */
        SIGMOID("Sigmoid", Saved.OUTPUT),
        /** y = tanh x. */
        TANH("Tanh", Saved.OUTPUT),
        /** y = max(x, 0). */
        RELU("ReLU", Saved.OUTPUT),
        /** y = x for x &gt; 0, slope x otherwise; see {@link #leakyRelu(float)}. */
        LEAKY_RELU("LeakyReLU", Saved.INPUT, true),
        /** y = x for x &gt; 0, alpha (e^x - 1) otherwise; see {@link #elu(float)}. */
        ELU("ELU", Saved.OUTPUT, true),
        /** SELU, with the constants of Klambauer et al. 2017. */
        SELU("SELU", Saved.OUTPUT),
        /** GELU, tanh approximation. */
        GELU_TANH("GELU(tanh)", Saved.INPUT),
        /** GELU with the exact normal CDF (erf). */
        GELU_ERF("GELU(erf)", Saved.INPUT),
        /** y = ln(1 + e^x). */
        SOFTPLUS("Softplus", Saved.INPUT),
        /** y = x / (1 + |x|). */
        SOFTSIGN("Softsign", Saved.INPUT),
        /** y = clip(x/6 + 1/2, 0, 1), as PyTorch's Hardsigmoid. */
        HARD_SIGMOID("HardSigmoid", Saved.OUTPUT),
        /** y = x relu6(x + 3) / 6, as PyTorch's Hardswish. */
        HARD_SWISH("HardSwish", Saved.INPUT),
        /** y = x tanh(ln(1 + e^x)). */
        MISH("Mish", Saved.INPUT),
        /** y = x for x &gt; 0, alpha (e^(x/alpha) - 1) otherwise; see {@link #celu(float)}. */
        CELU("CELU", Saved.OUTPUT, true),
        /** y = x for x &gt; threshold, else 0; see {@link #thresholdedRelu(float)}. */
        THRESHOLDED_RELU("ThresholdedReLU", Saved.INPUT, true);

        private final String label;
        private final Saved saved;
        private final boolean parameterized;

        Kind(String label, Saved saved) {
            this(label, saved, false);
        }

        Kind(String label, Saved saved, boolean parameterized) {
            this.label = label;
            this.saved = saved;
            this.parameterized = parameterized;
        }
    }

    /** What {@link Activations#backward} reads besides the upstream gradient. */
    public enum Saved {
        /** The forward pass's input x. */
        INPUT,
        /** The forward pass's output y (so the output may overwrite the input in place). */
        OUTPUT,
        /** Nothing: the derivative is a constant; the saved array may be null. */
        NONE
    }

    /** SELU's lambda (scale), Klambauer et al. 2017, "Self-Normalizing Neural Networks". */
    public static final double SELU_LAMBDA = 1.0507009873554804934193349852946;
    /** SELU's alpha, Klambauer et al. 2017. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;

    /** Heaviside step: 1 for x > 0, 0 for x &lt;= 0 (0 at ±0), NaN for NaN. Derivative 0; saves nothing. */
    public static final Activation STEP = new Activation(Kind.STEP, 0f);
    /** y = x. Derivative 1; saves nothing. */
    public static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0f);
    /** y = 1 / (1 + e^-x). Backward from the output: dy/dx = y (1 - y). */
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f);
    /** y = tanh(x). Backward from the output: dy/dx = (1 - y)(1 + y). */
    public static final Activation TANH = new Activation(Kind.TANH, 0f);
    /**
     * y = max(x, 0) with Java's {@code Math.max} semantics: relu(NaN) = NaN, relu(-0) = +0.
     * Backward from the output: dy/dx = 1 where y > 0, else 0 (0 at x = 0).
     */
    public static final Activation RELU = new Activation(Kind.RELU, 0f);
    /**
     * y = 1.0507 x for x > 0, 1.0507 * 1.6733 (e^x - 1) otherwise: SELU with the constants
     * {@link #SELU_LAMBDA} and {@link #SELU_ALPHA} of Klambauer et al. 2017. Backward from the
     * output: dy/dx = lambda where y > 0, else y + lambda alpha.
     */
    public static final Activation SELU = new Activation(Kind.SELU, 0f);
    /**
     * GELU, tanh approximation (Hendrycks and Gimpel 2016; PyTorch's {@code approximate='tanh'}):
     * y = x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2. Backward from the input.
     */
    public static final Activation GELU_TANH = new Activation(Kind.GELU_TANH, 0f);
    /**
     * GELU with the exact normal CDF (PyTorch's default): y = x Phi(x) = x (1 + erf(x / sqrt 2)) / 2.
     * Backward from the input: dy/dx = Phi(x) + x phi(x).
     */
    public static final Activation GELU_ERF = new Activation(Kind.GELU_ERF, 0f);
    /** y = ln(1 + e^x), computed as max(x, 0) + ln(1 + e^-|x|). Backward from the input: sigmoid(x). */
    public static final Activation SOFTPLUS = new Activation(Kind.SOFTPLUS, 0f);
    /** y = x / (1 + |x|), ±1 at ±Inf. Backward from the input: 1 / (1 + |x|)^2 (from y it would cancel). */
    public static final Activation SOFTSIGN = new Activation(Kind.SOFTSIGN, 0f);
    /**
     * Hard sigmoid as in PyTorch's {@code Hardsigmoid}: y = clip(x/6 + 1/2, 0, 1) = relu6(x + 3) / 6
     * (not Keras 2's 0.2 x + 0.5). Backward from the output: 1/6 where 0 &lt; y &lt; 1, else 0.
     */
    public static final Activation HARD_SIGMOID = new Activation(Kind.HARD_SIGMOID, 0f);
    /**
     * Hard swish as in PyTorch's {@code Hardswish} (Howard et al. 2019, MobileNetV3):
     * y = x relu6(x + 3) / 6, so 0 for x &lt;= -3 (-0 for negative x, -Inf included) and x for
     * x &gt;= 3. Backward from the input: 0 for x &lt; -3, (2x + 3) / 6 for -3 &lt;= x &lt;= 3, 1 above
     * (PyTorch's one-sided values at the knees).
     */
    public static final Activation HARD_SWISH = new Activation(Kind.HARD_SWISH, 0f);
    /**
     * Mish (Misra 2019): y = x tanh(softplus(x)) = x n / (n + 2) with n = e^x (e^x + 2); mish(-Inf)
     * = -0. Backward from the input: tanh(sp) + x sech^2(sp) sigmoid(x) = t + 4 x e^x (1 + e^x) /
     * (n + 2)^2 with t = n / (n + 2).
     */
    public static final Activation MISH = new Activation(Kind.MISH, 0f);
    /** CELU with alpha = 1 (then the same function as ELU with alpha 1); see {@link #celu(float)}. */
    public static final Activation CELU = new Activation(Kind.CELU, 1f);
    /** Thresholded ReLU with ONNX's default threshold 1; see {@link #thresholdedRelu(float)}. */
    public static final Activation THRESHOLDED_RELU = new Activation(Kind.THRESHOLDED_RELU, 1f);
    /** Leaky ReLU with PyTorch's default slope 0.01; see {@link #leakyRelu(float)}. */
    public static final Activation LEAKY_RELU = new Activation(Kind.LEAKY_RELU, 0.01f);
    /** ELU with alpha = 1; see {@link #elu(float)}. */
    public static final Activation ELU = new Activation(Kind.ELU, 1f);

    private final Kind kind;
    private final float parameter;

    private Activation(Kind kind, float parameter) {
        this.kind = kind;
        this.parameter = parameter;
    }

    /**
     * Leaky ReLU: y = x for x > 0, slope * x otherwise (so y(-0) = -0 for a positive slope, unlike
     * {@link #RELU}). Backward from the input: 1 where x > 0, else slope; any finite slope works.
     *
     * @param slope the slope for negative inputs
     * @return the activation
     * @throws IllegalArgumentException if the slope is not finite
     */
    public static Activation leakyRelu(float slope) {
        Check.finite("slope", slope);
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    /**
     * ELU: y = x for x > 0, alpha (e^x - 1) otherwise (computed with an accurate expm1). Backward
     * from the output: 1 where y > 0, else y + alpha, which needs alpha >= 0.
     *
     * @param alpha alpha, the scale of the negative branch, {@code >= 0}
     * @return the activation
     * @throws IllegalArgumentException if alpha is negative or not finite
     */
    public static Activation elu(float alpha) {
        Check.finite("alpha", alpha);
        if (alpha < 0) {
            throw new IllegalArgumentException("alpha must be non-negative (backward reads the output), got " + alpha);
        }
        return new Activation(Kind.ELU, alpha);
    }

    /**
     * CELU (Barron 2017, "Continuously Differentiable Exponential Linear Units"): y = x for x &gt; 0,
     * alpha (e^(x/alpha) - 1) otherwise. Backward from the output: 1 where y &gt; 0, else
     * y / alpha + 1 (= e^(x/alpha)).
     *
     * @param alpha alpha, the scale of the negative branch, {@code > 0}
     * @return the activation
     * @throws IllegalArgumentException if alpha is not positive and finite
     */
    public static Activation celu(float alpha) {
        Check.finite("alpha", alpha);
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("alpha must be positive (CELU divides by it), got " + alpha);
        }
        return new Activation(Kind.CELU, alpha);
    }

    /**
     * Thresholded ReLU as in ONNX's {@code ThresholdedRelu}: y = x for x &gt; threshold, else +0
     * (NaN stays NaN). Backward from the input: 1 where x &gt; threshold, else 0.
     *
     * @param threshold the input value above which the output is the input
     * @return the activation
     * @throws IllegalArgumentException if the threshold is not finite
     */
    public static Activation thresholdedRelu(float threshold) {
        Check.finite("threshold", threshold);
        return new Activation(Kind.THRESHOLDED_RELU, threshold);
    }

    /** {@return the function} */
    public Kind kind() {
        return kind;
    }

    /**
     * {@return the slope of leaky ReLU, the alpha of ELU and CELU, the threshold of thresholded
     * ReLU; else 0}
     */
    public float parameter() {
        return parameter;
    }

    /** {@return what the backward pass reads: the forward input, the forward output, or nothing} */
    public Saved saved() {
        return kind.saved;
    }

    /**
     * Same as {@link Activations#forward}{@code (this, ...)}.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public void forward(float[] out, int offOut, float[] in, int offIn, int length) {
        Activations.forward(this, out, offOut, in, offIn, length);
    }

    /**
     * Same as {@link Activations#backward}{@code (this, ...)}.
     *
     * @param gradIn the gradient with respect to the input, written
     * @param offGradIn the index in {@code gradIn} of its first element
     * @param gradOut the gradient with respect to the output
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param saved the forward input or output, as {@link Activation#saved()} says
     * @param offSaved the index in {@code saved} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public void backward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                         float[] saved, int offSaved, int length) {
        Activations.backward(this, gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Activation that && kind == that.kind
                && Float.floatToIntBits(parameter) == Float.floatToIntBits(that.parameter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, parameter);
    }

    /** The name as layers show it: "ReLU", "LeakyReLU(0.01)", "GELU(tanh)". */
    @Override
    public String toString() {
        return kind.parameterized ? kind.label + "(" + parameter + ")" : kind.label;
    }
}
