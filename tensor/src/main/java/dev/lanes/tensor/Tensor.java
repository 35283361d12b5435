package dev.lanes.tensor;

import dev.lanes.tensor.InnerLoops.Unary;
import java.util.Arrays;

/**
 * A float32 tensor: a {@code float[]}, an offset and one stride per dimension (in elements).
 * Element {@code (i0, ..., ir-1)} lives at {@code data()[offset() + i0*stride(0) + ... ]}.
 *
 * <p><b>Views and copies.</b> The shape and strides of a tensor never change; its elements may.
 * {@link #reshape}, {@link #permute}, {@link #transpose}, {@link #slice}, {@link #narrow},
 * {@link #select}, {@link #squeeze}, {@link #unsqueeze} and {@link #expand} return views that share
 * the data: a write through one is seen by the other. A view method that cannot produce a view
 * throws instead of copying ({@code reshape} of a non-contiguous tensor: write
 * {@code contiguous().reshape(...)} to copy on purpose). {@link #contiguous()} returns this tensor
 * when it is already contiguous, else a copy; {@link #copy()} always copies. Ops without
 * {@code InPlace} in their name ({@link #add(Tensor)}, {@link #sum(int)}, {@link #matmul}) return
 * a new contiguous tensor.
 *
 * <p><b>In-place ops</b> ({@code addInPlace}, {@code scaleInPlace}, {@code axpyInPlace},
 * {@code fill}, {@code copyFrom}) and the static forms with an output first ({@code add(out, a,
 * b)}, {@code matmul(out, a, b, alpha, beta)}, {@code sumTo(out, x, accumulate)}) allocate no
 * element buffers, only a few small index arrays per call, for layers and optimizers in a
 * training step. An output may be any view except an expanded one (stride 0 on a dimension
 * larger than 1). An input that overlaps the output in any other way than element for element
 * is copied first (the one case that allocates a buffer), so the result is always as if the
 * inputs had been read before anything was written.
 *
 * <p><b>Broadcasting</b> follows numpy: shapes are aligned at the last dimension, and each pair
 * of dimensions must be equal or one of them 1. Axes may be negative, counting from the end.
 * Bad arguments throw {@link IllegalArgumentException} naming the shapes or the argument.
 *
 * <p><b>Source layout.</b> The methods are declared in three files: {@code TensorLayout} (layout
 * queries and element access), {@code TensorMath} (in-place and elementwise ops, reductions) and
 * this one (factories, views, copies, matmul, comparison). The first two are package-private
 * sealed superclasses, so every public method is a method of {@code Tensor}.
 */
public final class Tensor extends TensorMath {
    /** Trusted: callers guarantee every element lies within {@code data}. */
    Tensor(float[] data, int offset, Shape shape, int[] strides) {
        super(data, offset, shape, strides);
    }

    static Tensor contiguousOf(float[] data, Shape shape) {
        return new Tensor(data, 0, shape, shape.contiguousStrides());
    }

    // ---------------------------------------------------------------- factories

    /**
     * {@return a new tensor of zeros}
     *
     * @param dims the dimensions of the new tensor, each {@code >= 0}
     */
    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /**
     * {@return a new tensor of zeros}
     *
     * @param shape the shape of the new tensor
     */
    public static Tensor zeros(Shape shape) {
        return contiguousOf(new float[shape.size()], shape);
    }

    /**
     * {@return a new tensor of ones}
     *
     * @param dims the dimensions of the new tensor, each {@code >= 0}
     */
    public static Tensor ones(int... dims) {
        return full(Shape.of(dims), 1f);
    }

    /**
     * {@return a new tensor of ones}
     *
     * @param shape the shape of the new tensor
     */
    public static Tensor ones(Shape shape) {
        return full(shape, 1f);
    }

    /**
     * {@return a new tensor with every element {@code value}}
     *
     * @param shape the shape of the new tensor
     * @param value the value of every element
     */
    public static Tensor full(Shape shape, float value) {
        float[] data = new float[shape.size()];
        Arrays.fill(data, value);
        return contiguousOf(data, shape);
    }

    /**
     * {@return a new rank-0 tensor holding {@code value}}
     *
     * @param value the element
     */
    public static Tensor scalar(float value) {
        return contiguousOf(new float[] {value}, Shape.scalar());
    }

