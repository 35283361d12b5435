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

    /**
     * Sets every element to {@code value}; returns this.
     *
     * @param value the value every element gets
     * @return this tensor
     */
    public Tensor fill(float value) {
        requireWritable("fill");
        Strided.unary(Unary.COPY, data, offset, strides, new float[] {value}, 0, new int[rank()], shape.dims);
        return self();
    }

    /**
     * Sets every element to 0; returns this.
     *
     * @return this tensor
     */
    public Tensor zero() {
        return fill(0f);
    }

    /**
     * Copies {@code source}, broadcast to this shape, into this tensor; returns this.
     *
     * @param source the tensor to copy; its shape must broadcast to this shape
     * @return this tensor
     */
    public Tensor copyFrom(Tensor source) {
        Pointwise.unaryInto("copyFrom", Unary.COPY, self(), source);
        return self();
    }

    /**
     * {@code this += other} (other broadcast to this shape); returns this.
     *
     * @param other the tensor to add; its shape must broadcast to this shape
     * @return this tensor
     */
    public Tensor addInPlace(Tensor other) {
        return Pointwise.inPlace(self(), "addInPlace", Binary.ADD, 0f, other);
    }

    /**
     * {@code this -= other}; returns this.
     *
     * @param other the tensor to subtract; its shape must broadcast to this shape
     * @return this tensor
     */
    public Tensor subInPlace(Tensor other) {
        return Pointwise.inPlace(self(), "subInPlace", Binary.SUB, 0f, other);
    }

    /**
     * {@code this *= other}; returns this.
     *
     * @param other the factor; its shape must broadcast to this shape
     * @return this tensor
     */
    public Tensor mulInPlace(Tensor other) {
        return Pointwise.inPlace(self(), "mulInPlace", Binary.MUL, 0f, other);
    }

    /**
     * {@code this /= other}; returns this.
     *
     * @param other the divisor; its shape must broadcast to this shape
     * @return this tensor
     */
    public Tensor divInPlace(Tensor other) {
        return Pointwise.inPlace(self(), "divInPlace", Binary.DIV, 0f, other);
    }

    /**
     * {@code this += alpha * x} (x broadcast to this shape), one fused multiply-add per element; returns this.
     *
     * @param alpha the factor of {@code x}
     * @param x the tensor to add, scaled; its shape must broadcast to this shape
     * @return this tensor
     */
    public Tensor axpyInPlace(float alpha, Tensor x) {
        return Pointwise.inPlace(self(), "axpyInPlace", Binary.AXPY, alpha, x);
    }

    /**
     * {@code this += value}; returns this.
     *
     * @param value the scalar operand
     * @return this tensor
     */
    public Tensor addInPlace(float value) {
        return Pointwise.inPlace(self(), "addInPlace", Binary.ADD, 0f, Tensor.scalar(value));
    }

    /**
     * {@code this *= factor}; returns this.
     *
     * @param factor the factor every element is multiplied by
     * @return this tensor
     */
    public Tensor scaleInPlace(float factor) {
        return Pointwise.inPlace(self(), "scaleInPlace", Binary.MUL, 0f, Tensor.scalar(factor));
    }

    /**
     * Clamps every element to {@code [min, max]} (NaN stays NaN); returns this.
     *
     * @param min the lower bound
     * @param max the upper bound, {@code >= min}
     * @return this tensor
     */
    public Tensor clampInPlace(float min, float max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clamp needs min <= max, got min " + min + ", max " + max);
        }
        Pointwise.inPlace(self(), "clampInPlace", Binary.MAX, 0f, Tensor.scalar(min));
        return Pointwise.inPlace(self(), "clampInPlace", Binary.MIN, 0f, Tensor.scalar(max));
    }

    // ---------------------------------------------------------------- elementwise

    /**
     * {@return {@code this + other}, broadcast}
     *
     * @param other the right operand; its shape must broadcast with this shape
     */
    public Tensor add(Tensor other) {
        return Pointwise.binary("add", Binary.ADD, self(), other);
    }

    /**
     * {@return {@code this - other}, broadcast}
     *
     * @param other the right operand; its shape must broadcast with this shape
     */
    public Tensor sub(Tensor other) {
        return Pointwise.binary("sub", Binary.SUB, self(), other);
    }

    /**
     * {@return {@code this * other}, broadcast}
     *
     * @param other the right operand; its shape must broadcast with this shape
     */
    public Tensor mul(Tensor other) {
        return Pointwise.binary("mul", Binary.MUL, self(), other);
    }

    /**
     * {@return {@code this / other}, broadcast}
     *
     * @param other the right operand; its shape must broadcast with this shape
     */
    public Tensor div(Tensor other) {
        return Pointwise.binary("div", Binary.DIV, self(), other);
    }

    /**
     * {@return the elementwise maximum, broadcast; NaN propagates}
     *
     * @param other the right operand; its shape must broadcast with this shape
     */
    public Tensor maximum(Tensor other) {
        return Pointwise.binary("maximum", Binary.MAX, self(), other);
    }

    /**
     * {@return the elementwise minimum, broadcast; NaN propagates}
     *
     * @param other the right operand; its shape must broadcast with this shape
     */
    public Tensor minimum(Tensor other) {
        return Pointwise.binary("minimum", Binary.MIN, self(), other);
    }

    /**
     * {@return {@code this + value}}
     *
     * @param value the scalar operand
     */
    public Tensor add(float value) {
        return Pointwise.binary("add", Binary.ADD, self(), Tensor.scalar(value));
    }

    /**
     * {@return {@code this - value}}
     *
     * @param value the scalar operand
     */
    public Tensor sub(float value) {
        return Pointwise.binary("sub", Binary.SUB, self(), Tensor.scalar(value));
    }

    /**
     * {@return {@code this * value}}
     *
     * @param value the scalar operand
     */
    public Tensor mul(float value) {
        return Pointwise.binary("mul", Binary.MUL, self(), Tensor.scalar(value));
    }

    /**
     * {@return {@code this / value}}
     *
     * @param value the scalar operand
     */
    public Tensor div(float value) {
        return Pointwise.binary("div", Binary.DIV, self(), Tensor.scalar(value));
    }

    /**
     * {@return {@code max(this, value)} elementwise; NaN propagates}
     *
     * @param value the scalar operand
     */
    public Tensor maximum(float value) {
        return Pointwise.binary("maximum", Binary.MAX, self(), Tensor.scalar(value));
    }

    /**
     * {@return {@code min(this, value)} elementwise; NaN propagates}
     *
     * @param value the scalar operand
     */
    public Tensor minimum(float value) {
        return Pointwise.binary("minimum", Binary.MIN, self(), Tensor.scalar(value));
    }

    /**
     * {@return a copy clamped to {@code [min, max]}}
     *
     * @param min the lower bound
     * @param max the upper bound, {@code >= min}
     */
    public Tensor clamp(float min, float max) {
        return self().copy().clampInPlace(min, max);
    }

    /** {@return {@code -this}} */
    public Tensor neg() {
        return Pointwise.unary(self(), "neg", Unary.NEG);
    }

    /** {@return {@code |this|}} */
    public Tensor abs() {
        return Pointwise.unary(self(), "abs", Unary.ABS);
    }

    /** {@return {@code e^this}, computed in double and rounded to float} */
    public Tensor exp() {
        return Pointwise.unary(self(), "exp", Unary.EXP);
    }

    /**
     * The natural logarithm, computed in double and rounded to float.
     *
     * @return the natural logarithm of each element, computed in double and rounded to float
     */
    public Tensor log() {
        return Pointwise.unary(self(), "log", Unary.LOG);
    }

    /**
     * The square root.
     *
     * @return the square root of each element, correctly rounded
     */
    public Tensor sqrt() {
        return Pointwise.unary(self(), "sqrt", Unary.SQRT);
    }

    /** {@return {@code this * this}} */
    public Tensor square() {
        return Pointwise.unary(self(), "square", Unary.SQUARE);
    }

    /**
     * {@code out = a + b} (broadcast to out's shape, which must be the broadcast shape).
     *
     * @param out the output, of the broadcast shape of {@code a} and {@code b}; any view except an
     *     expanded one
     * @param a the left operand; its shape must broadcast to {@code out}'s shape
     * @param b the right operand; its shape must broadcast to {@code out}'s shape
     */
    public static void add(Tensor out, Tensor a, Tensor b) {
        Pointwise.binaryInto("add", Binary.ADD, 0f, out, a, b);
    }

    /**
     * {@code out = a - b}.
     *
     * @param out the output, of the broadcast shape of {@code a} and {@code b}; any view except an
     *     expanded one
     * @param a the left operand; its shape must broadcast to {@code out}'s shape
     * @param b the right operand; its shape must broadcast to {@code out}'s shape
     */
    public static void sub(Tensor out, Tensor a, Tensor b) {
        Pointwise.binaryInto("sub", Binary.SUB, 0f, out, a, b);
    }

    /**
     * {@code out = a * b}.
     *
     * @param out the output, of the broadcast shape of {@code a} and {@code b}; any view except an
     *     expanded one
     * @param a the left operand; its shape must broadcast to {@code out}'s shape
     * @param b the right operand; its shape must broadcast to {@code out}'s shape
     */
    public static void mul(Tensor out, Tensor a, Tensor b) {
        Pointwise.binaryInto("mul", Binary.MUL, 0f, out, a, b);
    }

    /**
     * {@code out = a / b}.
     *
     * @param out the output, of the broadcast shape of {@code a} and {@code b}; any view except an
     *     expanded one
     * @param a the left operand; its shape must broadcast to {@code out}'s shape
     * @param b the right operand; its shape must broadcast to {@code out}'s shape
     */
    public static void div(Tensor out, Tensor a, Tensor b) {
        Pointwise.binaryInto("div", Binary.DIV, 0f, out, a, b);
    }

    // ---------------------------------------------------------------- reductions

    /** {@return the sum of all elements (0 for an empty tensor), accumulated in double} */
    public float sum() {
        return Reductions.all(self(), Binary.ADD);
    }

    /** {@return the mean of all elements (NaN for an empty tensor)} */
    public float mean() {
        return (float) ((double) sum() / size());
    }

    /** {@return the largest element; NaN if any element is NaN} */
    public float max() {
        return Reductions.all(self(), Binary.MAX);
    }

    /** {@return the smallest element; NaN if any element is NaN} */
    public float min() {
        return Reductions.all(self(), Binary.MIN);
    }

    /**
     * {@return the sum along {@code axis}, which is removed}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     */
    public Tensor sum(int axis) {
        return Reductions.along(self(), Binary.ADD, axis, false);
    }

    /**
     * {@return the sum along {@code axis}, kept with size 1 when {@code keepDims}}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @param keepDims true to keep {@code axis} with size 1, false to remove it
     */
    public Tensor sum(int axis, boolean keepDims) {
        return Reductions.along(self(), Binary.ADD, axis, keepDims);
    }

    /**
     * {@return the mean along {@code axis}, which is removed}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     */
    public Tensor mean(int axis) {
        return mean(axis, false);
    }

    /**
     * {@return the mean along {@code axis}, kept with size 1 when {@code keepDims}}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @param keepDims true to keep {@code axis} with size 1, false to remove it
     */
    public Tensor mean(int axis, boolean keepDims) {
        Tensor sum = Reductions.along(self(), Binary.ADD, axis, keepDims);
        return sum.scaleInPlace((float) (1.0 / dim(axis)));
    }

    /**
     * {@return the maximum along {@code axis}, which is removed; NaN propagates}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     */
    public Tensor max(int axis) {
        return Reductions.along(self(), Binary.MAX, axis, false);
    }

    /**
     * {@return the maximum along {@code axis}, kept with size 1 when {@code keepDims}}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @param keepDims true to keep {@code axis} with size 1, false to remove it
     */
    public Tensor max(int axis, boolean keepDims) {
        return Reductions.along(self(), Binary.MAX, axis, keepDims);
    }

    /**
     * {@return the index of the maximum along {@code axis}, for every position of the other axes in
     * row-major order, ranked as {@link Float#compare} ranks them: ties pick the first index, a NaN
     * counts as the maximum and +0 ranks above -0, so the element at the index is what {@link
     * #max(int)} returns, bit for bit}
     *
     * @param axis the axis to search along, in {@code [-rank, rank)}; it is removed from the result
     */
    public int[] argmax(int axis) {
        return Reductions.argmax(self(), axis);
    }

    /**
     * {@return the sum of this tensor down to {@code target}, a shape that broadcasts to this one:
     * the reverse of broadcasting, as a broadcast operand's gradient needs}
     *
     * @param target the result's shape; it must broadcast to this shape
     */
    public Tensor sumTo(Shape target) {
        Tensor out = Tensor.zeros(target);
        sumTo(out, self(), false);
        return out;
    }

    /**
     * {@code out = sum of x down to out's shape} ({@code +=} when {@code accumulate}); out's shape
     * must broadcast to x's shape. For bias gradients: {@code sumTo(biasGrad, gradOut, true)}.
     *
     * @param out the output; its shape must broadcast to {@code x}'s shape. Any view except an
     *     expanded one
     * @param x the tensor to reduce
     * @param accumulate true to add the sums to {@code out}, false to overwrite it
     */
    public static void sumTo(Tensor out, Tensor x, boolean accumulate) {
        Reductions.sumTo(out, x, accumulate);
    }
}
