package dev.lanes.kernels.spi;

/**
 * Reductions over strided float arrays (element i at {@code offset + i * stride}). Arguments arrive
 * validated by {@link dev.lanes.kernels.Reductions}; max, min and argmax get {@code length >= 1}.
 * Results must not depend on the thread count.
 */
public interface ReductionKernel {
    /** The sum of the elements, accumulated as the implementation documents, returned in double. */
    double sum(float[] x, int off, int stride, int length);

    /** sum_i x_i y_i, returned in double. */
    double dot(float[] x, int offX, int strideX, float[] y, int offY, int strideY, int length);

    /** The maximum with Math.max semantics: NaN if any element is NaN, +0 above -0. */
    float max(float[] x, int off, int stride, int length);

    /** The minimum with Math.min semantics: NaN if any element is NaN, -0 below +0. */
    float min(float[] x, int off, int stride, int length);

    /**
     * The index i of the first maximum in the order of {@link Float#compare} (NaN above +Inf,
     * +0 above -0): the first NaN if there is one.
     */
    int argmax(float[] x, int off, int stride, int length);
}