    /**
     * {@return {@code (0, 1, ..., n-1)}, shape {@code (n)}}
     *
     * @param n the number of values, {@code >= 0}
     */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /**
     * {@return {@code start + i*step} for {@code i} in {@code [0, ceil((end-start)/step))},
     * computed in double and rounded once; shape {@code (count)}}
     *
     * @param start the first value
     * @param end the end (exclusive): values stop before it
     * @param step the difference between consecutive values, non-zero (negative counts down)
     */
    public static Tensor arange(double start, double end, double step) {
        return Factories.arange(start, end, step);
    }

    /**
     * {@return a new tensor holding a copy of {@code values} in row-major order}
     *
     * @param values the elements in row-major order (copied)
     * @param dims the dimensions; their product must be {@code values.length}
     * @throws IllegalArgumentException if {@code values.length} is not the size of the shape
     */
    public static Tensor fromArray(float[] values, int... dims) {
        Shape shape = Shape.of(dims);
        Factories.checkLength("values", values, shape);
        return contiguousOf(values.clone(), shape);
    }

    /**
     * {@return a contiguous tensor over {@code data} itself (no copy); the length must be the size}
     *
     * @param data the array the tensor reads and writes (not copied)
     * @param dims the dimensions; their product must be {@code data.length}
     */
    public static Tensor wrap(float[] data, int... dims) {
        Shape shape = Shape.of(dims);
        Factories.checkLength("data", data, shape);
        return contiguousOf(data, shape);
    }

    /**
     * {@return a tensor over {@code data} itself (no copy) with the given offset and strides (in
     * elements, non-negative)}
     *
     * @param data the array the tensor reads and writes (not copied)
     * @param offset the index in {@code data} of the first element, {@code >= 0}
     * @param shape the shape of the view
     * @param strides one stride per dimension, in elements, each {@code >= 0}
     * @throws IllegalArgumentException if a stride is negative or an element lies outside data
     */
    public static Tensor wrap(float[] data, int offset, Shape shape, int[] strides) {
        return Factories.wrap(data, offset, shape, strides);
    }

    /**
     * Uniform on [0, 1), deterministic for a seed on every platform: {@code new
     * SplittableRandom(seed)}, and each element, in row-major order, is the high 24 bits of
     * {@code nextInt()} times 2^-24.
     *
     * @param shape the shape of the new tensor
     * @param seed the seed: the same seed gives the same elements on every platform
     * @return a new tensor of the shape with uniformly distributed elements
     */
    public static Tensor rand(Shape shape, long seed) {
        return rand(shape, 0f, 1f, seed);
    }

    /**
     * Uniform on [low, high): {@code low + (high - low) * u} with u as in {@link #rand(Shape, long)}.
     *
     * @param shape the shape of the new tensor
     * @param low the lower bound (inclusive)
     * @param high the upper bound (exclusive)
     * @param seed the seed: the same seed gives the same elements on every platform
     * @return a new tensor of the shape with uniformly distributed elements
     */
    public static Tensor rand(Shape shape, float low, float high, long seed) {
        return Factories.rand(shape, low, high, seed);
    }

    /**
     * Standard normal; see {@link #randn(Shape, float, float, long)}.
     *
     * @param shape the shape of the new tensor
     * @param seed the seed: the same seed gives the same elements on every platform
     * @return a new tensor of the shape with normally distributed elements
     */
    public static Tensor randn(Shape shape, long seed) {
        return randn(shape, 0f, 1f, seed);
    }

    /**
     * Normal with the given mean and standard deviation, deterministic for a seed on every
     * platform: Box-Muller in double with {@link StrictMath} (fdlibm, the same bits everywhere) on
     * pairs of 53-bit uniforms from {@code new SplittableRandom(seed).nextLong()}; elements are
     * filled in row-major order, two per pair.
     *
     * @param shape the shape of the new tensor
     * @param mean the mean of the distribution
     * @param std the standard deviation of the distribution, {@code >= 0}
     * @param seed the seed: the same seed gives the same elements on every platform
     * @return a new tensor of the shape with normally distributed elements
     */
    public static Tensor randn(Shape shape, float mean, float std, long seed) {
        return Factories.randn(shape, mean, std, seed);
    }

    // ---------------------------------------------------------------- views

    /**
     * {@return a view with the given dimensions (one may be -1, inferred) and the same elements in
     * row-major order}
     *
     * @param dims the new dimensions; one may be -1, inferred from the size
     * @throws IllegalArgumentException if the sizes differ, or if the strides do not allow a view
     *         (a permuted or sliced tensor); {@code contiguous().reshape(...)} copies first
     */
    public Tensor reshape(int... dims) {
        return Views.reshape(this, dims);
    }

