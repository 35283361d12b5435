package dev.lanes.layers;

import dev.lanes.kernels.Gemm;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * A fully connected (linear) layer: {@code y = x · Wᵀ + b}.
 *
 * <p>Input (n, in), output (n, out). The weight is stored <b>(out, in)</b>, row-major, as in
 * PyTorch's {@code nn.Linear} (so checkpoints map one to one): row {@code o} holds the weights
 * into output unit {@code o}. The bias (out) is optional.
 *
 * <p>Initialisation: the weight is He normal, N(0, 2/in) (He et al. 2015, for ReLU-style layers
 * that follow), drawn by {@link Tensor#randn(Shape, float, float, long)} from the given seed; the
 * bias is zero. Overwrite {@code weight().value()} to use another scheme.
 *
 * <p>All three products go through {@link Gemm#sgemm}; the output and input-gradient workspaces
 * are reused while the batch size stays the same.
 */
public final class Dense implements Layer {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private final String name;
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradOutputCopy = new Workspace();
    private Tensor input;
    // The last input shape and its output shape, kept so steady-state calls build no Shape.
    private Shape inputShape;
    private Shape outShape;

    /**
     * A dense layer with a bias, weights He-normal from {@code seed}.
     *
     * @param inFeatures the number of input features, {@code >= 1}
     * @param outFeatures the number of output features, {@code >= 1}
     * @param seed the seed of the He-normal weights: the same seed gives the same weights
     */
    public Dense(int inFeatures, int outFeatures, long seed) {
        this(inFeatures, outFeatures, true, seed);
    }

    /**
     * A dense layer, weights He-normal from {@code seed}, bias zero when present.
     *
     * @param inFeatures the number of input features, {@code >= 1}
     * @param outFeatures the number of output features, {@code >= 1}
     * @param bias whether the layer has a bias
     * @param seed the seed of the He-normal weights: the same seed gives the same weights
     * @throws IllegalArgumentException if a feature count is not positive
     */
    public Dense(int inFeatures, int outFeatures, boolean bias, long seed) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Dense: feature counts must be positive, got in " + inFeatures
                    + ", out " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        float std = (float) Math.sqrt(2.0 / inFeatures);
        this.weight = new Parameter("weight", Tensor.randn(Shape.of(outFeatures, inFeatures), 0f, std, seed), true);
        this.bias = bias ? new Parameter("bias", Tensor.zeros(outFeatures), false) : null;
        this.name = "Dense(" + inFeatures + " -> " + outFeatures + (bias ? "" : ", no bias") + ")";
    }

    /** {@return the number of input features} */
    public int inFeatures() {
        return inFeatures;
    }

    /** {@return the number of output features} */
    public int outFeatures() {
        return outFeatures;
    }

    /** {@return the weight, (out, in)} */
    public Parameter weight() {
        return weight;
    }

    /** {@return the bias, (out), or null when the layer has none} */
    public Parameter bias() {
        return bias;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() != 2 || inputShape.dim(1) != inFeatures) {
            throw Shapes.mismatch(name, "input", Shapes.withBatch(inFeatures), inputShape);
        }
        return Shape.of(inputShape.dim(0), outFeatures);
    }

    // y (n, out) = x (n, in) · Wᵀ (in, out) + b: the bias is copied into every row, then GEMM adds
    // x·Wᵀ with beta = 1.
    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(inputShape)) {
            outShape = outputShape(input.shape());
            inputShape = input.shape();
        }
        int n = outShape.dim(0);
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(outShape);
        float[] out = y.data();
        if (bias != null) {
            float[] b = bias.value().data();
            for (int row = 0; row < n; row++) {
                System.arraycopy(b, 0, out, row * outFeatures, outFeatures);
            }
        }
        Gemm.sgemm(false, true, n, outFeatures, inFeatures, 1f, x.data(), x.offset(), inFeatures,
                weight.value().data(), 0, inFeatures, bias != null ? 1f : 0f, out, 0, outFeatures);
        this.input = x;
        return y;
    }

    // dL/dx (n, in) = dL/dy (n, out) · W (out, in)
    // dL/dW (out, in) += dL/dyᵀ (out, n) · x (n, in)
    // dL/db (out) += Σ_n dL/dy[n, :]
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        int n = input.dim(0);
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), outShape);
        Tensor dy = gradOutputCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(input.shape());
        Gemm.sgemm(false, false, n, inFeatures, outFeatures, 1f, dy.data(), dy.offset(), outFeatures,
                weight.value().data(), 0, inFeatures, 0f, dx.data(), 0, inFeatures);
        Gemm.sgemm(true, false, outFeatures, inFeatures, n, 1f, dy.data(), dy.offset(), outFeatures,
                input.data(), input.offset(), inFeatures, 1f, weight.grad().data(), 0, inFeatures);
        if (bias != null) {
            addColumnSums(bias.grad().data(), dy.data(), dy.offset(), n, outFeatures);
        }
        return dx;
    }

    /** sums[j] += Σ_row matrix[offset + row*cols + j], accumulated in row order. */
    static void addColumnSums(float[] sums, float[] matrix, int offset, int rows, int cols) {
        // Each column is summed on its own and added once, so the result does not depend on what
        // sums held: two backward passes add exactly twice one.
        for (int j = 0; j < cols; j++) {
            float sum = 0;
            for (int row = 0; row < rows; row++) {
                sum += matrix[offset + row * cols + j];
            }
            sums[j] += sum;
        }
    }

    @Override
    public List<Parameter> parameters() {
        return bias != null ? List.of(weight, bias) : List.of(weight);
    }
}
