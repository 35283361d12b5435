package dev.lanes.gradcheck.reference;

/** An elementwise activation layer: y = f(x), dx = f'(x) * g, any input shape. */
public final class ActivationReference implements ReferenceLayer {
    private final ActivationFunction function;
    private final double parameter;
    private double[] x;

    /**
     * {@code parameter}: the slope of leaky ReLU, the alpha of ELU; ignored by the others.
     *
     * @param function the activation function
     * @param parameter the activation's constant (slope, alpha or threshold)
     */
    public ActivationReference(ActivationFunction function, double parameter) {
        this.function = function;
        this.parameter = parameter;
    }

    /**
     * An activation without parameter (leaky ReLU gets slope 0.01, ELU alpha 1, as PyTorch).
     *
     * @param function the activation function
     */
    public ActivationReference(ActivationFunction function) {
        this(function, function == ActivationFunction.LEAKY_RELU ? 0.01 : 1);
    }

    /** {@return the function} */
    public ActivationFunction function() {
        return function;
    }

    @Override
    public String name() {
        return "ActivationReference(" + function + (function == ActivationFunction.LEAKY_RELU
                || function == ActivationFunction.ELU ? " " + parameter : "") + ")";
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public double[] forward(double[] input, int[] inputShape, boolean training) {
        Reference.requireLength("input", input, Reference.size(inputShape));
        x = input.clone();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = function.apply(x[i], parameter);
        }
        return y;
    }

    @Override
    public double[] backward(double[] g) {
        Reference.requireForward(x, name());
        Reference.requireLength("gradOutput", g, x.length);
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = function.derivative(x[i], parameter) * g[i];
        }
        return dx;
    }
}
