package dev.lanes.autodiff;

import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Tensor;
import java.util.Arrays;

/**
 * The record of one run of a function: every operation on a {@link Var} of this tape appends a
 * node holding what its backward pass needs, and {@link #backward} runs the nodes once in reverse.
 *
 * <pre>{@code
 * Tape tape = new Tape();
 * Var w = tape.input(weights);
 * Var loss = tape.constant(x).matmul(w).relu().sum();
 * tape.backward(loss);                 // the tape is consumed
 * Tensor dLossDw = w.grad();
 * }</pre>
 *
 * <p><b>Running again.</b> {@link #reset()} starts a new run on the same tape. Each position keeps
 * its node while the function puts the same kind of operation there, and the node keeps its
 * buffers while the shapes stay, so a training step that runs the same function every time
 * allocates nothing once the buffers have their size. The values, gradients and tangents of a
 * run are valid until the next run reaches their position; copy one to keep it.
 *
 * <p><b>Modes.</b> {@link Mode#REVERSE} records for {@link #backward}; {@link Mode#FORWARD} carries
 * a tangent beside every value (a directional derivative costs one pass) and records nothing to
 * run back; {@link Mode#FORWARD_OVER_REVERSE} does both, and {@link #backward} then also carries
 * the tangents of the gradients: with an input tangent v, an input's {@link Var#gradTangent()}
 * is the Hessian-vector product H·v of a scalar output.
 *
 * <p><b>Errors.</b> {@code IllegalStateException} for a tape already consumed by backward, a
 * {@code Var} from an earlier run, backward on a forward-mode tape; {@code IllegalArgumentException}
 * for a {@code Var} of another tape, a non-scalar output without a seed, shapes that do not fit.
 * A tape is used by one thread at a time.
 */
public final class Tape {
    /** What a tape computes besides values. */
    public enum Mode {
        /** Records for the reverse pass (gradients, vector-Jacobian products). */
        REVERSE,
        /** Carries tangents (Jacobian-vector products); nothing to run back. */
        FORWARD,
        /** Tangents and the reverse pass, which then carries gradient tangents (Hessian-vector products). */
        FORWARD_OVER_REVERSE
    }

    private final Mode mode;
    private Node[] nodes = new Node[16];
    private int count;
    private int generation;
    private int epoch;
    private boolean consumed;
    private boolean training = true;

    /** A reverse-mode tape. */
    public Tape() {
        this(Mode.REVERSE);
    }

    /**
     * A tape of the given mode.
     *
     * @param mode the differentiation mode
     */
    public Tape(Mode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        this.mode = mode;
    }

    /** {@return the mode} */
    public Mode mode() {
        return mode;
    }

    /**
     * {@return whether operations that differ between training and inference (dropout, layers such
     * as batch normalisation) run in training mode; true until set}
     */
    public boolean training() {
        return training;
    }

    /**
     * Sets the training flag for the operations recorded from now on; returns this tape.
     *
     * @param value true for training mode, false for inference
     * @return this tape
     */
    public Tape training(boolean value) {
        training = value;
        return this;
    }

    /** {@return the number of nodes recorded in this run (leaves included)} */
    public int size() {
        return count;
    }

