package dev.lanes.recurrent;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Applies a layer to every time step of a sequence: (N, T, features...) is read as N x T
 * independent rows (N T, features...), given to the inner layer, and its output (N T, out...)
 * returned as (N, T, out...). With a {@code Dense} inside this is a per-step output layer (the
 * scores of a language model or a decoder), followed by a softmax or a loss over the same rows.
 * The reshapes are views of contiguous tensors (the layer copies a non-contiguous input once), so
 * nothing is allocated in steady state. Parameters are the inner layer's, under its names.
 */
public final class TimeDistributed implements Layer {
    private final Layer inner;
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Shape inputShape;
    private Shape rowsShape;
    private Shape outShape;
    private Shape innerOutShape;
    private Tensor lastInput;
    private Tensor rows;
    private Tensor lastInnerOutput;
    private Tensor lastOutput;
    private Tensor lastGradOutput;
    private Tensor gradRows;
    private Tensor lastGradInner;
    private Tensor lastGradInput;

    /**
     * Applies {@code inner} to every time step.
     *
     * @param inner the layer applied to each step, taking (N, features...)
     */
    public TimeDistributed(Layer inner) {
        this.inner = inner;
    }

    /** {@return the layer applied at every step} */
    public Layer inner() {
        return inner;
    }

    @Override
    public String name() {
        return "TimeDistributed(" + inner.name() + ")";
    }

    private static Shape merge(Shape shape) {
        int[] dims = shape.dims();
        int[] merged = java.util.Arrays.copyOfRange(dims, 1, dims.length);
        merged[0] = dims[0] * dims[1];
        return Shape.of(merged);
    }

    private static Shape split(Shape rows, int batch, int steps) {
        int[] dims = rows.dims();
        int[] out = new int[dims.length + 1];
        out[0] = batch;
        out[1] = steps;
        System.arraycopy(dims, 1, out, 2, dims.length - 1);
        return Shape.of(out);
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 3) {
            throw Shapes.mismatch(name(), "input", "(N, T, features...)", inputShape);
        }
        Shape out = inner.outputShape(merge(inputShape));
        if (out.rank() < 2 || out.dim(0) != inputShape.dim(0) * inputShape.dim(1)) {
            throw new IllegalArgumentException(name() + ": the inner layer maps " + merge(inputShape) + " to " + out
                    + ", not to one row per step");
        }
        return split(out, inputShape.dim(0), inputShape.dim(1));
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(inputShape)) {
            outShape = outputShape(input.shape());
            inputShape = input.shape();
            rowsShape = merge(inputShape);
            innerOutShape = merge(outShape);
            lastInput = null;
            lastGradOutput = null;
        }
        if (input != lastInput || !input.isContiguous()) {
            rows = inputCopy.contiguous(input).reshape(rowsShape);
            lastInput = input;
        }
        Tensor y = inner.forward(rows, training);
        if (y != lastInnerOutput || !y.isContiguous()) {
            lastOutput = y.contiguous().reshape(outShape);
            lastInnerOutput = y;
        }
        return lastOutput;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (inputShape == null) {
            throw new IllegalStateException(name() + ": backward before forward");
        }
        Shapes.requireEqual(name(), "gradOutput", gradOutput.shape(), outShape);
        if (gradOutput != lastGradOutput || !gradOutput.isContiguous()) {
            gradRows = gradCopy.contiguous(gradOutput).reshape(innerOutShape);
            lastGradOutput = gradOutput;
        }
        Tensor dx = inner.backward(gradRows);
        if (dx != lastGradInner || !dx.isContiguous()) {
            lastGradInput = dx.contiguous().reshape(inputShape);
            lastGradInner = dx;
        }
        return lastGradInput;
    }

    @Override
    public List<Parameter> parameters() {
        return inner.parameters();
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        return inner.namedParameters();
    }

    @Override
    public Map<String, Tensor> buffers() {
        return inner.buffers();
    }
}
