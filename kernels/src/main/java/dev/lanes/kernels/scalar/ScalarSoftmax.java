package dev.lanes.kernels.scalar;

import dev.lanes.kernels.spi.SoftmaxKernel;
/**
 * The reference softmax: per row, the maximum, then the sum of exponentials in double in index
 * order, each output rounded once from double.
 */
public final class ScalarSoftmax implements SoftmaxKernel {
    @Override
    public void softmax(boolean log, float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn,
                        int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int x = offIn + r * ldIn;
            int y = offOut + r * ldOut;
            // Math.max propagates NaN, so a NaN anywhere makes the whole row NaN.
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, in[x + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += StrictMath.exp((double) in[x + j] - max);
            }
            double logSum = StrictMath.log(sum);
            for (int j = 0; j < cols; j++) {
                double shifted = (double) in[x + j] - max;
                out[y + j] = (float) (log ? shifted - logSum : StrictMath.exp(shifted) / sum);
            }
        }
    }

    @Override
    public void backward(boolean log, float[] gradIn, int offGradIn, int ldGradIn, float[] gradOut, int offGradOut,
                         int ldGradOut, float[] out, int offOut, int ldOut, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int dx = offGradIn + r * ldGradIn;
            int dy = offGradOut + r * ldGradOut;
            int y = offOut + r * ldOut;
            // softmax: sum_k g_k y_k; log-softmax: sum_k g_k.
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += log ? gradOut[dy + j] : (double) gradOut[dy + j] * out[y + j];
            }
            for (int j = 0; j < cols; j++) {
                double g = gradOut[dy + j];
                gradIn[dx + j] = (float) (log ? g - StrictMath.exp(out[y + j]) * sum : out[y + j] * (g - sum));
            }
        }
    }
}
