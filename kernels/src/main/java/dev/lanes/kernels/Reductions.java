package dev.lanes.kernels;

import dev.lanes.kernels.spi.ReductionKernel;

/**
 * Reductions of float arrays: sum, mean, max, min, argmax and dot, each contiguous ({@code length}
 * floats from the offset) or strided (element i at {@code offset + i * stride}, any stride).
 *
 * <p>Deterministic: the result does not depend on the thread count, and is the same from run to
 * run. The vector implementation sums in a fixed blocked order (chunks of 64K elements, blocks
 * of 1024 summed in 4 vector accumulators, block and chunk sums added in double in index order;
 * details on {@code PanamaReductions}), so the sum depends on the vector width only by float
 * rounding: at most about (1024/(4 lanes) + 6) 2^-24 times the sum of |x_i|. Strided forms (stride
 * other than 1) and the scalar fallback add in index order in double. max, min and argmax are exact.
 *
 * <p>Bad arguments throw {@link IllegalArgumentException} naming the argument and sizes.
 */
public final class Reductions {
    private static final ReductionKernel IMPL = KernelProvider.KERNELS.reductions();

    private Reductions() {
    }

    /**
     * The sum of {@code length} contiguous floats (0 when length is 0).
     *
     * @param x the input array
     * @param off the index in {@code x} of the first element
     * @param length the number of elements, {@code >= 0}
     * @return the sum, accumulated in a fixed order
     */
    public static float sum(float[] x, int off, int length) {
        return sum(x, off, 1, length);
    }

    /**
     * The sum of {@code length} strided floats (0 when length is 0).
     *
     * @param x the input array
     * @param off the index in {@code x} of the first element
     * @param stride the distance in {@code x} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     * @return the sum, accumulated in a fixed order
     */
    public static float sum(float[] x, int off, int stride, int length) {
        Check.strided("x", x, off, stride, length);
        return (float) IMPL.sum(x, off, stride, length);
    }

    /**
     * The mean of {@code length} contiguous floats: the sum (unrounded) over length; NaN when length is 0.
     *
     * @param x the input array
     * @param off the index in {@code x} of the first element
     * @param length the number of elements, {@code >= 0}
     * @return the mean
     */
    public static float mean(float[] x, int off, int length) {
        return mean(x, off, 1, length);
    }

    /**
     * The mean of {@code length} strided floats; NaN when length is 0.
     *
     * @param x the input array
     * @param off the index in {@code x} of the first element
     * @param stride the distance in {@code x} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     * @return the mean
     */
    public static float mean(float[] x, int off, int stride, int length) {
        Check.strided("x", x, off, stride, length);
        return (float) (IMPL.sum(x, off, stride, length) / length);
    }

    /**
     * sum_i x_i y_i over {@code length} contiguous floats of each.
     *
     * @param x the first operand's array
     * @param offX the index in {@code x} of its first element
     * @param y the second operand's array
     * @param offY the index in {@code y} of its first element
     * @param length the number of elements, {@code >= 0}
     * @return the dot product
     */
    public static float dot(float[] x, int offX, float[] y, int offY, int length) {
        return dot(x, offX, 1, y, offY, 1, length);
    }

    /**
     * sum_i x_i y_i over strided operands (BLAS sdot with incX, incY; accumulated as documented above).
     *
     * @param x the first operand's array
     * @param offX the index in {@code x} of its first element
     * @param strideX the distance in {@code x} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param y the second operand's array
     * @param offY the index in {@code y} of its first element
     * @param strideY the distance in {@code y} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     * @return the dot product
     */
    public static float dot(float[] x, int offX, int strideX, float[] y, int offY, int strideY, int length) {
        Check.strided("x", x, offX, strideX, length);
        Check.strided("y", y, offY, strideY, length);
        return (float) IMPL.dot(x, offX, strideX, y, offY, strideY, length);
    }

    /**
     * The maximum of {@code length >= 1} contiguous floats with Math.max semantics: NaN wins, +0 above -0.
     *
     * @param x the input array
     * @param off the index in {@code x} of the first element
     * @param length the number of elements, {@code >= 0}
     * @return the maximum
     */
    public static float max(float[] x, int off, int length) {
        return max(x, off, 1, length);
    }

    /**
     * The maximum of {@code length >= 1} strided floats with Math.max semantics.
     *
     * @param x the input array
     * @param off the index in {@code x} of the first element
     * @param stride the distance in {@code x} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     * @return the maximum
     */
    public static float max(float[] x, int off, int stride, int length) {
        Check.positive("length", length);
        Check.strided("x", x, off, stride, length);
        return IMPL.max(x, off, stride, length);
    }

    /**
     * The minimum of {@code length >= 1} contiguous floats with Math.min semantics: NaN wins, -0 below +0.
     *
     * @param x the input array
     * @param off the index in {@code x} of the first element
     * @param length the number of elements, {@code >= 0}
     * @return the minimum
     */
    public static float min(float[] x, int off, int length) {
        return min(x, off, 1, length);
    }

    /**
     * The minimum of {@code length >= 1} strided floats with Math.min semantics.
     *
     * @param x the input array
     * @param off the index in {@code x} of the first element
     * @param stride the distance in {@code x} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     * @return the minimum
     */
    public static float min(float[] x, int off, int stride, int length) {
        Check.positive("length", length);
        Check.strided("x", x, off, stride, length);
        return IMPL.min(x, off, stride, length);
    }

    /**
     * The index i in [0, length) of the maximum of {@code length >= 1} contiguous floats, so the
     * maximum itself is {@code x[off + i]}: ranked as {@link Float#compare} ranks them (NaN above
     * everything, +0 above -0), the first on ties (the first NaN if there is one).
     *
     * @param x the input array
     * @param off the index in {@code x} of the first element
     * @param length the number of elements, {@code >= 0}
     * @return the index i of the first maximum
     */
    public static int argmax(float[] x, int off, int length) {
        return argmax(x, off, 1, length);
    }

    /**
     * The index i of the first maximum of {@code length >= 1} strided floats; the maximum is
     * {@code x[off + i * stride]}.
     *
     * @param x the input array
     * @param off the index in {@code x} of the first element
     * @param stride the distance in {@code x} between consecutive elements (0 repeats one element;
     *     may be negative)
     * @param length the number of elements, {@code >= 0}
     * @return the index i of the first maximum
     */
    public static int argmax(float[] x, int off, int stride, int length) {
        Check.positive("length", length);
        Check.strided("x", x, off, stride, length);
        return IMPL.argmax(x, off, stride, length);
    }

    /** {@return the implementation in use: its simple class name} */
    public static String implementation() {
        return IMPL.getClass().getSimpleName();
    }
}
