package dev.lanes.autodiff;

import dev.lanes.kernels.Activation;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * A value recorded on a {@link Tape}: the result of an operation or a leaf (input, constant,
 * parameter). The methods below are the tensor operations; each runs on the kernels and appends
 * a node to the tape. The neural-network operations (convolution, pooling, dropout, layers as
 * nodes) and the losses are static methods of {@link Nn}.
 *
 * <p>Shapes broadcast as in numpy (and {@link Tensor}): aligned at the last dimension, each pair
 * equal or one of them 1; axes may be negative. A mismatch throws
 * {@link IllegalArgumentException} naming the operation and both shapes.
 *
 * <p><b>Non-differentiable points</b> get a fixed subgradient: ReLU and the other kinks of the
 * activations take the derivative their kernel gives ({@link Activation}: ReLU 0 at 0); {@code abs}
 * 0 at 0; {@code clamp} 1 strictly inside its range and 0 at and beyond the bounds; a maximum
 * sends its gradient to the first maximal element (as {@link Tensor#argmax} picks it), in forward
 * mode too, so both modes differentiate the same branch.
 *
 * <p>The value, gradient and tangent tensors belong to the tape and are valid until the next run
 * reaches this position. A value may be a view of an earlier value (reshape, permute, slice); do
 * not write into it.
 */
public final class Var {
    final Tape tape;
    final Node node;
    Tensor value;
    Tensor tangent;
    boolean requiresGrad;
    /** A parameter's gradient, which the reverse pass accumulates into; null for other Vars. */
    Tensor fixedGrad;
    private final Workspace valueSpace = new Workspace();
    private final Workspace tangentSpace = new Workspace();
    private final Workspace[] gradSpaces = {new Workspace(), new Workspace()};
    private final Tensor[] grads = new Tensor[2];

    Var(Tape tape, Node node) {
        this.tape = tape;
        this.node = node;
    }

    // ---------------------------------------------------------------- results

    /** {@return the tape this Var belongs to} */
    public Tape tape() {
        return tape;
    }

    /** {@return the value} */
    public Tensor value() {
        return value;
    }

    /** {@return the shape of the value} */
    public Shape shape() {
        return value.shape();
    }

    /**
     * {@return whether the reverse pass computes a gradient for this Var (it depends on an input or
     * parameter)}
     */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * After {@link Tape#backward}: the gradient of the output with respect to this Var (zeros if
     * the output does not depend on it). For a parameter, its {@code grad()}, which accumulates.
     *
     * @return the gradient, of the value's shape
     */
    public Tensor grad() {
        return gradOrZeros(Node.GRAD);
    }

    /**
     * After {@link Tape#backward} on a {@link Tape.Mode#FORWARD_OVER_REVERSE} tape: the tangent
     * of the gradient along the input tangents, H·v for inputs with tangent v (zeros if none).
     *
     * @return H·v, of the value's shape
     */
    public Tensor gradTangent() {
        return gradOrZeros(Node.GRAD_TANGENT);
    }

    /**
     * In forward modes: the tangent J·v carried with the value (zeros if no input tangent reaches it).
     *
     * @return the tangent, of the value's shape
     */
    public Tensor tangent() {
        if (tangent == null) {
            return tangentBuffer().zero();
        }
        return tangent;
    }

    @Override
    public String toString() {
        return "Var(" + node.name() + ", " + (value == null ? "no value" : value.shape()) + ")";
    }

    // ---------------------------------------------------------------- arithmetic

    /**
     * {@return {@code this + other}, broadcast}
     *
     * @param other the right operand; its shape must broadcast with this one
     */
    public Var add(Var other) {
        return Arithmetic.apply(Arithmetic.Kind.ADD, this, other);
    }

    /**
     * {@return {@code this - other}, broadcast}
     *
     * @param other the right operand; its shape must broadcast with this one
     */
    public Var sub(Var other) {
        return Arithmetic.apply(Arithmetic.Kind.SUB, this, other);
    }

    /**
     * {@return {@code this * other}, elementwise, broadcast}
     *
     * @param other the right operand; its shape must broadcast with this one
     */
    public Var mul(Var other) {
        return Arithmetic.apply(Arithmetic.Kind.MUL, this, other);
    }

    /**
     * {@return {@code this / other}, elementwise, broadcast}
     *
     * @param other the right operand; its shape must broadcast with this one
     */
    public Var div(Var other) {
        return Arithmetic.apply(Arithmetic.Kind.DIV, this, other);
    }

    /**
     * {@return {@code this + value}}
     *
     * @param value the constant added to every element
     */
    public Var add(float value) {
        return Scale.apply(this, 1f, value);
    }

    /**
     * {@return {@code this - value}}
     *
     * @param value the constant subtracted from every element
     */
    public Var sub(float value) {
        return Scale.apply(this, 1f, -value);
    }

    /**
     * {@return {@code this * factor}}
     *
     * @param factor the constant factor
     */
    public Var mul(float factor) {
        return Scale.apply(this, factor, 0f);
    }

    /**
     * {@return {@code this / divisor}, as a product with the float nearest 1/divisor}
     *
     * @param divisor the constant divisor
     */
    public Var div(float divisor) {
        return Scale.apply(this, 1f / divisor, 0f);
    }

    /** {@return {@code -this}} */
    public Var neg() {
        return Scale.apply(this, -1f, 0f);
    }

    /**
     * {@return the matrix product of the last two axes, batch axes broadcast: (..., m, k) @ (...,
     * k, n)} Both operands have rank 2 or more ({@link #reshape} a vector). An operand that is the
     * {@link #transpose()} of another Var goes to the GEMM as a transpose, and so does its
     * gradient.
     *
     * @param other the right operand (..., k, n), rank 2 or more
     */
    public Var matmul(Var other) {
        return MatMul.apply(this, other);
    }

    // ---------------------------------------------------------------- elementwise functions

    /**
     * e^x.
     *
     * @return the Var of the result
     */
    public Var exp() {
        return UnaryMath.apply(UnaryMath.Kind.EXP, this, 0f, 0f);
    }

    /** {@return the natural logarithm} */
    public Var log() {
        return UnaryMath.apply(UnaryMath.Kind.LOG, this, 0f, 0f);
    }

    /** {@return the square root} */
    public Var sqrt() {
        return UnaryMath.apply(UnaryMath.Kind.SQRT, this, 0f, 0f);
    }

    /**
     * x^p for a constant p, computed in double and rounded.
     *
     * @param p the constant exponent
     * @return the Var of the result
     */
    public Var pow(float p) {
        return UnaryMath.apply(UnaryMath.Kind.POW, this, p, 0f);
    }

    /**
     * x².
     *
     * @return the Var of the result
     */
    public Var square() {
        return UnaryMath.apply(UnaryMath.Kind.SQUARE, this, 0f, 0f);
    }

    /**
     * |x|; its derivative at 0 is taken as 0.
     *
     * @return the Var of the result
     */
    public Var abs() {
        return UnaryMath.apply(UnaryMath.Kind.ABS, this, 0f, 0f);
    }

    /**
     * x clamped to [min, max]; derivative 1 strictly inside, 0 at and beyond the bounds.
     *
     * @param min the lower bound
     * @param max the upper bound, {@code >= min}
     * @return the Var of the result
     */
    public Var clamp(float min, float max) {
        return UnaryMath.apply(UnaryMath.Kind.CLAMP, this, min, max);
    }

    /**
     * An activation function of the kernels ({@link Activation}), with its kernel's backward.
     *
     * @param activation the activation, with its constants
     * @return the Var of the activation of this one
     */
    public Var activation(Activation activation) {
        return ActivationNode.apply(this, activation);
    }

    /**
     * max(x, 0); the derivative at 0 is 0.
     *
     * @return the Var of the result
     */
    public Var relu() {
        return ActivationNode.apply(this, Activation.RELU);
    }

    /**
     * 1 / (1 + e^-x).
     *
     * @return the Var of the result
     */
    public Var sigmoid() {
        return ActivationNode.apply(this, Activation.SIGMOID);
    }

    /**
     * tanh(x).
     *
     * @return the Var of the result
     */
    public Var tanh() {
        return ActivationNode.apply(this, Activation.TANH);
    }

    // ---------------------------------------------------------------- reductions

    /** {@return the sum of all elements, shape ()} */
    public Var sum() {
        return Reduce.apply(Reduce.Kind.SUM, this, Reduce.ALL, false);
    }

    /**
     * {@return the sum along {@code axis}, kept with size 1 when {@code keepDims}}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @param keepDims true to keep {@code axis} with size 1, false to remove it
     */
    public Var sum(int axis, boolean keepDims) {
        return Reduce.apply(Reduce.Kind.SUM, this, axis, keepDims);
    }

    /** {@return the mean of all elements, shape ()} */
    public Var mean() {
        return Reduce.apply(Reduce.Kind.MEAN, this, Reduce.ALL, false);
    }

    /**
     * {@return the mean along {@code axis}, kept with size 1 when {@code keepDims}}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @param keepDims true to keep {@code axis} with size 1, false to remove it
     */
    public Var mean(int axis, boolean keepDims) {
        return Reduce.apply(Reduce.Kind.MEAN, this, axis, keepDims);
    }

    /**
     * {@return the largest element, shape (); the gradient goes to the first largest} NaN
     * propagates.
     */
    public Var max() {
        return Max.apply(this, Reduce.ALL, false);
    }

    /**
     * {@return the maximum along {@code axis}; the gradient goes to the first largest of each
     * slice}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @param keepDims true to keep {@code axis} with size 1, false to remove it
     */
    public Var max(int axis, boolean keepDims) {
        return Max.apply(this, axis, keepDims);
    }

    // ---------------------------------------------------------------- shapes

    /**
     * {@return the same elements in row-major order with new dimensions (one may be -1); a view
     * when possible}
     *
     * @param dims the new dimensions; one may be -1 (inferred)
     */
    public Var reshape(int... dims) {
        return Reshape.apply(this, dims);
    }

    /**
     * {@return the axes reordered: dimension i of the result is dimension {@code axes[i]}; a view}
     *
     * @param axes a permutation of {@code 0 .. rank-1}
     */
    public Var permute(int... axes) {
        return Permute.apply(this, axes);
    }

    /**
     * {@return a view with two axes swapped}
     *
     * @param axis1 one axis
     * @param axis2 the other axis
     */
    public Var transpose(int axis1, int axis2) {
        return Permute.swap(this, axis1, axis2);
    }

    /** {@return the last two axes swapped (each matrix of a batch transposed); a view} */
    public Var transpose() {
        return Permute.swap(this, -2, -1);
    }

    /**
     * Indices {@code [start, end)} along {@code axis}; a view.
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @param start the first index (inclusive)
     * @param end the end index (exclusive)
     * @return the Var of the slice
     */
    public Var slice(int axis, int start, int end) {
        return Slice.apply(this, axis, start, end, 1);
    }

    /**
     * Indices {@code start, start + step, ...} below {@code end} along {@code axis}; a view.
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @param start the first index (inclusive)
     * @param end the end index (exclusive)
     * @param step the distance between taken indices, {@code >= 1}
     * @return the Var of the slice
     */
    public Var slice(int axis, int start, int end, int step) {
        return Slice.apply(this, axis, start, end, step);
    }

    /**
     * Broadcast to {@code dims} (numpy {@code broadcast_to}; -1 keeps a dimension); the gradient sums back.
     *
     * @param dims the target dimensions; -1 keeps a dimension
     * @return the Var of the broadcast, of shape {@code dims}
     */
    public Var expand(int... dims) {
        return Expand.apply(this, dims);
    }

    /**
     * Elements picked along {@code axis} by integer indices (torch {@code gather}):
     * {@code out[..., j, ...] = this[..., indices[..., j, ...], ...]}, indices shaped like the
     * output, equal to this shape except along axis. Indices are integral floats (as class labels
     * are stored), checked.
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @param indices the indices along {@code axis}, integral values in a tensor shaped like the
     *     output
     * @return the Var of the picked elements, of the indices' shape
     */
    public Var gather(int axis, Tensor indices) {
        return Gather.apply(this, axis, indices);
    }

    // ---------------------------------------------------------------- softmax

    /**
     * Softmax along the last axis.
     *
     * @return the Var of the probabilities, of this shape
     */
    public Var softmax() {
        return SoftmaxNode.apply(this, false);
    }

    /**
     * Log-softmax along the last axis.
     *
     * @return the Var of the log-probabilities, of this shape
     */
    public Var logSoftmax() {
        return SoftmaxNode.apply(this, true);
    }

    // ---------------------------------------------------------------- buffers (for the nodes)

    /** The value buffer of {@code shape}: this Var's own contiguous tensor, reused while the shape stays. */
    Tensor valueBuffer(Shape shape) {
        value = valueSpace.get(shape);
        return value;
    }

    /** The tangent buffer, shaped like the value; reused. */
    Tensor tangentBuffer() {
        return tangentSpace.get(value.shape());
    }

    /** Whether the gradient of {@code channel} holds a contribution in this pass. */
    boolean hasGrad(int channel) {
        return grads[channel] != null;
    }

    /** The gradient of {@code channel}, or null before its first contribution. */
    Tensor grad(int channel) {
        return grads[channel];
    }

    /** The buffer a first contribution to {@code channel} is written into (a parameter's own gradient). */
    Tensor gradBuffer(int channel) {
        if (channel == Node.GRAD && fixedGrad != null) {
            return fixedGrad;
        }
        return gradSpaces[channel].get(value.shape());
    }

    /** Marks {@code buffer} as the gradient of {@code channel}, holding a contribution. */
    void beginGrad(int channel, Tensor buffer) {
        grads[channel] = buffer;
    }

    /** Forgets the gradients before a reverse pass; a parameter's gradient accumulates, so it counts as begun. */
    void clearGrads() {
        grads[Node.GRAD] = fixedGrad;
        grads[Node.GRAD_TANGENT] = null;
    }

    private Tensor gradOrZeros(int channel) {
        if (grads[channel] != null) {
            return grads[channel];
        }
        return gradBuffer(channel).zero();
    }
}
