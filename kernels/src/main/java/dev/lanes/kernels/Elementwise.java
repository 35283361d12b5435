package dev.lanes.kernels;

import dev.lanes.kernels.spi.ElementwiseKernel.Binary;
import dev.lanes.kernels.spi.ElementwiseKernel.Unary;
import dev.lanes.kernels.spi.ElementwiseKernel;

/**
 * Elementwise float arithmetic: copy, add, sub, mul, div, max, min, abs, sqrt, scale, axpy, clip
 * and bias addition.
 *
 * <p>Each operation has a contiguous form ({@code length} floats from each offset), vectorized,
 * and a strided form (element i of an operand at {@code offset + i * stride}; input strides may
 * be 0 to broadcast one element or negative, output strides must be non-zero), which runs a
 * scalar loop unless every stride is 1. Every result is one IEEE operation per element (axpy one
 * fused multiply-add; max, min and abs with the semantics of {@link Math}, sqrt correctly rounded),
 * identical between the vector and the scalar implementation and for any
 * thread count.
 *
 * <p>Contiguous outputs may be the same region as an input (in place) but must not overlap one
 * partially (checked). Strided forms compute elements in index order; aliasing beyond an
 * identical region is the caller's business. Bad arguments throw
 * {@link IllegalArgumentException} naming the argument and sizes, before anything is written.
 */
public final class Elementwise {
    private static final ElementwiseKernel IMPL = KernelProvider.KERNELS.elementwise();

    private Elementwise() {
    }

