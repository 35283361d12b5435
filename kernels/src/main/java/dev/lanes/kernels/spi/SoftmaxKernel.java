package dev.lanes.kernels.spi;

/**
 * Row-wise softmax and log-softmax of (rows, cols) row-major matrices with row strides, forward
 * and backward. Arguments arrive validated by {@link dev.lanes.kernels.Softmax}, with rows and
 * cols positive.
 */
public interface SoftmaxKernel {
    /** out = softmax (or, when {@code log}, log-softmax) of each row of in; both (rows, cols). */
    void softmax(boolean log, float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn, int rows, int cols);

    /**
     * gradIn = y (gradOut - sum(gradOut y)) for softmax, gradIn = gradOut - e^y sum(gradOut) for
     * log-softmax, where y is the saved forward output; all (rows, cols).
     */
    void backward(boolean log, float[] gradIn, int offGradIn, int ldGradIn, float[] gradOut, int offGradOut,
                  int ldGradOut, float[] out, int offOut, int ldOut, int rows, int cols);
}
