package dev.lanes.gradcheck;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * A small test layer, y[n][f] = tanh(x[n][f]) * weight[f] + bias[f], with switches that plant
 * bugs in its backward pass so the checker's tests can watch it catch them.
 */
final class ScaleShift implements Layer {
    enum Bug { NONE, INPUT_SIGN, BIAS_MISSING, WEIGHT_INDEX, OVERWRITE_INSTEAD_OF_ACCUMULATE }

    private final int features;
    private final Parameter weight;
    private final Parameter bias;
    private final Bug bug;
    private Tensor x;

    ScaleShift(int features, long seed, Bug bug) {
        this.features = features;
        this.weight = new Parameter("weight", Tensor.randn(Shape.of(features), seed), true);
        this.bias = new Parameter("bias", Tensor.randn(Shape.of(features), seed + 1), false);
        this.bug = bug;
    }

    @Override
    public String name() {
        return "ScaleShift(" + features + ")";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() != 2 || inputShape.dim(1) != features) {
            throw new IllegalArgumentException(name() + " expects (n, " + features + "), got " + inputShape);
        }
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        outputShape(input.shape());
        x = input;
        Tensor y = Tensor.zeros(input.shape());
        for (int n = 0; n < input.dim(0); n++) {
            for (int f = 0; f < features; f++) {
                y.set(n, f, (float) Math.tanh(input.get(n, f)) * weight.value().get(f) + bias.value().get(f));
            }
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor g) {
        Tensor dx = Tensor.zeros(x.shape());
        if (bug == Bug.OVERWRITE_INSTEAD_OF_ACCUMULATE) {
            weight.grad().zero();
            bias.grad().zero();
        }
        for (int n = 0; n < x.dim(0); n++) {
            for (int f = 0; f < features; f++) {
                float t = (float) Math.tanh(x.get(n, f));
                float d = g.get(n, f) * weight.value().get(f) * (1 - t * t);
                dx.set(n, f, bug == Bug.INPUT_SIGN && n == 0 && f == features - 1 ? -d : d);
                int wf = bug == Bug.WEIGHT_INDEX ? (f + 1) % features : f;
                weight.grad().set(wf, weight.grad().get(wf) + g.get(n, f) * t);
                if (bug != Bug.BIAS_MISSING) {
                    bias.grad().set(f, bias.grad().get(f) + g.get(n, f));
                }
            }
        }
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }
}