    /** The multiply-adds of this run's forward pass (see {@link Node#multiplyAdds}). */
    long multiplyAdds() {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += nodes[i].multiplyAdds();
        }
        return sum;
    }

    /**
     * {@return the Vars of this run in the order they were recorded, leaves included: with their
     * values, tangents and (after backward) gradients, for inspection} A new list; the Vars are the
     * tape's.
     */
    public java.util.List<Var> vars() {
        java.util.List<Var> vars = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            vars.add(nodes[i].out);
        }
        return vars;
    }

    /**
     * Starts a new run: positions count from 0 again and the tape records (also after backward).
     * Random operations continue their streams: the next run's dropout draws new masks.
     */
    public void reset() {
        count = 0;
        generation++;
        consumed = false;
    }

    /**
     * Starts a new run as a new tape would, keeping the buffers: as {@link #reset()}, and random
     * operations start their streams again, so the run draws the masks of a new tape's first run
     * (a gradient checker evaluates a function with dropout at many points this way).
     */
    public void restart() {
        reset();
        epoch++;
    }

    /** How many times {@link #restart()} was called: random operations start again when it changes. */
    int epoch() {
        return epoch;
    }

    // ---------------------------------------------------------------- leaves

    /**
     * {@return an input: a leaf that gets a gradient (reverse modes)} The tensor is used as it is,
     * not copied; do not change it during the run.
     *
     * @param value the input's value (used as is, not copied)
     */
    public Var input(Tensor value) {
        return Leaf.record(this, Leaf.Kind.INPUT, value, null, null);
    }

    /**
     * {@return an input with a tangent (forward modes): the direction of the directional
     * derivative}
     *
     * @param value the input's value (used as is, not copied)
     * @param tangent the input's tangent, of the value's shape
     * @throws IllegalArgumentException if the tangent's shape is not the value's
     */
    public Var input(Tensor value, Tensor tangent) {
        if (mode == Mode.REVERSE) {
            throw new IllegalStateException("a REVERSE tape carries no tangents; make a FORWARD or "
                    + "FORWARD_OVER_REVERSE tape for input(value, tangent)");
        }
        return Leaf.record(this, Leaf.Kind.INPUT, value, tangent, null);
    }

    /**
     * {@return a constant: no gradient, no tangent}
     *
     * @param value the constant's value (used as is, not copied)
     */
    public Var constant(Tensor value) {
        return Leaf.record(this, Leaf.Kind.CONSTANT, value, null, null);
    }

    /**
     * {@return a trainable parameter: its value is the leaf's value, and the reverse pass adds
     * ({@code +=}) into {@link Parameter#grad()}, as a layer's backward does}
     *
     * @param parameter the layer parameter; the reverse pass adds into its gradient
     */
    public Var parameter(Parameter parameter) {
        if (parameter == null) {
            throw new IllegalArgumentException("parameter must not be null");
        }
        return Leaf.record(this, Leaf.Kind.PARAMETER, parameter.value(), null, parameter);
    }

    // ---------------------------------------------------------------- the reverse pass

    /**
     * Runs the reverse pass from a scalar output: afterwards each input's {@link Var#grad()} holds
     * d(output)/d(input). Consumes the tape.
     *
     * @param output the run's output, recorded on this tape
     * @throws IllegalArgumentException if the output has more than one element (give a seed)
     */
    public void backward(Var output) {
        backward(output, null);
    }

    /**
     * Runs the reverse pass with the seed u = dL/d(output): afterwards each input's
     * {@link Var#grad()} holds the vector-Jacobian product uᵀ·J. Consumes the tape.
     *
     * @param output the run's output, recorded on this tape
     * @param seed the output's gradient, its shape; null for a scalar output (seed 1)
     * @throws IllegalArgumentException if a seed is missing for a non-scalar output or has another shape
     */
    public void backward(Var output, Tensor seed) {
        backward(output, seed, false);
    }

    /**
     * As {@link #backward(Var, Tensor)}; with {@code retain} the tape stays usable for another
     * reverse pass of the same run (each pass recomputes the gradients; parameters accumulate
     * again), as a layer's backward may be called more than once after one forward.
     *
     * @param output the run's output, recorded on this tape
     * @param seed u = dL/d(output), of the output's shape
     * @param retain true to keep the tape for another reverse pass, false to consume it
     */
    public void backward(Var output, Tensor seed, boolean retain) {
        if (mode == Mode.FORWARD) {
            throw new IllegalStateException("backward on a FORWARD tape: forward mode records no reverse pass");
        }
        if (consumed) {
            throw new IllegalStateException("backward: this tape was consumed by an earlier backward(); a tape runs "
                    + "back once per run (reset() it and run the function again)");
        }
        check("backward", output);
        if (seed == null && output.value.size() != 1) {
            throw new IllegalArgumentException("backward: the output has shape " + output.value.shape()
                    + ", not a single element; give a seed of that shape (a vector-Jacobian product)");
        }
        if (seed != null && !seed.shape().equals(output.value.shape())) {
            throw new IllegalArgumentException("backward: the seed has shape " + seed.shape() + " but the output "
                    + output.value.shape());
        }
        consumed = !retain;
        for (int i = 0; i < count; i++) {
            nodes[i].out.clearGrads();
        }
        if (!output.requiresGrad) {
            return;
        }
        Tensor g = output.gradBuffer(Node.GRAD);
        if (seed == null) {
            g.fill(1f);
        } else {
            // a contiguous seed is copied by the kernel, which builds no strided iteration (as copyFrom does)
            Broadcast.sumInto(g, false, seed);
        }
        output.beginGrad(Node.GRAD, g);
        boolean second = mode == Mode.FORWARD_OVER_REVERSE;
        for (int i = output.node.position; i >= 0; i--) {
            Node node = nodes[i];
            Var out = node.out;
            if (!out.requiresGrad || node instanceof Leaf) {
                continue;
            }
            if (out.hasGrad(Node.GRAD)) {
                node.backward(Node.GRAD);
            }
            if (second && out.hasGrad(Node.GRAD_TANGENT)) {
                node.backward(Node.GRAD_TANGENT);
            }
            if (second && out.hasGrad(Node.GRAD) && out.tangent != null) {
                node.secondOrder();
            }
        }
    }

    // ---------------------------------------------------------------- recording

    /** Whether this tape computes gradients. */
    boolean reverse() {
        return mode != Mode.FORWARD;
    }

    /** Whether this tape carries tangents. */
    boolean tangents() {
        return mode != Mode.REVERSE;
    }

    /** The node at position i of this run. */
    Node node(int i) {
        return nodes[i];
    }

    /** Checks that {@code v} is a current Var of this tape, for operation {@code op}. */
    void check(String op, Var v) {
        if (v == null) {
            throw new IllegalArgumentException(op + ": a Var argument is null");
        }
        if (v.tape != this) {
            throw new IllegalArgumentException(op + ": its arguments come from different tapes");
        }
        Node node = v.node;
        if (node.generation != generation || node.position >= count || nodes[node.position] != node) {
            throw new IllegalStateException(op + ": a Var of an earlier run of this tape (recorded at position "
                    + node.position + ") was used after reset(); Vars are valid for one run");
        }
    }

    /** The tape of {@code a}, checked; for an operation of one argument. */
    static Tape of(String op, Var a) {
        if (a == null) {
            throw new IllegalArgumentException(op + ": a Var argument is null");
        }
        a.tape.check(op, a);
        return a.tape;
    }

    /** The common tape of {@code a} and {@code b}, checked. */
    static Tape of(String op, Var a, Var b) {
        Tape tape = of(op, a);
        tape.check(op, b);
        return tape;
    }

    /**
     * The node of class {@code type} at the next position from the last run, without taking the
     * position, or null: an operation reads what it cached there (a kernel plan for the same
     * shapes) before it validates new arguments.
     */
    <N extends Node> N peek(Class<N> type) {
        Node node = count < nodes.length ? nodes[count] : null;
        return type.isInstance(node) ? type.cast(node) : null;
    }

    /** The node at the next position: the one already there if it has this class, else a new one. */
    <N extends Node> N next(Class<N> type, java.util.function.Function<Tape, N> factory) {
        if (consumed) {
            throw new IllegalStateException("this tape was consumed by backward(); reset() it to record a new run");
        }
        if (count == nodes.length) {
            nodes = Arrays.copyOf(nodes, count * 2);
        }
        Node node = nodes[count];
        if (node == null || node.getClass() != type) {
            node = factory.apply(this);
            nodes[count] = node;
        }
        node.position = count;
        node.generation = generation;
        count++;
        return type.cast(node);
    }

    /**
     * Runs a node whose inputs are set: the flags, the value, and in forward modes the tangent
     * (none when no input has one). Returns the output.
     */
    Var run(Node node) {
        Var out = node.out;
        boolean needs = false;
        boolean carries = false;
        for (Var in : node.inputs) {
            needs |= in.requiresGrad;
            carries |= in.tangent != null;
        }
        out.requiresGrad = needs && reverse();
        node.forward();
        if (carries && tangents()) {
            node.tangent();
        } else {
            out.tangent = null;
        }
        return out;
    }
}
