package dev.lanes.recurrent;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * A lookup table of token vectors, PyTorch's {@code nn.Embedding}: an input of token indices of
 * any shape (..., stored as floats, as the losses take class indices) gives (..., dimension), row
 * i of the weight (vocabulary, dimension) for token i. The weight is N(0, 1) from the seed, as
 * PyTorch draws it, and is named {@code weight}, so a state dict loads unchanged.
 *
 * <p>Backward adds each output row's gradient into its token's weight row (a token that occurs
 * twice gets both) and returns a zero gradient for the indices, which are not differentiable.
 * An index that is not an integer in [0, vocabulary) throws, naming the position and the value.
 */
public final class Embedding implements Layer {
    private final int vocabulary;
    private final int dimension;
    private final Parameter weight;
    private final String name;
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace indices = new Workspace();
    private Shape inputShape;
    private Shape outShape;
    private Tensor tokens;

    /**
     * A table of {@code vocabulary} vectors of {@code dimension} floats, standard normal from
     * {@code seed}.
     *
     * @param vocabulary the number of distinct token ids, {@code >= 1}
     * @param dimension the length of each token's vector, {@code >= 1}
     * @param seed the seed of the standard-normal table, as PyTorch initialises it
     * @throws IllegalArgumentException if a size is not positive
     */
    public Embedding(int vocabulary, int dimension, long seed) {
        if (vocabulary < 1 || dimension < 1) {
            throw new IllegalArgumentException("Embedding: vocabulary and dimension must be positive, got "
                    + vocabulary + " and " + dimension);
        }
        this.vocabulary = vocabulary;
        this.dimension = dimension;
        this.weight = new Parameter("weight", Tensor.randn(Shape.of(vocabulary, dimension), seed), true);
        this.name = "Embedding(" + vocabulary + ", " + dimension + ")";
    }

    /** {@return the number of distinct token ids} */
    public int vocabulary() {
        return vocabulary;
    }

    /** {@return the length of each token's vector} */
    public int dimension() {
        return dimension;
    }

    /** {@return the table, (vocabulary, dimension)} */
    public Parameter weight() {
        return weight;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 1) {
            throw Shapes.mismatch(name, "input", "token indices of shape (N, ...)", inputShape);
        }
        int[] dims = inputShape.dims();
        int[] out = java.util.Arrays.copyOf(dims, dims.length + 1);
        out[dims.length] = dimension;
        return Shape.of(out);
    }

    // y[p, :] = W[x[p], :]
    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(inputShape)) {
            outShape = outputShape(input.shape());
            inputShape = input.shape();
        }
        Tensor x = indices.contiguous(input);
        float[] ids = x.data();
        int offset = x.offset();
        int count = x.size();
        for (int p = 0; p < count; p++) {
            float id = ids[offset + p];
            if (!(id >= 0 && id < vocabulary && id == (int) id)) {
                throw new IllegalArgumentException(name + ": input[" + p + "] = " + id
                        + " is not a token index in [0, " + vocabulary + ")");
            }
        }
        Tensor y = output.get(outShape);
        float[] table = weight.value().data();
        float[] out = y.data();
        for (int p = 0; p < count; p++) {
            System.arraycopy(table, (int) ids[offset + p] * dimension, out, p * dimension, dimension);
        }
        tokens = x;
        return y;
    }

    // dL/dW[i, :] += Σ_{p : x[p] = i} dL/dy[p, :]; the indices get a zero gradient
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (tokens == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), outShape);
        Tensor dy = gradOutput.contiguous();
        float[] g = dy.data();
        int offset = dy.offset();
        float[] grad = weight.grad().data();
        float[] ids = tokens.data();
        int count = tokens.size();
        for (int p = 0; p < count; p++) {
            int row = (int) ids[tokens.offset() + p] * dimension;
            int from = offset + p * dimension;
            for (int j = 0; j < dimension; j++) {
                grad[row + j] += g[from + j];
            }
        }
        return gradInput.get(inputShape).zero();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight);
    }
}
