package dev.lanes.autodiff;

import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * One position of a {@link Tape}: an operation, its inputs and its output {@link Var}, and the
 * buffers its passes write. A node object stays at its position while the same function runs
 * again with the same kind of operation there, so its workspaces (output value, gradients,
 * scratch) reach their steady size on the first run and later runs allocate nothing.
 *
 * <p>The passes, all on the node's own inputs and output:
 * <ul>
 * <li>{@link #forward()}: the output value from the input values.</li>
 * <li>{@link #tangent()} (forward mode): the output tangent J·ẋ from the input tangents; an
 * input without a tangent has a zero one.</li>
 * <li>{@link #backward(int)}: the vector-Jacobian product, adding Jᵀ·g into each input that
 * needs a gradient, for g the output's gradient in one channel: {@link #GRAD} (the gradient) or
 * {@link #GRAD_TANGENT} (forward-over-reverse: the tangent of the gradient, which the same linear
 * map carries back).</li>
 * <li>{@link #secondOrder()} (forward-over-reverse): the rest of the tangent of the gradient,
 * (d/dε Jᵀ(x + εẋ))·g, which is zero for an operation linear in its inputs.</li>
 * </ul>
 */
abstract class Node {
    /** The gradient channel. */
    static final int GRAD = 0;
    /** The tangent of the gradient (forward-over-reverse). */
    static final int GRAD_TANGENT = 1;

    final Tape tape;
    final Var out;
    Var[] inputs;
    int position;
    int generation;
    private Workspace[] scratch = new Workspace[0];
    private Workspace[] targets = new Workspace[0];

    Node(Tape tape, int arity) {
        this.tape = tape;
        this.out = new Var(tape, this);
        this.inputs = new Var[arity];
    }

    /** The operation's name for messages, e.g. {@code matmul}. */
    abstract String name();

    /** Computes the output value. */
    abstract void forward();

    /**
     * The multiply-adds of this node's forward pass at its current shapes, for FLOP counts, which
     * count only the products: matrix products and convolutions report theirs, every other
     * operation (elementwise, pooling, reductions, views) 0.
     */
    long multiplyAdds() {
        return 0;
    }

    /** Computes the output tangent from the input tangents (forward mode). */
    void tangent() {
        throw new UnsupportedOperationException(name() + " has no forward-mode rule");
    }

    /** Adds Jᵀ·(output gradient of {@code channel}) into the inputs that need a gradient. */
    abstract void backward(int channel);

    /** Adds (d/dε Jᵀ(x + εẋ))·g into the inputs' gradient tangents (forward-over-reverse). */
    void secondOrder() {
        throw new UnsupportedOperationException(name() + " has no second-order rule, so a Hessian-vector product "
                + "cannot pass through it");
    }

    /** Whether input i takes part in the backward passes. */
    final boolean wants(int i) {
        return inputs[i].requiresGrad;
    }

    /** Workspace k of this node, for temporaries; one per use, so each keeps its shape from run to run. */
    final Workspace scratch(int k) {
        if (k >= scratch.length) {
            Workspace[] grown = java.util.Arrays.copyOf(scratch, k + 1);
            for (int i = scratch.length; i <= k; i++) {
                grown[i] = new Workspace();
            }
            scratch = grown;
        }
        return scratch[k];
    }

    /** A contiguous temporary of {@code shape} from workspace k. */
    final Tensor temp(int k, Shape shape) {
        return scratch(k).get(shape);
    }

    /** {@code t} itself when contiguous, else a contiguous copy in workspace k, for the kernels. */
    final Tensor contiguous(int k, Tensor t) {
        return scratch(k).contiguous(t);
    }

    /**
     * Adds {@code full} (shaped like the output or like input i) into input i's gradient of
     * {@code channel}, summed down to the input's shape where it was broadcast; the first
     * contribution is written without a pass of zeros.
     */
    final void addInto(int i, int channel, Tensor full) {
        Var in = inputs[i];
        boolean accumulate = in.hasGrad(channel);
        Tensor grad = accumulate ? in.grad(channel) : in.gradBuffer(channel);
        Broadcast.sumInto(grad, accumulate, full);
        if (!accumulate) {
            in.beginGrad(channel, grad);
        }
    }

    /**
     * Where a kernel that overwrites its output writes input i's contribution: the input's own
     * gradient buffer while it holds nothing, else a temporary; pass the result to {@link #commit}.
     */
    final Tensor target(int i, int channel) {
        if (!accumulates(i, channel)) {
            return accumulator(i, channel);
        }
        if (targets.length < inputs.length) {
            targets = java.util.Arrays.copyOf(targets, inputs.length);
        }
        if (targets[i] == null) {
            targets[i] = new Workspace();
        }
        return targets[i].get(inputs[i].value.shape());
    }

    /** Completes a write into {@link #target}: adds a temporary into the gradient, or marks the gradient begun. */
    final void commit(int i, int channel, Tensor written) {
        if (accumulates(i, channel)) {
            addInto(i, channel, written);
        } else {
            written(i, channel);
        }
    }

    /**
     * Input i's gradient buffer for kernels that can accumulate ({@code beta}, {@code +=}): ask
     * {@link #accumulates} first, then call {@link #written} after the kernel.
     */
    final Tensor accumulator(int i, int channel) {
        Var in = inputs[i];
        return in.hasGrad(channel) ? in.grad(channel) : in.gradBuffer(channel);
    }

    /** Whether input i's gradient already holds a contribution (so a kernel must add to it). */
    final boolean accumulates(int i, int channel) {
        return inputs[i].hasGrad(channel);
    }

    /**
     * Input i's gradient buffer for a pass that adds into it element by element (a scatter):
     * zeroed first when it holds nothing yet. Call {@link #written} after.
     */
    final Tensor zeroedAccumulator(int i, int channel) {
        Tensor grad = accumulator(i, channel);
        if (!accumulates(i, channel)) {
            grad.zero();
        }
        return grad;
    }

    /** Marks input i's gradient as holding a contribution after a write into {@link #accumulator}. */
    final void written(int i, int channel) {
        Var in = inputs[i];
        if (!in.hasGrad(channel)) {
            in.beginGrad(channel, in.gradBuffer(channel));
        }
    }

    /** The output's gradient in {@code channel}, contiguous. */
    final Tensor upstream(int channel) {
        return out.grad(channel);
    }

    /** The contiguous output value buffer of {@code shape}, reused while the shape stays. */
    final Tensor output(Shape shape) {
        return out.valueBuffer(shape);
    }

    /** The contiguous output tangent buffer, shaped like the output value. */
    final Tensor tangentBuffer() {
        return out.tangentBuffer();
    }
}
