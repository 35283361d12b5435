package dev.lanes.layers;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.Activations;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * An elementwise activation function as a layer, over the kernels' {@link Activation}
 * descriptor: the constructor takes every function of {@code dev.lanes.kernels.Activation.Kind}
 * (step, identity, sigmoid, tanh, ReLU, leaky ReLU, ELU, SELU, GELU with the tanh approximation or
 * the exact erf, softplus, softsign, hard sigmoid, hard swish, Mish, CELU, thresholded ReLU), and
 * the layer is named as {@link Activation#toString()} names it ("ReLU", "LeakyReLU(0.2)"). The
 * factories are a convenience; {@link PReLU}, whose slopes are learned, is a layer of its own. The
 * formulas, their derivatives, the accuracy and the special values (NaN propagates,
 * {@code relu(-0) = +0}) are documented on {@link Activation}.
 *
 * <p>Any input shape; the output has the same shape. Backward reads the saved forward input or
 * output, whichever {@link Activation#saved()} names: the layer keeps a reference to the input
 * (see {@link Layer}) or its own output workspace.
 */
public final class ActivationLayer implements Layer {
    private final Activation activation;
    private final String name;
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Tensor input;
    private Tensor outputTensor;

    /**
     * A layer applying {@code activation}.
     *
     * @param activation the activation function, with its constants
     */
    public ActivationLayer(Activation activation) {
        if (activation == null) {
            throw new IllegalArgumentException("ActivationLayer: activation must not be null");
        }
        this.activation = activation;
        this.name = activation.toString();
    }

    /**
     * Heaviside step: 1 for x > 0, else 0; zero gradient.
     *
     * @return the layer
     */
    public static ActivationLayer step() {
        return new ActivationLayer(Activation.STEP);
    }

    /**
     * y = x.
     *
     * @return the layer
     */
    public static ActivationLayer identity() {
        return new ActivationLayer(Activation.IDENTITY);
    }

    /**
     * y = 1 / (1 + e^−x).
     *
     * @return the layer
     */
    public static ActivationLayer sigmoid() {
        return new ActivationLayer(Activation.SIGMOID);
    }

    /**
     * y = tanh x.
     *
     * @return the layer
     */
    public static ActivationLayer tanh() {
        return new ActivationLayer(Activation.TANH);
    }

    /**
     * y = max(x, 0).
     *
     * @return the layer
     */
    public static ActivationLayer relu() {
        return new ActivationLayer(Activation.RELU);
    }

    /**
     * y = x for x > 0, slope·x otherwise.
     *
     * @param slope the slope for negative inputs
     * @return the layer
     */
    public static ActivationLayer leakyRelu(float slope) {
        return new ActivationLayer(Activation.leakyRelu(slope));
    }

    /**
     * y = x for x > 0, alpha·(e^x − 1) otherwise; alpha >= 0.
     *
     * @param alpha alpha, the scale of the negative branch
     * @return the layer
     */
    public static ActivationLayer elu(float alpha) {
        return new ActivationLayer(Activation.elu(alpha));
    }

    /**
     * SELU with the constants of Klambauer et al. 2017.
     *
     * @return the layer
     */
    public static ActivationLayer selu() {
        return new ActivationLayer(Activation.SELU);
    }

    /**
     * GELU, tanh approximation.
     *
     * @return the layer
     */
    public static ActivationLayer geluTanh() {
        return new ActivationLayer(Activation.GELU_TANH);
    }

    /**
     * GELU with the exact normal CDF (erf).
     *
     * @return the layer
     */
    public static ActivationLayer geluErf() {
        return new ActivationLayer(Activation.GELU_ERF);
    }

    /**
     * y = ln(1 + e^x).
     *
     * @return the layer
     */
    public static ActivationLayer softplus() {
        return new ActivationLayer(Activation.SOFTPLUS);
    }

    /**
     * y = x / (1 + |x|).
     *
     * @return the layer
     */
    public static ActivationLayer softsign() {
        return new ActivationLayer(Activation.SOFTSIGN);
    }

    /**
     * y = clip(x/6 + 1/2, 0, 1), as PyTorch's Hardsigmoid.
     *
     * @return the layer
     */
    public static ActivationLayer hardSigmoid() {
        return new ActivationLayer(Activation.HARD_SIGMOID);
    }

    /**
     * y = x relu6(x + 3) / 6, as PyTorch's Hardswish.
     *
     * @return the layer
     */
    public static ActivationLayer hardSwish() {
        return new ActivationLayer(Activation.HARD_SWISH);
    }

    /**
     * y = x tanh(ln(1 + e^x)) (Mish).
     *
     * @return the layer
     */
    public static ActivationLayer mish() {
        return new ActivationLayer(Activation.MISH);
    }

    /**
     * y = x for x > 0, alpha·(e^(x/alpha) − 1) otherwise; alpha > 0.
     *
     * @param alpha alpha, the scale of the negative branch
     * @return the layer
     */
    public static ActivationLayer celu(float alpha) {
        return new ActivationLayer(Activation.celu(alpha));
    }

    /**
     * y = x for x > threshold, 0 otherwise, as ONNX's ThresholdedRelu.
     *
     * @param threshold the input value above which the output is the input
     * @return the layer
     */
    public static ActivationLayer thresholdedRelu(float threshold) {
        return new ActivationLayer(Activation.thresholdedRelu(threshold));
    }

    /** {@return the activation descriptor} */
    public Activation activation() {
        return activation;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        return inputShape;
    }

    // y = f(x), elementwise (f and its formula on Activation)
    @Override
    public Tensor forward(Tensor input, boolean training) {
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(input.shape());
        Activations.forward(activation, y.data(), 0, x.data(), x.offset(), y.size());
        this.input = x;
        this.outputTensor = y;
        return y;
    }

    // dL/dx = dL/dy · f'(x), f' computed from x or from y = f(x) as Activation.saved() says
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), outputTensor.shape());
        Tensor dy = gradCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(outputTensor.shape());
        Tensor saved = activation.saved() == Activation.Saved.OUTPUT ? outputTensor : input;
        Activations.backward(activation, dx.data(), 0, dy.data(), dy.offset(), saved.data(), saved.offset(),
                dx.size());
        return dx;
    }
}