    /**
     * As {@link #reshape(int...)}.
     *
     * @param shape the new shape; its size must equal this size
     * @return the view (see {@link #reshape(int...)})
     */
    public Tensor reshape(Shape shape) {
        return Views.reshape(this, shape.dims);
    }

    /**
     * {@return a view with the axes reordered: dimension i of the result is dimension {@code
     * axes[i]}}
     *
     * @param axes a permutation of {@code 0 .. rank-1} (negative axes count from the end)
     */
    public Tensor permute(int... axes) {
        return Views.permute(this, axes);
    }

    /**
     * {@return a view with two axes swapped}
     *
     * @param axis1 one axis, in {@code [-rank, rank)}
     * @param axis2 the other axis, in {@code [-rank, rank)}
     */
    public Tensor transpose(int axis1, int axis2) {
        int r = rank();
        int a = shape.axis(axis1);
        int b = shape.axis(axis2);
        int[] axes = new int[r];
        for (int i = 0; i < r; i++) {
            axes[i] = i == a ? b : i == b ? a : i;
        }
        return Views.permute(this, axes);
    }

    /** {@return a view with the last two axes swapped: the transpose of each matrix of a batch} */
    public Tensor transpose() {
        if (rank() < 2) {
            throw new IllegalArgumentException("transpose() needs rank >= 2, got shape " + shape);
        }
        return transpose(-2, -1);
    }

    /**
     * {@return the view of indices {@code [start, end)} along {@code axis}}
     *
     * @param axis the axis to slice, in {@code [-rank, rank)}
     * @param start the first index (inclusive), in {@code [0, dim(axis)]}
     * @param end the end index (exclusive), in {@code [start, dim(axis)]}
     */
    public Tensor slice(int axis, int start, int end) {
        return Views.slice(this, axis, start, end, 1);
    }

    /**
     * {@return the view of indices {@code start, start+step, ...} below {@code end} along {@code
     * axis}}
     *
     * @param axis the axis to slice, in {@code [-rank, rank)}
     * @param start the first index (inclusive), in {@code [0, dim(axis)]}
     * @param end the end index (exclusive), in {@code [start, dim(axis)]}
     * @param step the distance between taken indices, {@code >= 1}
     */
    public Tensor slice(int axis, int start, int end, int step) {
        return Views.slice(this, axis, start, end, step);
    }

