package dev.lanes.tensor;

import dev.lanes.tensor.InnerLoops.Binary;
import dev.lanes.tensor.InnerLoops.Unary;

/**
 * The arithmetic of {@link Tensor}: in-place ops, elementwise ops with broadcasting, and
 * reductions, each a thin entry point to {@link Pointwise} or {@link Reductions}.
 * Package-private: its public methods are part of {@link Tensor}'s API and documented with it.
 * Sealed, so every instance is a {@code Tensor} ({@link #self()}).
 */
abstract sealed class TensorMath extends TensorLayout permits Tensor {
    TensorMath(float[] data, int offset, Shape shape, int[] strides) {
        super(data, offset, shape, strides);
    }

    /** This object as the {@link Tensor} it is (the class is sealed). */
    final Tensor self() {
        return (Tensor) this;
    }

    // ---------------------------------------------------------------- in-place

    /** Sets every element to {@code value}; returns this. */
    public Tensor fill(float value) {
        requireWritable("fill");
        Strided.unary(Unary.COPY, data, offset, strides, new float[] {value}, 0, new int[rank()], shape.dims);
        return self();
    }

    /** Sets every element to 0; returns this. */
    public Tensor zero() {
        return fill(0f);
    }

    /** Copies {@code source}, broadcast to this shape, into this tensor; returns this. */
    public Tensor copyFrom(Tensor source) {
        Pointwise.unaryInto("copyFrom", Unary.COPY, self(), source);
        return self();
    }

    /** {@code this += other} (other broadcast to this shape); returns this. */
    public Tensor addInPlace(Tensor other) {
        return Pointwise.inPlace(self(), "addInPlace", Binary.ADD, 0f, other);
    }

    /** {@code this -= other}; returns this. */
    public Tensor subInPlace(Tensor other) {
        return Pointwise.inPlace(self(), "subInPlace", Binary.SUB, 0f, other);
    }

    /** {@code this *= other}; returns this. */
    public Tensor mulInPlace(Tensor other) {
        return Pointwise.inPlace(self(), "mulInPlace", Binary.MUL, 0f, other);
    }

    /** {@code this /= other}; returns this. */
    public Tensor divInPlace(Tensor other) {
        return Pointwise.inPlace(self(), "divInPlace", Binary.DIV, 0f, other);
    }

    /** {@code this += alpha * x} (x broadcast to this shape), one fused multiply-add per element; returns this. */
    public Tensor axpyInPlace(float alpha, Tensor x) {
        return Pointwise.inPlace(self(), "axpyInPlace", Binary.AXPY, alpha, x);
    }

    /** {@code this += value}; returns this. */
    public Tensor addInPlace(float value) {
        return Pointwise.inPlace(self(), "addInPlace", Binary.ADD, 0f, Tensor.scalar(value));
    }

    /** {@code this *= factor}; returns this. */
    public Tensor scaleInPlace(float factor) {
        return Pointwise.inPlace(self(), "scaleInPlace", Binary.MUL, 0f, Tensor.scalar(factor));
    }

