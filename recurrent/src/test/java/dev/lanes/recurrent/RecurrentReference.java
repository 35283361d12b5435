package dev.lanes.recurrent;

import dev.lanes.gradcheck.reference.ReferenceLayer;
import dev.lanes.gradcheck.reference.ReferenceParameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The double-precision reference of a recurrent layer with its states exposed, the twin of
 * {@link StateAdapter}: one sequence and one step at a time, each gate written out, backward by
 * hand in the reverse order. Its output row n is the layer's output row n (flattened) followed
 * by the final h of every layer and direction for sequence n (and then the final c for an
 * LSTM); its parameters are the layer's, in the layer's order, then the initial states h0 (and
 * c0), each (layers x directions, N, hidden).
 */
final class RecurrentReference implements ReferenceLayer {
    enum Kind { RNN_TANH, RNN_RELU, LSTM, GRU }

    private final Kind kind;
    private final int inputSize;
    private final int hidden;
    private final RecurrentOptions options;
    private final int directions;
    private final int gateCount;
    private final int[] lengths;
    private final List<ReferenceParameter> parameters = new ArrayList<>();
    private final ReferenceParameter h0;
    private final ReferenceParameter c0;
    private int batch;
    private int steps;
    /** Per layer and direction, per sequence, per step: what backward needs. */
    private StepRecord[][][][] records;
    /** Per layer: its input (N, T, width). */
    private double[][] layerInputs;

    /** What one step kept: its input, previous state, pre-activations and activated gates, new state. */
    private record StepRecord(double[] x, double[] hPrev, double[] cPrev, double[] inputPart, double[] hiddenPart,
                              double[] gates, double[] h, double[] c) {
    }

    /**
     * A reference with the given parameter values (per layer and direction W_ih, W_hh, b_ih,
     * b_hh as in PyTorch, then h0 and c0 for {@code batch} sequences); {@code lengths} null for
     * full-length sequences.
     */
    RecurrentReference(Kind kind, int inputSize, int hidden, RecurrentOptions options, int[] lengths,
                       List<double[]> values, int batch) {
        this.kind = kind;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.options = options;
        this.directions = options.directions();
        this.gateCount = switch (kind) {
            case LSTM -> 4;
            case GRU -> 3;
            default -> 1;
        };
        this.lengths = lengths;
        int v = 0;
        for (int l = 0; l < options.layers(); l++) {
            int in = l == 0 ? inputSize : directions * hidden;
            for (int d = 0; d < directions; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                parameters.add(ReferenceParameter.of("weight_ih" + suffix, values.get(v++), gateCount * hidden, in));
                parameters.add(ReferenceParameter.of("weight_hh" + suffix, values.get(v++), gateCount * hidden,
                        hidden));
                if (options.bias()) {
                    parameters.add(ReferenceParameter.of("bias_ih" + suffix, values.get(v++), gateCount * hidden));
                    parameters.add(ReferenceParameter.of("bias_hh" + suffix, values.get(v++), gateCount * hidden));
                }
            }
        }
        int stateLayers = options.layers() * directions;
        h0 = ReferenceParameter.of("h0", values.get(v++), stateLayers, batch, hidden);
        parameters.add(h0);
        c0 = kind == Kind.LSTM ? ReferenceParameter.of("c0", values.get(v), stateLayers, batch, hidden) : null;
        if (c0 != null) {
            parameters.add(c0);
        }
    }

    @Override
    public String name() {
        return "reference " + kind + " " + options;
    }

    private int perDirection() {
        return options.bias() ? 4 : 2;
    }

    private ReferenceParameter parameter(int layer, int direction, int which) {
        return parameters.get((layer * directions + direction) * perDirection() + which);
    }

    private int outputWidth() {
        return (options.returnSequences() ? steps : 1) * directions * hidden;
    }

    private int rowWidth() {
        int stateLayers = options.layers() * directions;
        return outputWidth() + stateLayers * hidden * (kind == Kind.LSTM ? 2 : 1);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        steps = inputShape[1];
        return new int[] {inputShape[0], rowWidth()};
    }

    private int length(int n) {
        return lengths == null ? steps : lengths[n];
    }