    /**
     * out = in over {@code length} contiguous floats (a vector loop: the benchmarks' copy-bandwidth anchor).
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void copy(float[] out, int offOut, float[] in, int offIn, int length) {
        copy(out, offOut, 1, in, offIn, 1, length);
    }

    /**
     * out = in over strided operands (a gather or scatter when the strides differ from 1).
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param strideIn the distance in {@code in} between consecutive elements (0 repeats one
     *     element; may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void copy(float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn, int length) {
        checkUnary("out", out, offOut, strideOut, "in", in, offIn, strideIn, length);
        IMPL.copy(out, offOut, strideOut, in, offIn, strideIn, length);
    }

    /**
     * out = a + b, elementwise over {@code length} contiguous floats.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void add(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        binary(Binary.ADD, out, offOut, 1, a, offA, 1, b, offB, 1, length);
    }

    /**
     * out = a + b over strided operands.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param strideA the distance in {@code a} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param strideB the distance in {@code b} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void add(float[] out, int offOut, int strideOut, float[] a, int offA, int strideA,
                           float[] b, int offB, int strideB, int length) {
        binary(Binary.ADD, out, offOut, strideOut, a, offA, strideA, b, offB, strideB, length);
    }

    /**
     * out = a - b, elementwise over {@code length} contiguous floats.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void sub(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        binary(Binary.SUB, out, offOut, 1, a, offA, 1, b, offB, 1, length);
    }

    /**
     * out = a - b over strided operands.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param strideA the distance in {@code a} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param strideB the distance in {@code b} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void sub(float[] out, int offOut, int strideOut, float[] a, int offA, int strideA,
                           float[] b, int offB, int strideB, int length) {
        binary(Binary.SUB, out, offOut, strideOut, a, offA, strideA, b, offB, strideB, length);
    }

    /**
     * out = a * b, elementwise over {@code length} contiguous floats.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void mul(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        binary(Binary.MUL, out, offOut, 1, a, offA, 1, b, offB, 1, length);
    }

    /**
     * out = a * b over strided operands.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param strideA the distance in {@code a} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param strideB the distance in {@code b} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void mul(float[] out, int offOut, int strideOut, float[] a, int offA, int strideA,
                           float[] b, int offB, int strideB, int length) {
        binary(Binary.MUL, out, offOut, strideOut, a, offA, strideA, b, offB, strideB, length);
    }

    /**
     * out = a / b, elementwise over {@code length} contiguous floats (IEEE: x/0 is ±Inf or NaN).
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void div(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        binary(Binary.DIV, out, offOut, 1, a, offA, 1, b, offB, 1, length);
    }

    /**
     * out = a / b over strided operands.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param strideA the distance in {@code a} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param strideB the distance in {@code b} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void div(float[] out, int offOut, int strideOut, float[] a, int offA, int strideA,
                           float[] b, int offB, int strideB, int length) {
        binary(Binary.DIV, out, offOut, strideOut, a, offA, strideA, b, offB, strideB, length);
    }

    /**
     * out = Math.max(a, b), elementwise over {@code length} contiguous floats: NaN propagates and
     * max(-0, +0) is +0.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void max(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        binary(Binary.MAX, out, offOut, 1, a, offA, 1, b, offB, 1, length);
    }

    /**
     * out = Math.max(a, b) over strided operands.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param strideA the distance in {@code a} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param strideB the distance in {@code b} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void max(float[] out, int offOut, int strideOut, float[] a, int offA, int strideA,
                           float[] b, int offB, int strideB, int length) {
        binary(Binary.MAX, out, offOut, strideOut, a, offA, strideA, b, offB, strideB, length);
    }

    /**
     * out = Math.min(a, b), elementwise over {@code length} contiguous floats: NaN propagates and
     * min(-0, +0) is -0.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void min(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        binary(Binary.MIN, out, offOut, 1, a, offA, 1, b, offB, 1, length);
    }

    /**
     * out = Math.min(a, b) over strided operands.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param a the left operand's array
     * @param offA the index in {@code a} of its first element
     * @param strideA the distance in {@code a} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param b the right operand's array
     * @param offB the index in {@code b} of its first element
     * @param strideB the distance in {@code b} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void min(float[] out, int offOut, int strideOut, float[] a, int offA, int strideA,
                           float[] b, int offB, int strideB, int length) {
        binary(Binary.MIN, out, offOut, strideOut, a, offA, strideA, b, offB, strideB, length);
    }

    /**
     * out = Math.abs(in) (the sign bit cleared: abs(-0) is +0) over {@code length} contiguous floats.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void abs(float[] out, int offOut, float[] in, int offIn, int length) {
        abs(out, offOut, 1, in, offIn, 1, length);
    }

    /**
     * out = Math.abs(in) over strided operands.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param strideIn the distance in {@code in} between consecutive elements (0 repeats one
     *     element; may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void abs(float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn, int length) {
        checkUnary("out", out, offOut, strideOut, "in", in, offIn, strideIn, length);
        IMPL.unary(Unary.ABS, out, offOut, strideOut, in, offIn, strideIn, length);
    }

    /**
     * out = sqrt(in), the IEEE square root correctly rounded (equal to {@code (float) Math.sqrt(in)}:
     * sqrt(-0) is -0, a negative number or NaN gives NaN), over {@code length} contiguous floats.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void sqrt(float[] out, int offOut, float[] in, int offIn, int length) {
        sqrt(out, offOut, 1, in, offIn, 1, length);
    }

    /**
     * out = sqrt(in) over strided operands.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param strideIn the distance in {@code in} between consecutive elements (0 repeats one
     *     element; may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void sqrt(float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn, int length) {
        checkUnary("out", out, offOut, strideOut, "in", in, offIn, strideIn, length);
        IMPL.unary(Unary.SQRT, out, offOut, strideOut, in, offIn, strideIn, length);
    }

    /**
     * out = alpha * in over {@code length} contiguous floats.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param alpha the factor
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void scale(float[] out, int offOut, float alpha, float[] in, int offIn, int length) {
        scale(out, offOut, 1, alpha, in, offIn, 1, length);
    }

    /**
     * out = alpha * in over strided operands.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param alpha the factor
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param strideIn the distance in {@code in} between consecutive elements (0 repeats one
     *     element; may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void scale(float[] out, int offOut, int strideOut, float alpha, float[] in, int offIn, int strideIn,
                             int length) {
        checkUnary("out", out, offOut, strideOut, "in", in, offIn, strideIn, length);
        IMPL.scale(out, offOut, strideOut, alpha, in, offIn, strideIn, length);
    }

    /**
     * y = alpha * x + y (one rounding per element, as BLAS saxpy with FMA) over contiguous floats.
     *
     * @param y the array of y, updated in place
     * @param offY the index in {@code y} of its first element
     * @param alpha the factor of x
     * @param x the array of x
     * @param offX the index in {@code x} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void axpy(float[] y, int offY, float alpha, float[] x, int offX, int length) {
        axpy(y, offY, 1, alpha, x, offX, 1, length);
    }

    /**
     * y = alpha * x + y over strided operands (BLAS incY, incX).
     *
     * @param y the array of y, updated in place
     * @param offY the index in {@code y} of its first element
     * @param strideY the distance in {@code y} between consecutive elements, non-zero
     * @param alpha the factor of x
     * @param x the array of x
     * @param offX the index in {@code x} of its first element
     * @param strideX the distance in {@code x} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     */
    public static void axpy(float[] y, int offY, int strideY, float alpha, float[] x, int offX, int strideX,
                            int length) {
        checkUnary("y", y, offY, strideY, "x", x, offX, strideX, length);
        IMPL.axpy(y, offY, strideY, alpha, x, offX, strideX, length);
    }

