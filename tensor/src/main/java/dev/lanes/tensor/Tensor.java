package dev.lanes.tensor;

import dev.lanes.tensor.InnerLoops.Binary;
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
 */
public final class Tensor {
    final float[] data;
    final int offset;
    final Shape shape;
    final int[] strides;

    /** Trusted: callers guarantee every element lies within {@code data}. */
    Tensor(float[] data, int offset, Shape shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    static Tensor contiguousOf(float[] data, Shape shape) {
        return new Tensor(data, 0, shape, shape.contiguousStrides());
    }

    // ---------------------------------------------------------------- factories

    /** A new tensor of zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** A new tensor of zeros. */
    public static Tensor zeros(Shape shape) {
        return contiguousOf(new float[shape.size()], shape);
    }

    /** A new tensor of ones. */
    public static Tensor ones(int... dims) {
        return full(Shape.of(dims), 1f);
    }

    /** A new tensor of ones. */
    public static Tensor ones(Shape shape) {
        return full(shape, 1f);
    }

    /** A new tensor with every element {@code value}. */
    public static Tensor full(Shape shape, float value) {
        float[] data = new float[shape.size()];
        Arrays.fill(data, value);
        return contiguousOf(data, shape);
    }

    /** A new rank-0 tensor holding {@code value}. */
    public static Tensor scalar(float value) {
        return contiguousOf(new float[] {value}, Shape.scalar());
    }

    /** {@code (0, 1, ..., n-1)}, shape {@code (n)}. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /**
     * {@code start + i*step} for {@code i} in {@code [0, ceil((end-start)/step))}, computed in
     * double and rounded once; shape {@code (count)}.
     */
    public static Tensor arange(double start, double end, double step) {
        return Factories.arange(start, end, step);
    }

    /**
     * A new tensor holding a copy of {@code values} in row-major order.
     *
     * @throws IllegalArgumentException if {@code values.length} is not the size of the shape
     */
    public static Tensor fromArray(float[] values, int... dims) {
        Shape shape = Shape.of(dims);
        Factories.checkLength("values", values, shape);
        return contiguousOf(values.clone(), shape);
    }

    /** A contiguous tensor over {@code data} itself (no copy); the length must be the size. */
    public static Tensor wrap(float[] data, int... dims) {
        Shape shape = Shape.of(dims);
        Factories.checkLength("data", data, shape);
        return contiguousOf(data, shape);
    }

    /**
     * A tensor over {@code data} itself (no copy) with the given offset and strides (in elements,
     * non-negative).
     *
     * @throws IllegalArgumentException if a stride is negative or an element lies outside data
     */
    public static Tensor wrap(float[] data, int offset, Shape shape, int[] strides) {
        return Factories.wrap(data, offset, shape, strides);
    }

    /**
     * Uniform on [0, 1), deterministic for a seed on every platform: {@code new
     * SplittableRandom(seed)}, and each element, in row-major order, is the high 24 bits of
     * {@code nextInt()} times 2^-24.
     */
    public static Tensor rand(Shape shape, long seed) {
        return rand(shape, 0f, 1f, seed);
    }

    /** Uniform on [low, high): {@code low + (high - low) * u} with u as in {@link #rand(Shape, long)}. */
    public static Tensor rand(Shape shape, float low, float high, long seed) {
        return Factories.rand(shape, low, high, seed);
    }

    /** Standard normal; see {@link #randn(Shape, float, float, long)}. */
    public static Tensor randn(Shape shape, long seed) {
        return randn(shape, 0f, 1f, seed);
    }

    /**
     * Normal with the given mean and standard deviation, deterministic for a seed on every
     * platform: Box-Muller in double with {@link StrictMath} (fdlibm, the same bits everywhere) on
     * pairs of 53-bit uniforms from {@code new SplittableRandom(seed).nextLong()}; elements are
     * filled in row-major order, two per pair.
     */
    public static Tensor randn(Shape shape, float mean, float std, long seed) {
        return Factories.randn(shape, mean, std, seed);
    }

    // ---------------------------------------------------------------- layout

    /** The shape. */
    public Shape shape() {
        return shape;
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.rank();
    }

    /** The dimension along {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** The number of elements. */
    public int size() {
        return shape.size();
    }

    /** The backing array itself (shared, not a copy), for kernels. */
    public float[] data() {
        return data;
    }

    /** The index in {@link #data()} of the first element. */
    public int offset() {
        return offset;
    }

    /** A copy of the strides, in elements. */
    public int[] strides() {
        return strides.clone();
    }

    /** The stride along {@code axis}, in elements. */
    public int stride(int axis) {
        return strides[shape.axis(axis)];
    }

    /**
     * Whether the elements lie in row-major order at {@code data()[offset(), offset() + size())}.
     * Strides of size-1 dimensions do not matter; an empty tensor is contiguous.
     */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dims[i];
            if (d == 0) {
                return true;
            }
            if (d != 1 && strides[i] != expected) {
                return false;
            }
            expected *= d;
        }
        return true;
    }

    // ---------------------------------------------------------------- views

    /**
     * A view with the given dimensions (one may be -1, inferred) and the same elements in
     * row-major order.
     *
     * @throws IllegalArgumentException if the sizes differ, or if the strides do not allow a view
     *         (a permuted or sliced tensor); {@code contiguous().reshape(...)} copies first
     */
    public Tensor reshape(int... dims) {
        return Views.reshape(this, dims);
    }

    /** As {@link #reshape(int...)}. */
    public Tensor reshape(Shape shape) {
        return Views.reshape(this, shape.dims);
    }

    /** A view with the axes reordered: dimension i of the result is dimension {@code axes[i]}. */
    public Tensor permute(int... axes) {
        return Views.permute(this, axes);
    }

    /** A view with two axes swapped. */
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

    /** A view with the last two axes swapped: the transpose of each matrix of a batch. */
    public Tensor transpose() {
        if (rank() < 2) {
            throw new IllegalArgumentException("transpose() needs rank >= 2, got shape " + shape);
        }
        return transpose(-2, -1);
    }

    /** The view of indices {@code [start, end)} along {@code axis}. */
    public Tensor slice(int axis, int start, int end) {
        return Views.slice(this, axis, start, end, 1);
    }

    /** The view of indices {@code start, start+step, ...} below {@code end} along {@code axis}. */
    public Tensor slice(int axis, int start, int end, int step) {
        return Views.slice(this, axis, start, end, step);
    }

    /** The view of {@code length} indices from {@code start} along {@code axis}. */
    public Tensor narrow(int axis, int start, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be non-negative, got " + length);
        }
        return Views.slice(this, axis, start, start + length, 1);
    }

    /** The view at {@code index} along {@code axis}, with that axis removed (rank - 1). */
    public Tensor select(int axis, int index) {
        return Views.select(this, axis, index);
    }

    /** A view without the dimensions of size 1. */
    public Tensor squeeze() {
        return Views.squeeze(this);
    }

    /** A view without {@code axis}, which must have size 1. */
    public Tensor squeeze(int axis) {
        return Views.squeeze(this, axis);
    }

    /** A view with a new dimension of size 1 at {@code axis}, in {@code [-rank-1, rank]}. */
    public Tensor unsqueeze(int axis) {
        return Views.unsqueeze(this, axis);
    }

    /**
     * A broadcast view (stride 0 along new or size-1 dimensions); -1 keeps a dimension. The view
     * can be read but not written in bulk.
     */
    public Tensor expand(int... dims) {
        return Views.expand(this, dims);
    }

    /** As {@link #expand(int...)}: the numpy {@code broadcast_to}. */
    public Tensor expand(Shape shape) {
        return Views.expand(this, shape.dims);
    }

    /** This tensor if it is contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous copy with its own array of exactly {@link #size()} elements. */
    public Tensor copy() {
        Tensor out = zeros(shape);
        Strided.unary(Unary.COPY, out.data, 0, out.strides, data, offset, strides, shape.dims);
        return out;
    }

    // ---------------------------------------------------------------- elements

    /** The element at {@code index} (one index per dimension). */
    public float get(int... index) {
        return data[position(index)];
    }

    /** The element at {@code i} of a rank-1 tensor. */
    public float get(int i) {
        requireRank(1);
        return data[offset + check(0, i) * strides[0]];
    }

    /** The element at {@code (i, j)} of a rank-2 tensor. */
    public float get(int i, int j) {
        requireRank(2);
        return data[offset + check(0, i) * strides[0] + check(1, j) * strides[1]];
    }

    /** The element at {@code (i, j, k)} of a rank-3 tensor. */
    public float get(int i, int j, int k) {
        requireRank(3);
        return data[offset + check(0, i) * strides[0] + check(1, j) * strides[1] + check(2, k) * strides[2]];
    }

    /** The element at {@code (i, j, k, l)} of a rank-4 tensor. */
    public float get(int i, int j, int k, int l) {
        requireRank(4);
        return data[offset + check(0, i) * strides[0] + check(1, j) * strides[1] + check(2, k) * strides[2]
                + check(3, l) * strides[3]];
    }

    /** Sets the element at {@code index}; through a view, the shared array changes. */
    public void set(int[] index, float value) {
        data[position(index)] = value;
    }

    /** Sets element {@code i} of a rank-1 tensor. */
    public void set(int i, float value) {
        requireRank(1);
        data[offset + check(0, i) * strides[0]] = value;
    }

    /** Sets element {@code (i, j)} of a rank-2 tensor. */
    public void set(int i, int j, float value) {
        requireRank(2);
        data[offset + check(0, i) * strides[0] + check(1, j) * strides[1]] = value;
    }

    /** Sets element {@code (i, j, k)} of a rank-3 tensor. */
    public void set(int i, int j, int k, float value) {
        requireRank(3);
        data[offset + check(0, i) * strides[0] + check(1, j) * strides[1] + check(2, k) * strides[2]] = value;
    }

    /** Sets element {@code (i, j, k, l)} of a rank-4 tensor. */
    public void set(int i, int j, int k, int l, float value) {
        requireRank(4);
        data[offset + check(0, i) * strides[0] + check(1, j) * strides[1] + check(2, k) * strides[2]
                + check(3, l) * strides[3]] = value;
    }

    /** The only element of a one-element tensor (any rank). */
    public float item() {
        if (size() != 1) {
            throw new IllegalArgumentException("item() needs exactly one element, got shape " + shape);
        }
        return data[offset];
    }

    /** A new array with the elements in row-major order. */
    public float[] toArray() {
        return copy().data;
    }

    private int position(int[] index) {
        if (index == null || index.length != rank()) {
            throw new IllegalArgumentException("index " + (index == null ? "null" : Shape.format(index))
                    + " does not have one entry per dimension of shape " + shape);
        }
        int position = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dims[i]) {
                throw new IllegalArgumentException("index " + Shape.format(index) + " is out of range for shape "
                        + shape);
            }
            position += index[i] * strides[i];
        }
        return position;
    }

    private void requireRank(int rank) {
        if (rank() != rank) {
            throw new IllegalArgumentException("a rank-" + rank + " index does not fit shape " + shape);
        }
    }

    private int check(int axis, int index) {
        if (index < 0 || index >= shape.dims[axis]) {
            throw new IllegalArgumentException("index " + index + " is out of range for axis " + axis + " of shape "
                    + shape);
        }
        return index;
    }

    // ---------------------------------------------------------------- in-place

    /** Sets every element to {@code value}; returns this. */
    public Tensor fill(float value) {
        requireWritable("fill");
        Strided.unary(Unary.COPY, data, offset, strides, new float[] {value}, 0, new int[rank()], shape.dims);
        return this;
    }

    /** Sets every element to 0; returns this. */
    public Tensor zero() {
        return fill(0f);
    }

    /** Copies {@code source}, broadcast to this shape, into this tensor; returns this. */
    public Tensor copyFrom(Tensor source) {
        Pointwise.unaryInto("copyFrom", Unary.COPY, this, source);
        return this;
    }

    /** {@code this += other} (other broadcast to this shape); returns this. */
    public Tensor addInPlace(Tensor other) {
        return Pointwise.inPlace(this, "addInPlace", Binary.ADD, 0f, other);
    }

    /** {@code this -= other}; returns this. */
    public Tensor subInPlace(Tensor other) {
        return Pointwise.inPlace(this, "subInPlace", Binary.SUB, 0f, other);
    }

    /** {@code this *= other}; returns this. */
    public Tensor mulInPlace(Tensor other) {
        return Pointwise.inPlace(this, "mulInPlace", Binary.MUL, 0f, other);
    }

    /** {@code this /= other}; returns this. */
    public Tensor divInPlace(Tensor other) {
        return Pointwise.inPlace(this, "divInPlace", Binary.DIV, 0f, other);
    }

    /** {@code this += alpha * x} (x broadcast to this shape); returns this. */
    public Tensor axpyInPlace(float alpha, Tensor x) {
        return Pointwise.inPlace(this, "axpyInPlace", Binary.AXPY, alpha, x);
    }

    /** {@code this += value}; returns this. */
    public Tensor addInPlace(float value) {
        return Pointwise.inPlace(this, "addInPlace", Binary.ADD, 0f, scalar(value));
    }

    /** {@code this *= factor}; returns this. */
    public Tensor scaleInPlace(float factor) {
        return Pointwise.inPlace(this, "scaleInPlace", Binary.MUL, 0f, scalar(factor));
    }

    /** Clamps every element to {@code [min, max]} (NaN stays NaN); returns this. */
    public Tensor clampInPlace(float min, float max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clamp needs min <= max, got min " + min + ", max " + max);
        }
        Pointwise.inPlace(this, "clampInPlace", Binary.MAX, 0f, scalar(min));
        return Pointwise.inPlace(this, "clampInPlace", Binary.MIN, 0f, scalar(max));
    }

    // ---------------------------------------------------------------- elementwise

    /** {@code this + other}, broadcast. */
    public Tensor add(Tensor other) {
        return Pointwise.binary("add", Binary.ADD, this, other);
    }

    /** {@code this - other}, broadcast. */
    public Tensor sub(Tensor other) {
        return Pointwise.binary("sub", Binary.SUB, this, other);
    }

    /** {@code this * other}, broadcast. */
    public Tensor mul(Tensor other) {
        return Pointwise.binary("mul", Binary.MUL, this, other);
    }

    /** {@code this / other}, broadcast. */
    public Tensor div(Tensor other) {
        return Pointwise.binary("div", Binary.DIV, this, other);
    }

    /** The elementwise maximum, broadcast; NaN propagates. */
    public Tensor maximum(Tensor other) {
        return Pointwise.binary("maximum", Binary.MAX, this, other);
    }

    /** The elementwise minimum, broadcast; NaN propagates. */
    public Tensor minimum(Tensor other) {
        return Pointwise.binary("minimum", Binary.MIN, this, other);
    }

    /** {@code this + value}. */
    public Tensor add(float value) {
        return Pointwise.binary("add", Binary.ADD, this, scalar(value));
    }

    /** {@code this - value}. */
    public Tensor sub(float value) {
        return Pointwise.binary("sub", Binary.SUB, this, scalar(value));
    }

    /** {@code this * value}. */
    public Tensor mul(float value) {
        return Pointwise.binary("mul", Binary.MUL, this, scalar(value));
    }

    /** {@code this / value}. */
    public Tensor div(float value) {
        return Pointwise.binary("div", Binary.DIV, this, scalar(value));
    }

    /** {@code max(this, value)} elementwise; NaN propagates. */
    public Tensor maximum(float value) {
        return Pointwise.binary("maximum", Binary.MAX, this, scalar(value));
    }

    /** {@code min(this, value)} elementwise; NaN propagates. */
    public Tensor minimum(float value) {
        return Pointwise.binary("minimum", Binary.MIN, this, scalar(value));
    }

    /** A copy clamped to {@code [min, max]}. */
    public Tensor clamp(float min, float max) {
        return copy().clampInPlace(min, max);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return Pointwise.unary(this, "neg", Unary.NEG);
    }

    /** {@code |this|}. */
    public Tensor abs() {
        return Pointwise.unary(this, "abs", Unary.ABS);
    }

    /** {@code e^this}, computed in double and rounded to float. */
    public Tensor exp() {
        return Pointwise.unary(this, "exp", Unary.EXP);
    }

    /** The natural logarithm, computed in double and rounded to float. */
    public Tensor log() {
        return Pointwise.unary(this, "log", Unary.LOG);
    }

    /** The square root. */
    public Tensor sqrt() {
        return Pointwise.unary(this, "sqrt", Unary.SQRT);
    }

    /** {@code this * this}. */
    public Tensor square() {
        return Pointwise.unary(this, "square", Unary.SQUARE);
    }

    /** {@code out = a + b} (broadcast to out's shape, which must be the broadcast shape). */
    public static void add(Tensor out, Tensor a, Tensor b) {
        Pointwise.binaryInto("add", Binary.ADD, 0f, out, a, b);
    }

    /** {@code out = a - b}. */
    public static void sub(Tensor out, Tensor a, Tensor b) {
        Pointwise.binaryInto("sub", Binary.SUB, 0f, out, a, b);
    }

    /** {@code out = a * b}. */
    public static void mul(Tensor out, Tensor a, Tensor b) {
        Pointwise.binaryInto("mul", Binary.MUL, 0f, out, a, b);
    }

    /** {@code out = a / b}. */
    public static void div(Tensor out, Tensor a, Tensor b) {
        Pointwise.binaryInto("div", Binary.DIV, 0f, out, a, b);
    }

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements (0 for an empty tensor), accumulated in double. */
    public float sum() {
        return Reductions.all(this, Binary.ADD);
    }

    /** The mean of all elements (NaN for an empty tensor). */
    public float mean() {
        return (float) ((double) sum() / size());
    }

    /** The largest element; NaN if any element is NaN. */
    public float max() {
        return Reductions.all(this, Binary.MAX);
    }

    /** The smallest element; NaN if any element is NaN. */
    public float min() {
        return Reductions.all(this, Binary.MIN);
    }

    /** The sum along {@code axis}, which is removed. */
    public Tensor sum(int axis) {
        return Reductions.along(this, Binary.ADD, axis, false);
    }

    /** The sum along {@code axis}, kept with size 1 when {@code keepDims}. */
    public Tensor sum(int axis, boolean keepDims) {
        return Reductions.along(this, Binary.ADD, axis, keepDims);
    }

    /** The mean along {@code axis}, which is removed. */
    public Tensor mean(int axis) {
        return mean(axis, false);
    }

    /** The mean along {@code axis}, kept with size 1 when {@code keepDims}. */
    public Tensor mean(int axis, boolean keepDims) {
        Tensor sum = Reductions.along(this, Binary.ADD, axis, keepDims);
        return sum.scaleInPlace((float) (1.0 / dim(axis)));
    }

    /** The maximum along {@code axis}, which is removed; NaN propagates. */
    public Tensor max(int axis) {
        return Reductions.along(this, Binary.MAX, axis, false);
    }

    /** The maximum along {@code axis}, kept with size 1 when {@code keepDims}. */
    public Tensor max(int axis, boolean keepDims) {
        return Reductions.along(this, Binary.MAX, axis, keepDims);
    }

    /**
     * The index of the maximum along {@code axis}, for every position of the other axes in
     * row-major order; ties pick the first index, and a NaN counts as the maximum.
     */
    public int[] argmax(int axis) {
        return Reductions.argmax(this, axis);
    }

    /**
     * The sum of this tensor down to {@code target}, a shape that broadcasts to this one: the
     * reverse of broadcasting, as a broadcast operand's gradient needs.
     */
    public Tensor sumTo(Shape target) {
        Tensor out = zeros(target);
        sumTo(out, this, false);
        return out;
    }

    /**
     * {@code out = sum of x down to out's shape} ({@code +=} when {@code accumulate}); out's shape
     * must broadcast to x's shape. For bias gradients: {@code sumTo(biasGrad, gradOut, true)}.
     */
    public static void sumTo(Tensor out, Tensor x, boolean accumulate) {
        Reductions.sumTo(out, x, accumulate);
    }

    // ---------------------------------------------------------------- matmul

    /**
     * The matrix product, numpy {@code matmul}: (..., m, k) @ (..., k, n) = (..., m, n), batch
     * dimensions broadcast; a rank-1 left operand is a row (1, k) and a rank-1 right operand a
     * column (k, 1), their unit dimension removed from the result. Transposed views go to the
     * GEMM as transposes, without a copy.
     */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other);
    }

    /**
     * {@code out = alpha * a @ b + beta * out}, with the shapes of {@link #matmul(Tensor)};
     * {@code beta = 0} overwrites out and {@code beta = 1} accumulates, as for a weight gradient.
     * Allocation-free when the last two axes of a, b and out are each row- or column-major (any
     * transpose or row slice of a contiguous tensor); other layouts are copied.
     */
    public static void matmul(Tensor out, Tensor a, Tensor b, float alpha, float beta) {
        MatMul.matmulInto(out, a, b, alpha, beta);
    }

    // ---------------------------------------------------------------- comparison and text

    /**
     * Whether both tensors have the same shape and every pair of elements satisfies numpy's
     * {@code |a - b| <= atol + rtol * |b|} (in double); equal infinities are close, NaN is close
     * to nothing.
     */
    public static boolean allClose(Tensor a, Tensor b, double rtol, double atol) {
        return TensorText.mismatch(a, b, rtol, atol) == null;
    }

    /**
     * Null when {@link #allClose} holds, else a description: the shapes, or the first
     * mismatching index with both values, the count of mismatches and the largest difference.
     */
    public static String mismatch(Tensor actual, Tensor expected, double rtol, double atol) {
        return TensorText.mismatch(actual, expected, rtol, atol);
    }

    /** Throws an {@link AssertionError} with the {@link #mismatch} description unless all close. */
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

    /** This tensor's strides when broadcast to {@code target} (stride 0 on broadcast axes). */
    int[] stridesFor(Shape target) {
        int[] out = new int[target.rank()];
        int shift = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            out[i + shift] = shape.dims[i] == 1 ? 0 : strides[i];
        }
        return out;
    }

    /** Throws unless every element has its own memory location (no stride 0 on a dimension > 1). */
    void requireWritable(String name) {
        for (int i = 0; i < rank(); i++) {
            if (strides[i] == 0 && shape.dims[i] > 1) {
                throw new IllegalArgumentException(name + ": cannot write to an expanded view (shape " + shape
                        + ", strides " + Shape.format(strides) + "): several elements share one location");
            }
        }
    }

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

    /** Whether the memory ranges [first, last element] of the two tensors intersect. */
    boolean overlaps(Tensor other) {
        return offset <= other.lastPosition() && other.offset <= lastPosition();
    }

    private int lastPosition() {
        int last = offset;
        for (int i = 0; i < rank(); i++) {
            last += (shape.dims[i] - 1) * strides[i];
        }
        return last;
    }
}