    @Override
    public double[] forward(double[] input, int[] inputShape, boolean training) {
        batch = inputShape[0];
        steps = inputShape[1];
        int layers = options.layers();
        records = new StepRecord[layers][directions][batch][steps];
        layerInputs = new double[layers][];
        double[] x = input;
        int width = inputSize;
        double[] out = new double[batch * rowWidth()];
        for (int l = 0; l < layers; l++) {
            layerInputs[l] = x;
            double[] next = new double[batch * steps * directions * hidden];
            for (int d = 0; d < directions; d++) {
                for (int n = 0; n < batch; n++) {
                    int stateAt = ((l * directions + d) * batch + n) * hidden;
                    double[] h = slice(h0.value(), stateAt, hidden);
                    double[] c = c0 == null ? null : slice(c0.value(), stateAt, hidden);
                    int len = length(n);
                    for (int k = 0; k < len; k++) {
                        int t = d == 1 ? len - 1 - k : k;
                        StepRecord r = step(l, d, slice(x, (n * steps + t) * width, width), h, c);
                        records[l][d][n][t] = r;
                        h = r.h();
                        c = r.c();
                        System.arraycopy(h, 0, next, ((n * steps + t) * directions + d) * hidden, hidden);
                    }
                    writeFinal(out, l, d, n, h, c);
                }
            }
            x = next;
            width = directions * hidden;
        }
        for (int n = 0; n < batch; n++) {
            if (options.returnSequences()) {
                System.arraycopy(x, n * steps * width, out, n * rowWidth(), steps * width);
            } else {
                for (int d = 0; d < directions; d++) {
                    int from = (layers - 1) * directions + d;
                    System.arraycopy(out, n * rowWidth() + outputWidth() + from * hidden, out,
                            n * rowWidth() + d * hidden, hidden);
                }
            }
        }
        return out;
    }

    private void writeFinal(double[] out, int layer, int direction, int n, double[] h, double[] c) {
        int stateLayers = options.layers() * directions;
        int index = layer * directions + direction;
        System.arraycopy(h, 0, out, n * rowWidth() + outputWidth() + index * hidden, hidden);
        if (c != null) {
            System.arraycopy(c, 0, out, n * rowWidth() + outputWidth() + (stateLayers + index) * hidden, hidden);
        }
    }

    private static double[] slice(double[] a, int offset, int length) {
        double[] out = new double[length];
        System.arraycopy(a, offset, out, 0, length);
        return out;
    }