    /**
     * out = Math.min(Math.max(in, min), max) over contiguous floats: NaN stays NaN, and clipping
     * -0 at a minimum of +0 gives +0.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param min the lower bound
     * @param max the upper bound, {@code >= min}
     * @param length the number of elements, {@code >= 0}
     * @throws IllegalArgumentException if min or max is NaN or {@code min > max}
     */
    public static void clip(float[] out, int offOut, float[] in, int offIn, float min, float max, int length) {
        clip(out, offOut, 1, in, offIn, 1, min, max, length);
    }

    /**
     * Clip over strided operands; see {@link #clip(float[], int, float[], int, float, float, int)}.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param strideOut the distance in {@code out} between consecutive elements, non-zero
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param strideIn the distance in {@code in} between consecutive elements (0 repeats one
     *     element; may be negative)
     * @param min the lower bound
     * @param max the upper bound, {@code >= min}
     * @param length the number of elements, {@code >= 0}
     */
    public static void clip(float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn,
                            float min, float max, int length) {
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw new IllegalArgumentException("clip bounds must satisfy min <= max, got min " + min + ", max " + max);
        }
        checkUnary("out", out, offOut, strideOut, "in", in, offIn, strideIn, length);
        IMPL.clip(out, offOut, strideOut, in, offIn, strideIn, min, max, length);
    }

    /**
     * Adds a per-channel bias in place: data is (batch, channels, spatial) row-major (NCHW with
     * spatial = H * W), data[n, c, s] += bias[c].
     *
     * @param data the (batch, channels, spatial) tensor, row-major, updated in place
     * @param offData the index in {@code data} of its first element
     * @param bias the bias, one per channel
     * @param offBias the index in {@code bias} of its first element
     * @param batch N, the number of images, {@code >= 0}
     * @param channels C, the number of channels
     * @param spatial the elements of one channel per item (H*W; 1 for a (batch, features) matrix)
     */
    public static void addBiasChannels(float[] data, int offData, float[] bias, int offBias,
                                       int batch, int channels, int spatial) {
        int size = Check.planes(batch, channels, spatial);
        Check.range("data", data, offData, size);
        Check.range("bias", bias, offBias, channels);
        Check.disjoint("bias", bias, offBias, channels, "data", data, offData, size);
        if (size > 0) {
            IMPL.addBiasChannels(data, offData, bias, offBias, batch, channels, spatial);
        }
    }

    /**
     * Adds a bias to every row in place: data is (rows, cols) with row stride ld, data[r, j] += bias[j].
     *
     * @param data the (rows, cols) matrix, updated in place
     * @param offData the index in {@code data} of its first element
     * @param ld the row stride of {@code data}, at least {@code cols}
     * @param bias the bias, one per column
     * @param offBias the index in {@code bias} of its first element
     * @param rows the number of rows, {@code >= 0}
     * @param cols the number of columns, {@code >= 0}
     */
    public static void addBiasRows(float[] data, int offData, int ld, float[] bias, int offBias, int rows, int cols) {
        Check.nonNegative("rows", rows);
        Check.nonNegative("cols", cols);
        Check.leadingDimension("ld", ld, cols);
        Check.matrix("data", data, offData, ld, rows, cols);
        Check.range("bias", bias, offBias, cols);
        if (rows > 0 && cols > 0) {
            Check.disjoint("bias", bias, offBias, cols, "data", data, offData, (rows - 1) * ld + cols);
            IMPL.addBiasRows(data, offData, ld, bias, offBias, rows, cols);
        }
    }

    /** {@return the implementation in use: its simple class name} */
    public static String implementation() {
        return IMPL.getClass().getSimpleName();
    }

    private static void binary(Binary op, float[] out, int offOut, int strideOut, float[] a, int offA, int strideA,
                               float[] b, int offB, int strideB, int length) {
        checkUnary("out", out, offOut, strideOut, "a", a, offA, strideA, length);
        Check.strided("b", b, offB, strideB, length);
        if (strideOut == 1 && strideB == 1) {
            Check.sameOrDisjoint("out", out, offOut, "b", b, offB, length);
        }
        IMPL.binary(op, out, offOut, strideOut, a, offA, strideA, b, offB, strideB, length);
    }

    private static void checkUnary(String outName, float[] out, int offOut, int strideOut,
                                   String inName, float[] in, int offIn, int strideIn, int length) {
        Check.nonNegative("length", length);
        Check.outputStride(outName, strideOut);
        Check.strided(outName, out, offOut, strideOut, length);
        Check.strided(inName, in, offIn, strideIn, length);
        if (strideOut == 1 && strideIn == 1) {
            Check.sameOrDisjoint(outName, out, offOut, inName, in, offIn, length);
        }
    }
}
