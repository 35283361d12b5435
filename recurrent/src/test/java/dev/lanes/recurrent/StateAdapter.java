package dev.lanes.recurrent;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A recurrent layer with its states made part of a plain {@link Layer}, so that the gradient
 * checker covers them: the initial state h0 (and c0) are extra parameters, and the output row n
 * is the layer's output row n (flattened) followed by the final h of every layer and direction
 * for sequence n (then the final c). Lengths are fixed at construction. The twin of
 * {@link RecurrentReference}.
 */
final class StateAdapter implements Layer {
    private final RecurrentLayer layer;
    private final int[] lengths;
    private final Parameter h0;
    private final Parameter c0;
    private final List<Parameter> parameters = new ArrayList<>();
    private int batch;
    private int outputWidth;
    private int stateWidth;

    StateAdapter(RecurrentLayer layer, int[] lengths, Tensor h0, Tensor c0) {
        this.layer = layer;
        this.lengths = lengths;
        this.h0 = new Parameter("h0", h0, false);
        this.c0 = c0 == null ? null : new Parameter("c0", c0, false);
        parameters.addAll(layer.parameters());
        parameters.add(this.h0);
        if (this.c0 != null) {
            parameters.add(this.c0);
        }
    }

    RecurrentLayer layer() {
        return layer;
    }

    @Override
    public String name() {
        return layer.name() + " with states" + (lengths == null ? "" : ", lengths " + java.util.Arrays.toString(lengths));
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        Shape out = layer.outputShape(inputShape);
        int n = inputShape.dim(0);
        int states = layer.stateShape(n).dim(0) * layer.hiddenSize() * (c0 == null ? 1 : 2);
        return Shape.of(n, out.size() / n + states);
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        Tensor y = layer.forward(input, lengths, new RecurrentState(h0.value(), c0 == null ? null : c0.value()),
                training);
        RecurrentState last = layer.finalState();
        batch = input.dim(0);
        outputWidth = y.size() / batch;
        stateWidth = layer.stateShape(batch).dim(0) * layer.hiddenSize();
        int row = outputWidth + stateWidth * (c0 == null ? 1 : 2);
        float[] out = new float[batch * row];
        float[] values = y.contiguous().toArray();
        for (int n = 0; n < batch; n++) {
            System.arraycopy(values, n * outputWidth, out, n * row, outputWidth);
            states(last.h(), out, n * row + outputWidth, n, true);
            if (c0 != null) {
                states(last.c(), out, n * row + outputWidth + stateWidth, n, true);
            }
        }
        return Tensor.wrap(out, batch, row);
    }

    /** Copies sequence n's states of every layer and direction between a state tensor and a row. */
    private void states(Tensor state, float[] row, int at, int n, boolean toRow) {
        int hidden = layer.hiddenSize();
        float[] data = state.data();
        for (int index = 0; index < state.dim(0); index++) {
            int s = state.offset() + (index * batch + n) * hidden;
            if (toRow) {
                System.arraycopy(data, s, row, at + index * hidden, hidden);
            } else {
                System.arraycopy(row, at + index * hidden, data, s, hidden);
            }
        }
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        float[] g = gradOutput.contiguous().toArray();
        int row = g.length / batch;
        Shape outShape = layer.outputShape(Shape.of(batch, layer.options().returnSequences()
                ? outputWidth / (layer.options().directions() * layer.hiddenSize()) : 1, layer.inputSize()));
        float[] dy = new float[batch * outputWidth];
        Shape stateShape = layer.stateShape(batch);
        Tensor dh = Tensor.zeros(stateShape);
        Tensor dc = c0 == null ? null : Tensor.zeros(stateShape);
        for (int n = 0; n < batch; n++) {
            System.arraycopy(g, n * row, dy, n * outputWidth, outputWidth);
            states(dh, g, n * row + outputWidth, n, false);
            if (dc != null) {
                states(dc, g, n * row + outputWidth + stateWidth, n, false);
            }
        }
        Tensor dx = layer.backward(Tensor.wrap(dy, outShape.dims()), new RecurrentState(dh, dc));
        RecurrentState initial = layer.initialStateGradient();
        h0.grad().addInPlace(initial.h());
        if (c0 != null) {
            c0.grad().addInPlace(initial.c());
        }
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }
}