    private static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    /** The projection b + W v of a (rows, cols) matrix W. */
    private static double[] affine(double[] w, double[] b, double[] v, int rows) {
        int cols = v.length;
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            double sum = b == null ? 0 : b[i];
            for (int j = 0; j < cols; j++) {
                sum += w[i * cols + j] * v[j];
            }
            out[i] = sum;
        }
        return out;
    }

    private StepRecord step(int l, int d, double[] x, double[] hPrev, double[] cPrev) {
        int rows = gateCount * hidden;
        double[] inputPart = affine(parameter(l, d, 0).value(), options.bias() ? parameter(l, d, 2).value() : null,
                x, rows);
        double[] hiddenPart = affine(parameter(l, d, 1).value(), options.bias() ? parameter(l, d, 3).value() : null,
                hPrev, rows);
        double[] gates = new double[rows];
        double[] h = new double[hidden];
        double[] c = null;
        int hd = hidden;
        switch (kind) {
            case RNN_TANH, RNN_RELU -> {
                for (int j = 0; j < hd; j++) {
                    double a = inputPart[j] + hiddenPart[j];
                    h[j] = kind == Kind.RNN_TANH ? Math.tanh(a) : Math.max(a, 0);
                }
            }
            case LSTM -> {
                c = new double[hd];
                for (int j = 0; j < hd; j++) {
                    gates[j] = sigmoid(inputPart[j] + hiddenPart[j]);
                    gates[hd + j] = sigmoid(inputPart[hd + j] + hiddenPart[hd + j]);
                    gates[2 * hd + j] = Math.tanh(inputPart[2 * hd + j] + hiddenPart[2 * hd + j]);
                    gates[3 * hd + j] = sigmoid(inputPart[3 * hd + j] + hiddenPart[3 * hd + j]);
                    c[j] = gates[hd + j] * cPrev[j] + gates[j] * gates[2 * hd + j];
                    h[j] = gates[3 * hd + j] * Math.tanh(c[j]);
                }
            }
            case GRU -> {
                for (int j = 0; j < hd; j++) {
                    gates[j] = sigmoid(inputPart[j] + hiddenPart[j]);
                    gates[hd + j] = sigmoid(inputPart[hd + j] + hiddenPart[hd + j]);
                    gates[2 * hd + j] = Math.tanh(inputPart[2 * hd + j] + gates[j] * hiddenPart[2 * hd + j]);
                    h[j] = (1 - gates[hd + j]) * gates[2 * hd + j] + gates[hd + j] * hPrev[j];
                }
            }
        }
        return new StepRecord(x, hPrev, cPrev, inputPart, hiddenPart, gates, h, c);
    }

    @Override
    public double[] backward(double[] gradOutput) {
        int layers = options.layers();
        int stateLayers = layers * directions;
        double[] gradNext = new double[batch * steps * directions * hidden];
        for (int n = 0; n < batch; n++) {
            if (options.returnSequences()) {
                System.arraycopy(gradOutput, n * rowWidth(), gradNext, n * steps * directions * hidden,
                        steps * directions * hidden);
            }
        }
        double[] gradInput = null;
        for (int l = layers - 1; l >= 0; l--) {
            int width = l == 0 ? inputSize : directions * hidden;
            double[] gradX = new double[batch * steps * width];
            for (int d = 0; d < directions; d++) {
                int index = l * directions + d;
                for (int n = 0; n < batch; n++) {
                    int row = n * rowWidth();
                    double[] dh = slice(gradOutput, row + outputWidth() + index * hidden, hidden);
                    if (!options.returnSequences() && l == layers - 1) {
                        for (int j = 0; j < hidden; j++) {
                            dh[j] += gradOutput[row + d * hidden + j];
                        }
                    }
                    double[] dc = kind == Kind.LSTM
                            ? slice(gradOutput, row + outputWidth() + (stateLayers + index) * hidden, hidden) : null;
                    int len = length(n);
                    for (int k = len - 1; k >= 0; k--) {
                        int t = d == 1 ? len - 1 - k : k;
                        for (int j = 0; j < hidden; j++) {
                            dh[j] += gradNext[((n * steps + t) * directions + d) * hidden + j];
                        }
                        double[][] back = stepBackward(l, d, records[l][d][n][t], dh, dc);
                        for (int j = 0; j < width; j++) {
                            gradX[(n * steps + t) * width + j] += back[0][j];
                        }
                        dh = back[1];
                        dc = back[2];
                    }
                    int stateAt = (index * batch + n) * hidden;
                    for (int j = 0; j < hidden; j++) {
                        h0.grad()[stateAt + j] += dh[j];
                        if (c0 != null) {
                            c0.grad()[stateAt + j] += dc[j];
                        }
                    }
                }
            }
            gradNext = gradX;
            gradInput = gradX;
        }
        return gradInput;
    }

    /** dx, dhPrev, dcPrev of one step from dh, dc; adds into the step's parameter gradients. */
    private double[][] stepBackward(int l, int d, StepRecord r, double[] dh, double[] dc) {
        int hd = hidden;
        int rows = gateCount * hd;
        double[] dInput = new double[rows];
        double[] dHidden = new double[rows];
        double[] dhDirect = new double[hd];
        double[] dcPrev = null;
        double[] g = r.gates();
        switch (kind) {
            case RNN_TANH, RNN_RELU -> {
                for (int j = 0; j < hd; j++) {
                    double slope = kind == Kind.RNN_TANH ? 1 - r.h()[j] * r.h()[j] : r.h()[j] > 0 ? 1 : 0;
                    dInput[j] = dh[j] * slope;
                    dHidden[j] = dInput[j];
                }
            }
            case LSTM -> {
                dcPrev = new double[hd];
                for (int j = 0; j < hd; j++) {
                    double tc = Math.tanh(r.c()[j]);
                    double dcTotal = dc[j] + dh[j] * g[3 * hd + j] * (1 - tc * tc);
                    dInput[j] = dcTotal * g[2 * hd + j] * g[j] * (1 - g[j]);
                    dInput[hd + j] = dcTotal * r.cPrev()[j] * g[hd + j] * (1 - g[hd + j]);
                    dInput[2 * hd + j] = dcTotal * g[j] * (1 - g[2 * hd + j] * g[2 * hd + j]);
                    dInput[3 * hd + j] = dh[j] * tc * g[3 * hd + j] * (1 - g[3 * hd + j]);
                    dcPrev[j] = dcTotal * g[hd + j];
                }
                System.arraycopy(dInput, 0, dHidden, 0, rows);
            }
            case GRU -> {
                for (int j = 0; j < hd; j++) {
                    double reset = g[j];
                    double update = g[hd + j];
                    double n = g[2 * hd + j];
                    double dn = dh[j] * (1 - update) * (1 - n * n);
                    double dz = dh[j] * (r.hPrev()[j] - n) * update * (1 - update);
                    double dr = dn * r.hiddenPart()[2 * hd + j] * reset * (1 - reset);
                    dInput[j] = dr;
                    dInput[hd + j] = dz;
                    dInput[2 * hd + j] = dn;
                    dHidden[j] = dr;
                    dHidden[hd + j] = dz;
                    dHidden[2 * hd + j] = dn * reset;
                    dhDirect[j] = dh[j] * update;
                }
            }
        }
        double[] dx = accumulate(parameter(l, d, 0), options.bias() ? parameter(l, d, 2) : null, dInput, r.x());
        double[] dhPrev = accumulate(parameter(l, d, 1), options.bias() ? parameter(l, d, 3) : null, dHidden,
                r.hPrev());
        for (int j = 0; j < hd; j++) {
            dhPrev[j] += dhDirect[j];
        }
        return new double[][] {dx, dhPrev, dcPrev};
    }

    /** dW += da ⊗ v, db += da; returns Wᵀ da. */
    private static double[] accumulate(ReferenceParameter w, ReferenceParameter b, double[] da, double[] v) {
        int cols = v.length;
        double[] out = new double[cols];
        for (int i = 0; i < da.length; i++) {
            for (int j = 0; j < cols; j++) {
                w.grad()[i * cols + j] += da[i] * v[j];
                out[j] += w.value()[i * cols + j] * da[i];
            }
            if (b != null) {
                b.grad()[i] += da[i];
            }
        }
        return out;
    }

    @Override
    public List<ReferenceParameter> parameters() {
        return parameters;
    }
}
