package dev.lanes.kernels;

import dev.lanes.kernels.spi.SoftmaxKernel;

/**
 * Softmax and log-softmax over the last axis of a (rows, cols) row-major matrix, forward and
 * backward. Each row is shifted by its maximum before exponentiation, so no finite input
 * overflows: softmax(x)_j = e^(x_j - m) / sum_k e^(x_k - m), logSoftmax(x)_j = x_j - m - ln sum_k
 * e^(x_k - m), with m the row maximum.
 *
 * <p>Special rows (as in PyTorch): a row holding NaN or +Inf gives NaN throughout, and so does a
 * row of only -Inf; a -Inf entry beside finite ones gives 0 (softmax) or -Inf (log-softmax).
 *
 * <p>Each matrix has its own offset and row stride (ld >= max(1, cols)). Outputs may be the same
 * region as an input with the same offset and stride, and must not overlap it otherwise (this is
 * not checked). The Panama implementation sums each row in vector lanes (then over the lanes in
 * a fixed order), so results are bitwise reproducible for a given vector width and thread count
 * independent; against the double-precision scalar reference they differ by rounding only
 * (tested: softmax within (4 + cols/32) ulp). Large matrices are split by rows over the kernel
 * pool. Bad arguments throw {@link IllegalArgumentException} naming the argument, before
 * anything is written.
 */
public final class Softmax {
    private static final SoftmaxKernel IMPL = KernelProvider.KERNELS.softmax();

    private Softmax() {
    }

    /**
     * out (rows, cols), row stride ldOut, = softmax of each row of in (rows, cols), row stride ldIn.
     *
     * @param out the output (rows, cols)
     * @param offOut the index in {@code out} of its first element
     * @param ldOut the row stride of {@code out}, at least {@code cols}
     * @param in the input (rows, cols)
     * @param offIn the index in {@code in} of its first element
     * @param ldIn the row stride of {@code in}, at least {@code cols}
     * @param rows the number of rows, {@code >= 0}
     * @param cols the number of columns, {@code >= 0}
     */
    public static void softmax(float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn,
                               int rows, int cols) {
        validate("out", "ldOut", out, offOut, ldOut, "in", "ldIn", in, offIn, ldIn, rows, cols);
        if (rows > 0 && cols > 0) {
            IMPL.softmax(false, out, offOut, ldOut, in, offIn, ldIn, rows, cols);
        }
    }

    /**
     * out (rows, cols) = log-softmax of each row of in (rows, cols).
     *
     * @param out the output (rows, cols)
     * @param offOut the index in {@code out} of its first element
     * @param ldOut the row stride of {@code out}, at least {@code cols}
     * @param in the input (rows, cols)
     * @param offIn the index in {@code in} of its first element
     * @param ldIn the row stride of {@code in}, at least {@code cols}
     * @param rows the number of rows, {@code >= 0}
     * @param cols the number of columns, {@code >= 0}
     */
    public static void logSoftmax(float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn,
                                  int rows, int cols) {
        validate("out", "ldOut", out, offOut, ldOut, "in", "ldIn", in, offIn, ldIn, rows, cols);
        if (rows > 0 && cols > 0) {
            IMPL.softmax(true, out, offOut, ldOut, in, offIn, ldIn, rows, cols);
        }
    }

    /**
     * Softmax backward from the saved output y: gradIn = y * (gradOut - sum_k gradOut_k y_k),
     * row by row. All three matrices are (rows, cols) with their own row strides.
     *
     * @param gradIn dL/d(input) (rows, cols), written
     * @param offGradIn the index in {@code gradIn} of its first element
     * @param ldGradIn the row stride of {@code gradIn}, at least {@code cols}
     * @param gradOut dL/d(output) (rows, cols)
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param ldGradOut the row stride of {@code gradOut}, at least {@code cols}
     * @param out the forward output y (rows, cols)
     * @param offOut the index in {@code out} of its first element
     * @param ldOut the row stride of {@code out}, at least {@code cols}
     * @param rows the number of rows, {@code >= 0}
     * @param cols the number of columns, {@code >= 0}
     */
    public static void softmaxBackward(float[] gradIn, int offGradIn, int ldGradIn,
                                       float[] gradOut, int offGradOut, int ldGradOut,
                                       float[] out, int offOut, int ldOut, int rows, int cols) {
        validateBackward(gradIn, offGradIn, ldGradIn, gradOut, offGradOut, ldGradOut, out, offOut, ldOut, rows, cols);
        if (rows > 0 && cols > 0) {
            IMPL.backward(false, gradIn, offGradIn, ldGradIn, gradOut, offGradOut, ldGradOut, out, offOut, ldOut,
                    rows, cols);
        }
    }

    /**
     * Log-softmax backward from the saved output y: gradIn = gradOut - e^y * sum_k gradOut_k,
     * row by row.
     *
     * @param gradIn dL/d(input) (rows, cols), written
     * @param offGradIn the index in {@code gradIn} of its first element
     * @param ldGradIn the row stride of {@code gradIn}, at least {@code cols}
     * @param gradOut dL/d(output) (rows, cols)
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param ldGradOut the row stride of {@code gradOut}, at least {@code cols}
     * @param out the forward output y (rows, cols)
     * @param offOut the index in {@code out} of its first element
     * @param ldOut the row stride of {@code out}, at least {@code cols}
     * @param rows the number of rows, {@code >= 0}
     * @param cols the number of columns, {@code >= 0}
     */
    public static void logSoftmaxBackward(float[] gradIn, int offGradIn, int ldGradIn,
                                          float[] gradOut, int offGradOut, int ldGradOut,
                                          float[] out, int offOut, int ldOut, int rows, int cols) {
        validateBackward(gradIn, offGradIn, ldGradIn, gradOut, offGradOut, ldGradOut, out, offOut, ldOut, rows, cols);
        if (rows > 0 && cols > 0) {
            IMPL.backward(true, gradIn, offGradIn, ldGradIn, gradOut, offGradOut, ldGradOut, out, offOut, ldOut,
                    rows, cols);
        }
    }

    /** {@return the implementation in use: its simple class name} */
    public static String implementation() {
        return IMPL.getClass().getSimpleName();
    }

    /** The names of the leading dimensions are literals: building them here would allocate on every call. */
    private static void validate(String outName, String ldOutName, float[] out, int offOut, int ldOut,
                                 String inName, String ldInName, float[] in, int offIn, int ldIn, int rows, int cols) {
        Check.nonNegative("rows", rows);
        Check.nonNegative("cols", cols);
        Check.leadingDimension(ldOutName, ldOut, cols);
        Check.leadingDimension(ldInName, ldIn, cols);
        Check.matrix(outName, out, offOut, ldOut, rows, cols);
        Check.matrix(inName, in, offIn, ldIn, rows, cols);
    }

    private static void validateBackward(float[] gradIn, int offGradIn, int ldGradIn,
                                         float[] gradOut, int offGradOut, int ldGradOut,
                                         float[] out, int offOut, int ldOut, int rows, int cols) {
        validate("gradIn", "ldGradIn", gradIn, offGradIn, ldGradIn, "gradOut", "ldGradOut", gradOut, offGradOut,
                ldGradOut, rows, cols);
        Check.leadingDimension("ldOut", ldOut, cols);
        Check.matrix("out", out, offOut, ldOut, rows, cols);
    }
}
