package dev.lanes.gradcheck.reference;

/**
 * Elementwise activation functions in double, each with its derivative written from the formula
 * (not from the output), and the points where the function has a kink or a jump.
 */
public enum ActivationFunction {
    /** 1 for x &gt; 0, else 0; derivative 0 (the jump at 0 is not differentiated). */
    STEP(0),
    /** x. */
    IDENTITY(),
    /** 1 / (1 + e^-x). */
    SIGMOID(),
    /** tanh x. */
    TANH(),
    /** max(x, 0); derivative 1 for x &gt; 0, else 0. */
    RELU(0),
    /** x for x &gt; 0, else slope * x (parameter: slope). */
    LEAKY_RELU(0),
    /** x for x &gt; 0, else alpha (e^x - 1) (parameter: alpha). */
    ELU(0),
    /** lambda * (x for x &gt; 0, else alpha (e^x - 1)), Klambauer et al. 2017. */
    SELU(0),
    /** x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    GELU_TANH(),
    /** x Phi(x) = x/2 (1 + erf(x / sqrt 2)). */
    GELU_ERF(),
    /** ln(1 + e^x). */
    SOFTPLUS(),
    /** x / (1 + |x|); its second derivative jumps at 0. */
    SOFTSIGN(0),
    /** clip(x/6 + 1/2, 0, 1), as PyTorch's Hardsigmoid. */
    HARD_SIGMOID(-3, 3),
    /** x relu6(x + 3) / 6, as PyTorch's Hardswish. */
    HARD_SWISH(-3, 3),
    /** x tanh(ln(1 + e^x)) (Mish). */
    MISH(),
    /** x for x &gt; 0, else alpha (e^(x/alpha) - 1) (parameter: alpha); its second derivative jumps at 0. */
    CELU(0),
    /** x for x &gt; threshold, else 0 (parameter: the threshold, where it jumps: not in {@link #kinks()}). */
    THRESHOLDED_RELU();

    /** SELU's lambda. */
    public static final double SELU_LAMBDA = 1.0507009873554804934193349852946;
    /** SELU's alpha. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_CUBIC = 0.044715;

    private final double[] kinks;

    ActivationFunction(double... kinks) {
        this.kinks = kinks;
    }

    /**
     * Where the function (or its first or second derivative) is not smooth.
     *
     * @return the points where it is not smooth
     */
    public double[] kinks() {
        return kinks.clone();
    }

    /**
     * f(x); {@code parameter} is the slope of leaky ReLU, the alpha of ELU and CELU, the threshold of
     * thresholded ReLU, unused otherwise.
     *
     * @param x the input
     * @param parameter the activation's constant (slope, alpha or threshold), unused by the others
     * @return f(x)
     */
    public double apply(double x, double parameter) {
        return switch (this) {
            case STEP -> x > 0 ? 1 : 0;
            case IDENTITY -> x;
            case SIGMOID -> sigmoid(x);
            case TANH -> Math.tanh(x);
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : parameter * x;
            case ELU -> x > 0 ? x : parameter * Math.expm1(x);
            case SELU -> SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x)));
            case GELU_ERF -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
            case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case HARD_SIGMOID -> x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5;
            case HARD_SWISH -> x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6;
            case MISH -> x * Math.tanh(Math.log1p(Math.exp(x)));
            case CELU -> x > 0 ? x : parameter * Math.expm1(x / parameter);
            case THRESHOLDED_RELU -> x > parameter ? x : 0;
        };
    }

    /**
     * f'(x).
     *
     * @param x the input
     * @param parameter the activation's constant (slope, alpha or threshold), unused by the others
     * @return f'(x)
     */
    public double derivative(double x, double parameter) {
        return switch (this) {
            case STEP -> 0;
            case IDENTITY -> 1;
            case SIGMOID -> sigmoid(x) * (1 - sigmoid(x));
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : parameter;
            case ELU -> x > 0 ? 1 : parameter * Math.exp(x);
            case SELU -> SELU_LAMBDA * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x));
            case GELU_TANH -> {
                double t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
            }
            case GELU_ERF -> 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            case SOFTPLUS -> sigmoid(x);
            case SOFTSIGN -> 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x)));
            case HARD_SIGMOID -> x > -3 && x < 3 ? 1.0 / 6 : 0;
            case HARD_SWISH -> x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6;
            case MISH -> {
                double t = Math.tanh(Math.log1p(Math.exp(x)));
                yield t + x * (1 - t * t) * sigmoid(x);
            }
            case CELU -> x > 0 ? 1 : Math.exp(x / parameter);
            case THRESHOLDED_RELU -> x > parameter ? 1 : 0;
        };
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