    /** Clamps every element to {@code [min, max]} (NaN stays NaN); returns this. */
    public Tensor clampInPlace(float min, float max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clamp needs min <= max, got min " + min + ", max " + max);
        }
        Pointwise.inPlace(self(), "clampInPlace", Binary.MAX, 0f, Tensor.scalar(min));
        return Pointwise.inPlace(self(), "clampInPlace", Binary.MIN, 0f, Tensor.scalar(max));
    }

    // ---------------------------------------------------------------- elementwise

    /** {@code this + other}, broadcast. */
    public Tensor add(Tensor other) {
        return Pointwise.binary("add", Binary.ADD, self(), other);
    }

    /** {@code this - other}, broadcast. */
    public Tensor sub(Tensor other) {
        return Pointwise.binary("sub", Binary.SUB, self(), other);
    }

    /** {@code this * other}, broadcast. */
    public Tensor mul(Tensor other) {
        return Pointwise.binary("mul", Binary.MUL, self(), other);
    }

    /** {@code this / other}, broadcast. */
    public Tensor div(Tensor other) {
        return Pointwise.binary("div", Binary.DIV, self(), other);
    }

    /** The elementwise maximum, broadcast; NaN propagates. */
    public Tensor maximum(Tensor other) {
        return Pointwise.binary("maximum", Binary.MAX, self(), other);
    }

    /** The elementwise minimum, broadcast; NaN propagates. */
    public Tensor minimum(Tensor other) {
        return Pointwise.binary("minimum", Binary.MIN, self(), other);
    }

    /** {@code this + value}. */
    public Tensor add(float value) {
        return Pointwise.binary("add", Binary.ADD, self(), Tensor.scalar(value));
    }

    /** {@code this - value}. */
    public Tensor sub(float value) {
        return Pointwise.binary("sub", Binary.SUB, self(), Tensor.scalar(value));
    }

    /** {@code this * value}. */
    public Tensor mul(float value) {
        return Pointwise.binary("mul", Binary.MUL, self(), Tensor.scalar(value));
    }

    /** {@code this / value}. */
    public Tensor div(float value) {
        return Pointwise.binary("div", Binary.DIV, self(), Tensor.scalar(value));
    }

    /** {@code max(this, value)} elementwise; NaN propagates. */
    public Tensor maximum(float value) {
        return Pointwise.binary("maximum", Binary.MAX, self(), Tensor.scalar(value));
    }

    /** {@code min(this, value)} elementwise; NaN propagates. */
    public Tensor minimum(float value) {
        return Pointwise.binary("minimum", Binary.MIN, self(), Tensor.scalar(value));
    }

    /** A copy clamped to {@code [min, max]}. */
    public Tensor clamp(float min, float max) {
        return self().copy().clampInPlace(min, max);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return Pointwise.unary(self(), "neg", Unary.NEG);
    }

    /** {@code |this|}. */
    public Tensor abs() {
        return Pointwise.unary(self(), "abs", Unary.ABS);
    }

    /** {@code e^this}, computed in double and rounded to float. */
    public Tensor exp() {
        return Pointwise.unary(self(), "exp", Unary.EXP);
    }

    /** The natural logarithm, computed in double and rounded to float. */
    public Tensor log() {
        return Pointwise.unary(self(), "log", Unary.LOG);
    }

    /** The square root. */
    public Tensor sqrt() {
        return Pointwise.unary(self(), "sqrt", Unary.SQRT);
    }

    /** {@code this * this}. */
    public Tensor square() {
        return Pointwise.unary(self(), "square", Unary.SQUARE);
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
        return Reductions.all(self(), Binary.ADD);
    }

    /** The mean of all elements (NaN for an empty tensor). */
    public float mean() {
        return (float) ((double) sum() / size());
    }

    /** The largest element; NaN if any element is NaN. */
    public float max() {
        return Reductions.all(self(), Binary.MAX);
    }

    /** The smallest element; NaN if any element is NaN. */
    public float min() {
        return Reductions.all(self(), Binary.MIN);
    }

    /** The sum along {@code axis}, which is removed. */
    public Tensor sum(int axis) {
        return Reductions.along(self(), Binary.ADD, axis, false);
    }

    /** The sum along {@code axis}, kept with size 1 when {@code keepDims}. */
    public Tensor sum(int axis, boolean keepDims) {
        return Reductions.along(self(), Binary.ADD, axis, keepDims);
    }

    /** The mean along {@code axis}, which is removed. */
    public Tensor mean(int axis) {
        return mean(axis, false);
    }

    /** The mean along {@code axis}, kept with size 1 when {@code keepDims}. */
    public Tensor mean(int axis, boolean keepDims) {
        Tensor sum = Reductions.along(self(), Binary.ADD, axis, keepDims);
        return sum.scaleInPlace((float) (1.0 / dim(axis)));
    }

    /** The maximum along {@code axis}, which is removed; NaN propagates. */
    public Tensor max(int axis) {
        return Reductions.along(self(), Binary.MAX, axis, false);
    }

    /** The maximum along {@code axis}, kept with size 1 when {@code keepDims}. */
    public Tensor max(int axis, boolean keepDims) {
        return Reductions.along(self(), Binary.MAX, axis, keepDims);
    }

    /**
     * The index of the maximum along {@code axis}, for every position of the other axes in
     * row-major order, ranked as {@link Float#compare} ranks them: ties pick the first index, a
     * NaN counts as the maximum and +0 ranks above -0, so the element at the index is what
     * {@link #max(int)} returns, bit for bit.
     */
    public int[] argmax(int axis) {
        return Reductions.argmax(self(), axis);
    }

    /**
     * The sum of this tensor down to {@code target}, a shape that broadcasts to this one: the
     * reverse of broadcasting, as a broadcast operand's gradient needs.
     */
    public Tensor sumTo(Shape target) {
        Tensor out = Tensor.zeros(target);
        sumTo(out, self(), false);
        return out;
    }

    /**
     * {@code out = sum of x down to out's shape} ({@code +=} when {@code accumulate}); out's shape
     * must broadcast to x's shape. For bias gradients: {@code sumTo(biasGrad, gradOut, true)}.
     */
    public static void sumTo(Tensor out, Tensor x, boolean accumulate) {
        Reductions.sumTo(out, x, accumulate);
    }
}
