package dev.lanes.autodiff;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.Activations;
import dev.lanes.tensor.Tensor;

/**
 * An activation function of the kernels: value and first derivative from {@link Activations}
 * (so a function written with this node computes what {@code ActivationLayer} computes, bit for
 * bit), the second derivative, which no kernel has, in a loop in double.
 */
final class ActivationNode extends Pointwise {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_CUBIC = 0.044715;
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private Activation activation;

    private ActivationNode(Tape tape) {
        super(tape);
    }

    static Var apply(Var x, Activation activation) {
        Tape tape = Tape.of("activation", x);
        if (activation == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
        ActivationNode node = tape.next(ActivationNode.class, ActivationNode::new);
        node.activation = activation;
        node.inputs[0] = x;
        return tape.run(node);
    }

    @Override
    String name() {
        return activation.toString();
    }

    // y = f(x) (the formulas on Activation)
    @Override
    void compute(Tensor y, Tensor x) {
        Activations.forward(activation, y.data(), 0, x.data(), x.offset(), y.size());
    }

    // v·f'(x), f' from the saved input or output as Activation.saved() says
    @Override
    void derivative(Tensor result, Tensor v) {
        Tensor saved = activation.saved() == Activation.Saved.OUTPUT ? out.value : x;
        Activations.backward(activation, result.data(), result.offset(), v.data(), v.offset(), saved.data(),
                saved.offset(), result.size());
    }

    @Override
    Tensor second(Tensor g, Tensor dx) {
        Activation.Kind kind = activation.kind();
        if (kind == Activation.Kind.STEP || kind == Activation.Kind.IDENTITY || kind == Activation.Kind.RELU
                || kind == Activation.Kind.LEAKY_RELU || kind == Activation.Kind.HARD_SIGMOID
                || kind == Activation.Kind.THRESHOLDED_RELU) {
            return null; // piecewise linear: f'' = 0 away from the kinks
        }
        Tensor f2 = Tensor.zeros(x.shape());
        float[] values = f2.data();
        float[] xs = x.data();
        int xo = x.offset();
        float[] ys = out.value.data();
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) secondDerivative(kind, activation.parameter(), xs[xo + i], ys[i]);
        }
        return g.mul(f2).mul(dx);
    }

    // sigmoid: y(1−y)(1−2y);  tanh: −2y(1−y²);  softplus: σ(x)(1−σ(x));
    // softsign: −2·sign(x)/(1+|x|)³;  ELU: 0 for x > 0, else y + α (= αe^x);  SELU: 0, else y + λα;
    // GELU (erf): φ(x)(2 − x²);  GELU (tanh), with u = c(x + k x³), t = tanh u, u' = c(1 + 3k x²),
    // u'' = 6ckx: (1 − t²)(u' + x(u''/2 − t·u'²));  hard swish: 1/3 on (−3, 3), else 0;
    // CELU: 0 for x > 0, else e^(x/α)/α = (y/α + 1)/α;  Mish, with σ = sigmoid(x), t = tanh(softplus x),
    // s = 1 − t²: sσ(2 + x(1 − σ − 2tσ))
    private static double secondDerivative(Activation.Kind kind, double alpha, double x, double y) {
        return switch (kind) {
            case SIGMOID -> y * (1 - y) * (1 - 2 * y);
            case TANH -> -2 * y * (1 - y * y);
            case SOFTPLUS -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 - s);
            }
            case SOFTSIGN -> -2 * Math.signum(x) / Math.pow(1 + Math.abs(x), 3);
            case ELU -> x > 0 ? 0 : y + alpha;
            case SELU -> x > 0 ? 0 : y + Activation.SELU_LAMBDA * Activation.SELU_ALPHA;
            case GELU_ERF -> INV_SQRT_2PI * Math.exp(-x * x / 2) * (2 - x * x);
            case GELU_TANH -> {
                double u1 = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
                double u2 = 6 * SQRT_2_OVER_PI * GELU_CUBIC * x;
                double t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x));
                yield (1 - t * t) * (u1 + x * (u2 / 2 - t * u1 * u1));
            }
            case HARD_SWISH -> x > -3 && x < 3 ? 1.0 / 3 : 0;
            case CELU -> x > 0 ? 0 : (y / alpha + 1) / alpha;
            case MISH -> {
                double sigma = 1 / (1 + Math.exp(-x));
                double t = Math.tanh(Math.log1p(Math.exp(x)));
                double s = 1 - t * t;
                yield s * sigma * (2 + x * (1 - sigma - 2 * t * sigma));
            }
            case STEP, IDENTITY, RELU, LEAKY_RELU, HARD_SIGMOID, THRESHOLDED_RELU -> 0;
        };
    }
}
