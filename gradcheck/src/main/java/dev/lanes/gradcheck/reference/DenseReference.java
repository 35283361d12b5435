package dev.lanes.gradcheck.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * y = x W^T + b: input (n, in), weight (out, in), bias (out) or none, output (n, out).
 *
 * <p>Backward: dx[i][a] = sum_o g[i][o] W[o][a]; dW[o][a] += sum_i g[i][o] x[i][a];
 * db[o] += sum_i g[i][o].
 */
public final class DenseReference implements ReferenceLayer {
    private final int inFeatures;
    private final int outFeatures;
    private final ReferenceParameter weight;
    private final ReferenceParameter bias;
    private double[] x;
    private int batch;

    /**
     * A dense layer with the given weight and bias.
     *
     * @param inFeatures the input features, {@code >= 1}
     * @param outFeatures the output features, {@code >= 1}
     * @param weight (outFeatures, inFeatures) row-major, used as is
     * @param bias   (outFeatures), or null for no bias
     */
    public DenseReference(int inFeatures, int outFeatures, double[] weight, double[] bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = ReferenceParameter.of("weight", weight, outFeatures, inFeatures);
        this.bias = bias == null ? null : ReferenceParameter.of("bias", bias, outFeatures);
    }

    @Override
    public String name() {
        return "DenseReference(" + inFeatures + " -> " + outFeatures + (bias == null ? ", no bias" : "") + ")";
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        Reference.requireRank(name(), inputShape, 2);
        if (inputShape[1] != inFeatures) {
            throw new IllegalArgumentException(name() + " expects " + inFeatures + " features, got " + inputShape[1]);
        }
        return new int[] {inputShape[0], outFeatures};
    }

    @Override
    public double[] forward(double[] input, int[] inputShape, boolean training) {
        batch = outputShape(inputShape)[0];
        Reference.requireLength("input", input, batch * inFeatures);
        x = input.clone();
        double[] w = weight.value();
        double[] y = new double[batch * outFeatures];
        for (int i = 0; i < batch; i++) {
            for (int o = 0; o < outFeatures; o++) {
                double sum = bias == null ? 0 : bias.value()[o];
                for (int a = 0; a < inFeatures; a++) {
                    sum += x[i * inFeatures + a] * w[o * inFeatures + a];
                }
                y[i * outFeatures + o] = sum;
            }
        }
        return y;
    }

    @Override
    public double[] backward(double[] g) {
        Reference.requireForward(x, name());
        Reference.requireLength("gradOutput", g, batch * outFeatures);
        double[] w = weight.value();
        double[] dw = weight.grad();
        double[] dx = new double[batch * inFeatures];
        for (int i = 0; i < batch; i++) {
            for (int o = 0; o < outFeatures; o++) {
                double go = g[i * outFeatures + o];
                for (int a = 0; a < inFeatures; a++) {
                    dx[i * inFeatures + a] += go * w[o * inFeatures + a];
                    dw[o * inFeatures + a] += go * x[i * inFeatures + a];
                }
                if (bias != null) {
                    bias.grad()[o] += go;
                }
            }
        }
        return dx;
    }

    @Override
    public List<ReferenceParameter> parameters() {
        List<ReferenceParameter> out = new ArrayList<>();
        out.add(weight);
        if (bias != null) {
            out.add(bias);
        }
        return out;
    }
}