    /**
     * {@return the view of {@code length} indices from {@code start} along {@code axis}}
     *
     * @param axis the axis to narrow, in {@code [-rank, rank)}
     * @param start the first index, in {@code [0, dim(axis)]}
     * @param length the number of indices kept, in {@code [0, dim(axis) - start]}
     */
    public Tensor narrow(int axis, int start, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be non-negative, got " + length);
        }
        return Views.slice(this, axis, start, start + length, 1);
    }

    /**
     * {@return the view at {@code index} along {@code axis}, with that axis removed (rank - 1)}
     *
     * @param axis the axis to remove, in {@code [-rank, rank)}
     * @param index the index along {@code axis}, in {@code [0, dim(axis))}
     */
    public Tensor select(int axis, int index) {
        return Views.select(this, axis, index);
    }

    /** {@return a view without the dimensions of size 1} */
    public Tensor squeeze() {
        return Views.squeeze(this);
    }

    /**
     * {@return a view without {@code axis}, which must have size 1}
     *
     * @param axis the axis to remove, in {@code [-rank, rank)}; its size must be 1
     */
    public Tensor squeeze(int axis) {
        return Views.squeeze(this, axis);
    }

    /**
     * {@return a view with a new dimension of size 1 at {@code axis}, in {@code [-rank-1, rank]}}
     *
     * @param axis where the new axis goes, in {@code [-rank-1, rank]}
     */
    public Tensor unsqueeze(int axis) {
        return Views.unsqueeze(this, axis);
    }

    /**
     * {@return a broadcast view (stride 0 along new or size-1 dimensions); -1 keeps a dimension}
     * The view can be read but not written in bulk.
     *
     * @param dims the target dimensions; -1 keeps this tensor's dimension at that position
     */
    public Tensor expand(int... dims) {
        return Views.expand(this, dims);
    }

    /**
     * As {@link #expand(int...)}: the numpy {@code broadcast_to}.
     *
     * @param shape the target shape; this shape must broadcast to it
     * @return the broadcast view (see {@link #expand(int...)})
     */
    public Tensor expand(Shape shape) {
        return Views.expand(this, shape.dims);
    }

    /** {@return this tensor if it is contiguous, else a contiguous copy} */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** {@return a contiguous copy with its own array of exactly {@link #size()} elements} */
    public Tensor copy() {
        Tensor out = zeros(shape);
        Strided.unary(Unary.COPY, out.data, 0, out.strides, data, offset, strides, shape.dims);
        return out;
    }

    /** {@return a new array with the elements in row-major order} */
    public float[] toArray() {
        return copy().data;
    }

    // ---------------------------------------------------------------- matmul

    /**
     * {@return the matrix product, numpy {@code matmul}: (..., m, k) @ (..., k, n) = (..., m, n),
     * batch dimensions broadcast; a rank-1 left operand is a row (1, k) and a rank-1 right operand
     * a column (k, 1), their unit dimension removed from the result} Transposed views go to the
     * GEMM as transposes, without a copy.
     *
     * @param other the right operand, rank 1 or more, with {@code k} rows (its second-to-last
     *     dimension)
     */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other);
    }

    /**
     * {@code out = alpha * a @ b + beta * out}, with the shapes of {@link #matmul(Tensor)};
     * {@code beta = 0} overwrites out and {@code beta = 1} accumulates, as for a weight gradient.
     * Allocation-free when the last two axes of a, b and out are each row- or column-major (any
     * transpose or row slice of a contiguous tensor); other layouts are copied.
     *
     * @param out the output, of the product's shape; any view except an expanded one
     * @param a the left operand, {@code (..., m, k)} or rank 1 {@code (k)}
     * @param b the right operand, {@code (..., k, n)} or rank 1 {@code (k)}
     * @param alpha the factor of the product
     * @param beta the factor of the old {@code out}: 0 overwrites (NaN in out is not propagated), 1
     *     accumulates
     */
    public static void matmul(Tensor out, Tensor a, Tensor b, float alpha, float beta) {
        MatMul.matmulInto(out, a, b, alpha, beta);
    }

    // ---------------------------------------------------------------- comparison and text

    /**
     * {@return whether both tensors have the same shape and every pair of elements satisfies
     * numpy's {@code |a - b| <= atol + rtol * |b|} (in double); equal infinities are close, NaN is
     * close to nothing}
     *
     * @param a the tensor under test
     * @param b the reference tensor (the relative tolerance scales with its elements)
     * @param rtol the relative tolerance, a multiple of {@code |expected|}
     * @param atol the absolute tolerance
     */
    public static boolean allClose(Tensor a, Tensor b, double rtol, double atol) {
        return TensorText.mismatch(a, b, rtol, atol) == null;
    }

    /**
     * Null when {@link #allClose} holds, else a description: the shapes, or the first
     * mismatching index with both values, the count of mismatches and the largest difference.
     *
     * @param actual the tensor under test
     * @param expected the reference tensor (the relative tolerance scales with its elements)
     * @param rtol the relative tolerance, a multiple of {@code |expected|}
     * @param atol the absolute tolerance
     * @return null when the tensors are close, else a one-line description of the first mismatch
     */
    public static String mismatch(Tensor actual, Tensor expected, double rtol, double atol) {
        return TensorText.mismatch(actual, expected, rtol, atol);
    }

    /**
     * Throws an {@link AssertionError} with the {@link #mismatch} description unless all close.
     *
     * @param actual the tensor under test
     * @param expected the reference tensor (the relative tolerance scales with its elements)
     * @param rtol the relative tolerance, a multiple of {@code |expected|}
     * @param atol the absolute tolerance
     */
    public static void assertAllClose(Tensor actual, Tensor expected, double rtol, double atol) {
        String mismatch = TensorText.mismatch(actual, expected, rtol, atol);
        if (mismatch != null) {
            throw new AssertionError(mismatch);
        }
    }

    /** The shape and the values, nested like numpy; large tensors show their edges only. */
    @Override
    public String toString() {
        return TensorText.format(this);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * This tensor, or a copy when reading it while writing {@code out} element by element could
     * see elements already written: it shares memory with out in any way other than holding the
     * same element at the same index.
     */
    Tensor readableWhileWriting(Tensor out) {
        if (data != out.data || size() == 0 || out.size() == 0 || !overlaps(out)) {
            return this;
        }
        if (offset == out.offset && Arrays.equals(stridesFor(out.shape), out.stridesFor(out.shape))
                && shape.equals(out.shape)) {
            return this;
        }
        return copy();
    }
}
