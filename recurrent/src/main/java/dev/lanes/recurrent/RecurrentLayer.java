package dev.lanes.recurrent;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A recurrent layer over batch-first sequences (N, T, features): {@link SimpleRnn}, {@link Lstm}
 * or {@link Gru}, stacked and bidirectional as in PyTorch, with PyTorch's parameter names,
 * shapes and order ({@code weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0},
 * {@code bias_hh_l0}, then {@code _reverse} for the second direction, then the next layer), so a
 * PyTorch state dict loads unchanged.
 *
 * <p><b>Output.</b> With {@code returnSequences} the output is (N, T, directions x hidden): the
 * top layer's h_t, the directions side by side (zero past a sequence's length). Otherwise it is
 * (N, directions x hidden): the top layer's final state, that is h after the last step for the
 * forward direction and after step 0 for the reverse one (PyTorch's {@code h_n[-2:]}).
 *
 * <p><b>State.</b> {@link #forward(Tensor, int[], RecurrentState, boolean)} takes an initial state
 * and the sequence lengths; {@link #finalState()} gives the state after the last forward,
 * {@link #backward(Tensor, RecurrentState)} takes a gradient for it, and
 * {@link #initialStateGradient()} gives dL/d(initial state), so layers can be chained through
 * their states (an encoder feeding a decoder). A {@linkplain #stateful stateful} layer starts each
 * forward from the previous one's final state, without a gradient flowing back across the
 * boundary: truncated backpropagation through time over consecutive batches.
 *
 * <p><b>Lengths.</b> A sequence of length len (0 &lt;= len &lt;= T) is read for t &lt; len only:
 * its outputs past len are zero and its final state is the one after its last step, in both
 * directions, as for PyTorch's packed sequences.
 *
 * <p>Errors name the layer and the shapes: an input that is not (N, T, features), lengths of the
 * wrong count or longer than T, a state or gradient of the wrong shape, backward before forward.
 */
public abstract sealed class RecurrentLayer implements Layer permits SimpleRnn, Lstm, Gru {
    /** Makes the pass of one direction of one layer. */
    @FunctionalInterface
    interface PassFactory {
        DirectionPass create(int inputSize, boolean reverse, String suffix, SplittableRandom random);
    }

    private final String name;
    private final int inputSize;
    private final int hiddenSize;
    private final RecurrentOptions options;
    private final int directions;
    private final boolean hasCell;
    private final DirectionPass[][] passes;
    private final List<Parameter> parameters;
    private final SequenceParts[] inputs;
    private final SequenceBatch batch;
    private float[] inputTimeMajor = new float[0];
    private float[] gradInputTimeMajor = new float[0];
    private float[] gradFinalH = new float[0];
    private float[] gradFinalC = new float[0];
    private final Workspace contiguousInput = new Workspace();
    private final Workspace contiguousGradient = new Workspace();
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace finalH = new Workspace();
    private final Workspace finalC = new Workspace();
    private final Workspace initialGradH = new Workspace();
    private final Workspace initialGradC = new Workspace();
    private boolean forwardDone;
    private boolean stateful;
    private RecurrentState carried;
    private double[] stateGradientNorms;
    // The last input shape and what follows from it, kept so steady-state calls build no Shape.
    private Shape seenInput;
    private Shape outShape;
    private Shape stateShape;
    private RecurrentState finalState;
    private RecurrentState initialGradient;

    RecurrentLayer(String kind, int inputSize, int hiddenSize, RecurrentOptions options, boolean hasCell,
                   PassFactory factory, long seed) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(kind + ": input and hidden sizes must be positive, got input "
                    + inputSize + ", hidden " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.options = options;
        this.directions = options.directions();
        this.hasCell = hasCell;
        this.name = kind + "(" + inputSize + " -> " + hiddenSize
                + (options.layers() > 1 ? ", " + options.layers() + " layers" : "")
                + (options.bidirectional() ? ", bidirectional" : "") + (options.bias() ? "" : ", no bias")
                + (options.returnSequences() ? ", sequences" : "") + ")";
        SplittableRandom random = new SplittableRandom(seed);
        this.passes = new DirectionPass[options.layers()][directions];
        List<Parameter> all = new ArrayList<>();
        for (int l = 0; l < options.layers(); l++) {
            int in = l == 0 ? inputSize : directions * hiddenSize;
            for (int d = 0; d < directions; d++) {
                DirectionPass pass = factory.create(in, d == 1, "_l" + l + (d == 1 ? "_reverse" : ""), random);
                passes[l][d] = pass;
                all.add(pass.weightIh);
                all.add(pass.weightHh);
                if (pass.biasIh != null) {
                    all.add(pass.biasIh);
                    all.add(pass.biasHh);
                }
            }
        }
        this.parameters = List.copyOf(all);
        this.batch = new SequenceBatch(name, hiddenSize, directions);
        this.inputs = new SequenceParts[options.layers()];
        for (int l = 0; l < inputs.length; l++) {
            inputs[l] = new SequenceParts();
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** {@return the features of one step of the input} */
    public int inputSize() {
        return inputSize;
    }

    /** {@return the features of the hidden state (per direction)} */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** {@return the layer count, directions, bias and output options} */
    public RecurrentOptions options() {
        return options;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * {@return the shape of the initial and final state for a batch: (layers x directions, batch,
     * hidden)}
     *
     * @param batchSize N, the number of sequences in a batch
     */
    public Shape stateShape(int batchSize) {
        return Shape.of(options.layers() * directions, batchSize, hiddenSize);
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() != 3 || inputShape.dim(2) != inputSize || inputShape.dim(0) < 1
                || inputShape.dim(1) < 1) {
            throw Shapes.mismatch(name, "input", "(N, T, " + inputSize + ") with N, T >= 1", inputShape);
        }
        int width = directions * hiddenSize;
        return options.returnSequences() ? Shape.of(inputShape.dim(0), inputShape.dim(1), width)
                : Shape.of(inputShape.dim(0), width);
    }

    /**
     * Starts every forward without an explicit initial state from the final state of the previous
     * forward (zeros at first and after {@link #resetState()}); no gradient flows back across.
     *
     * @param value true to carry the state from forward to forward, false to start from zeros
     * @return this layer
     */
    public RecurrentLayer stateful(boolean value) {
        this.stateful = value;
        this.carried = null;
        return this;
    }

    /** Makes a stateful layer start its next forward from zeros. */
    public void resetState() {
        carried = null;
    }

    /**
     * Records ‖dL/dh_t‖ (over the batch) of the first layer's forward direction at every step of
     * each backward, readable with {@link #stateGradientNorms()}: how much gradient reaches each
     * time step.
     *
     * @param value true to record, false to stop
     * @return this layer
     */
    public RecurrentLayer recordStateGradientNorms(boolean value) {
        stateGradientNorms = value ? new double[0] : null;
        return this;
    }

    /**
     * ‖dL/dh_t‖ for t = 0 .. T-1 of the last backward (a copy), if recording.
     *
     * @return the norms, one per step (empty before the first backward)
     */
    public double[] stateGradientNorms() {
        if (stateGradientNorms == null) {
            throw new IllegalStateException(name + ": call recordStateGradientNorms(true) before backward");
        }
        return stateGradientNorms.clone();
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        return forward(input, null, null, training);
    }

    /**
     * The output for {@code input} (N, T, features), with each sequence's length (null: all T)
     * and an initial state (null: zeros, or a stateful layer's carried state).
     *
     * @param input the input (N, T, features)
     * @param lengths each sequence's length, in {@code [1, T]}, or null when every sequence has T
     *     steps
     * @param initial the initial state, or null for zeros (or a stateful layer's carried state)
     * @param training true during training (the layer keeps what backward needs)
     * @return the output: (N, T, directions x hidden) for a layer returning sequences, else (N,
     *     directions x hidden)
     * @throws IllegalArgumentException naming the shapes when the input, lengths or state do not fit
     */
    public Tensor forward(Tensor input, int[] lengths, RecurrentState initial, boolean training) {
        if (!input.shape().equals(seenInput)) {
            outShape = outputShape(input.shape());
            seenInput = input.shape();
            stateShape = stateShape(input.dim(0));
        }
        int n = input.dim(0);
        int t = input.dim(1);
        batch.check(lengths, n, t);
        RecurrentState start = initial;
        if (start == null && stateful && carried != null) {
            if (carried.h().dim(1) != n) {
                throw new IllegalArgumentException(name + ": a stateful layer carries the state of a batch of "
                        + carried.h().dim(1) + " sequences, got a batch of " + n + "; call resetState() first");
            }
            start = carried;
        }
        checkState("initial state", start);
        prepare(t, n, lengths);
        Tensor x = contiguousInput.contiguous(input);
        batch.toTimeMajor(inputTimeMajor, x.data(), x.offset(), inputSize);
        for (int l = 0; l < passes.length; l++) {
            for (int d = 0; d < directions; d++) {
                int slice = (l * directions + d) * n * hiddenSize;
                passes[l][d].forward(inputs[l], start == null ? null : start.h().data(),
                        start == null ? 0 : start.h().offset() + slice,
                        start == null || start.c() == null ? null : start.c().data(),
                        start == null || start.c() == null ? 0 : start.c().offset() + slice);
            }
        }
        Tensor y = output.get(outShape);
        batch.writeOutput(y.data(), passes[passes.length - 1], options.returnSequences());
        forwardDone = true;
        if (stateful) {
            RecurrentState last = finalState();
            carried = carried != null && carried.h().shape().equals(last.h().shape())
                    ? copyInto(carried, last) : last.copy();
        }
        return y;
    }

    /** Copies source into target (contiguous tensors of one shape) without allocating. */
    private static RecurrentState copyInto(RecurrentState target, RecurrentState source) {
        copy(target.h(), source.h());
        if (target.c() != null) {
            copy(target.c(), source.c());
        }
        return target;
    }

    private static void copy(Tensor target, Tensor source) {
        System.arraycopy(source.data(), source.offset(), target.data(), target.offset(), source.size());
    }

    /**
     * Checks a state against {@link #stateShape} of the current batch; the messages are built on
     * failure only, so that a steady-state call allocates nothing.
     */
    private void checkState(String what, RecurrentState state) {
        if (state == null) {
            return;
        }
        if (!state.h().shape().equals(stateShape)) {
            throw Shapes.mismatch(name, what + " h", stateShape.toString(), state.h().shape());
        }
        if (hasCell) {
            if (state.c() == null) {
                throw new IllegalArgumentException(name + ": " + what + " needs c " + stateShape + " as well as h");
            }
            if (!state.c().shape().equals(stateShape)) {
                throw Shapes.mismatch(name, what + " c", stateShape.toString(), state.c().shape());
            }
        } else if (state.c() != null) {
            throw new IllegalArgumentException(name + ": " + what + " has a cell state c " + state.c().shape()
                    + ", but this layer has none");
        }
        if (!state.h().isContiguous() || state.c() != null && !state.c().isContiguous()) {
            throw new IllegalArgumentException(name + ": " + what + " tensors must be contiguous");
        }
    }

    private void prepare(int t, int n, int[] lengths) {
        batch.set(t, n, lengths);
        int[] kept = batch.lengthsOrNull();
        long rows = (long) t * n;
        inputTimeMajor = DirectionPass.fit(inputTimeMajor, rows * inputSize);
        gradInputTimeMajor = DirectionPass.fit(gradInputTimeMajor, rows * inputSize);
        gradFinalH = DirectionPass.fit(gradFinalH, (long) passes.length * directions * n * hiddenSize);
        gradFinalC = DirectionPass.fit(gradFinalC, (long) passes.length * directions * n * hiddenSize);
        for (DirectionPass[] layer : passes) {
            for (DirectionPass pass : layer) {
                pass.prepare(t, n, kept);
            }
        }
        inputs[0].clear();
        inputs[0].add(inputTimeMajor, 0, inputSize, gradInputTimeMajor);
        for (int l = 1; l < passes.length; l++) {
            inputs[l].clear();
            for (DirectionPass below : passes[l - 1]) {
                inputs[l].add(below.states, below.outputsOffset(), hiddenSize, below.gradOutputs);
            }
        }
    }

    /**
     * {@return the state after the last forward, (layers x directions, N, hidden): the layer's own
     * tensors, valid until its next forward or stateAfter ({@link RecurrentState#copy()} to keep
     * one)}
     */
    public RecurrentState finalState() {
        requireForward("finalState");
        return collectState(-1);
    }

    /** The state in slot {@code slot} of every pass, or (slot -1) each pass's final slot. */
    private RecurrentState collectState(int slot) {
        Tensor h = finalH.get(stateShape);
        Tensor c = hasCell ? finalC.get(stateShape) : null;
        int state = batch.size() * hiddenSize;
        for (int l = 0; l < passes.length; l++) {
            for (int d = 0; d < directions; d++) {
                DirectionPass pass = passes[l][d];
                int from = (slot < 0 ? pass.boundarySlot(false) : slot) * state;
                int to = (l * directions + d) * state;
                System.arraycopy(pass.states, from, h.data(), to, state);
                if (c != null) {
                    System.arraycopy(((LstmPass) pass).cells, from, c.data(), to, state);
                }
            }
        }
        if (finalState == null || finalState.h() != h || finalState.c() != c) {
            finalState = new RecurrentState(h, c);
        }
        return finalState;
    }

    /**
     * {@return the state after the first {@code steps} steps of the last forward (0 gives its
     * initial state, T its final one), for a layer with one direction: the layer's own tensors,
     * valid until its next call of this method or {@link #finalState()}}
     *
     * @param steps the number of steps, in {@code [0, T]}
     * @throws IllegalStateException    for a bidirectional layer or before forward
     * @throws IllegalArgumentException unless 0 &lt;= steps &lt;= T
     */
    public RecurrentState stateAfter(int steps) {
        requireForward("stateAfter");
        if (directions != 1) {
            throw new IllegalStateException(name + ": stateAfter needs one direction (the reverse one reads from the"
                    + " end)");
        }
        if (steps < 0 || steps > batch.steps()) {
            throw new IllegalArgumentException(name + ": stateAfter(" + steps + ") outside [0, " + batch.steps()
                    + "]");
        }
        return collectState(steps);
    }

    private void requireForward(String what) {
        if (!forwardDone) {
            throw new IllegalStateException(name + ": " + what + " before forward");
        }
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, null);
    }

    /**
     * Backpropagation through time from dL/d(output) (null for zero) and dL/d(final state) (null
     * for zero); returns dL/d(input) (N, T, features) and adds into the parameter gradients.
     *
     * @param gradOutput dL/d(output), of the last forward's output shape, or null for zero
     * @param gradFinalState dL/d(final state), of the final state's shapes, or null for zero
     * @return dL/d(input) (N, T, features)
     * @throws IllegalArgumentException naming the shapes when a gradient does not fit
     * @throws IllegalStateException    before any forward
     */
    public Tensor backward(Tensor gradOutput, RecurrentState gradFinalState) {
        requireForward("backward");
        if (gradOutput != null) {
            Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), outShape);
        }
        checkState("gradient of the final state", gradFinalState);
        int state = batch.size() * hiddenSize;
        int total = passes.length * directions * state;
        DirectionPass.copyOrZero(gradFinalH, 0, gradFinalState == null ? null : gradFinalState.h().data(),
                gradFinalState == null ? 0 : gradFinalState.h().offset(), total);
        if (hasCell) {
            DirectionPass.copyOrZero(gradFinalC, 0, gradFinalState == null ? null : gradFinalState.c().data(),
                    gradFinalState == null ? 0 : gradFinalState.c().offset(), total);
        }
        Tensor dy = gradOutput == null ? null : contiguousGradient.contiguous(gradOutput);
        int top = passes.length - 1;
        batch.readOutputGradient(dy, passes[top], options.returnSequences(), gradFinalH, top * directions * state);
        for (int l = passes.length - 1; l >= 0; l--) {
            for (int d = 0; d < directions; d++) {
                DirectionPass pass = passes[l][d];
                if (l < passes.length - 1) {
                    pass.hasGradOutputs = true;
                }
                pass.stateGradientNorms = l == 0 && d == 0 ? stateGradientNormsFor(pass) : null;
                int slice = (l * directions + d) * state;
                pass.backward(inputs[l], gradFinalH, slice, hasCell ? gradFinalC : null, slice, d > 0);
            }
        }
        Tensor dx = gradInput.get(seenInput);
        batch.fromTimeMajor(dx.data(), gradInputTimeMajor, inputSize);
        return dx;
    }

    private double[] stateGradientNormsFor(DirectionPass pass) {
        if (stateGradientNorms == null) {
            return null;
        }
        if (stateGradientNorms.length != batch.steps()) {
            stateGradientNorms = new double[batch.steps()];
        }
        return stateGradientNorms;
    }

    /**
     * dL/d(initial state) of the last backward, (layers x directions, N, hidden): the layer's own
     * tensors, valid until its next backward.
     *
     * @return the gradient, of the initial state's shapes
     */
    public RecurrentState initialStateGradient() {
        requireForward("initialStateGradient");
        Tensor h = initialGradH.get(stateShape);
        Tensor c = hasCell ? initialGradC.get(stateShape) : null;
        int state = batch.size() * hiddenSize;
        for (int l = 0; l < passes.length; l++) {
            for (int d = 0; d < directions; d++) {
                DirectionPass pass = passes[l][d];
                int to = (l * directions + d) * state;
                System.arraycopy(pass.gradH, 0, h.data(), to, state);
                if (c != null) {
                    System.arraycopy(((LstmPass) pass).gradC, 0, c.data(), to, state);
                }
            }
        }
        if (initialGradient == null || initialGradient.h() != h || initialGradient.c() != c) {
            initialGradient = new RecurrentState(h, c);
        }
        return initialGradient;
    }
}
