package dev.lanes.kernels.scalar;

import dev.lanes.kernels.spi.ReductionKernel;
/**
 * The reference reductions: one pass in index order; sums and dot products accumulate in double
 * (exact products, one rounding per addition at 2^-53), so they are also the accuracy reference.
 */
public final class ScalarReductions implements ReductionKernel {
    @Override
    public double sum(float[] x, int off, int stride, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += x[off + i * stride];
        }
        return sum;
    }

    @Override
    public double dot(float[] x, int offX, int strideX, float[] y, int offY, int strideY, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (double) x[offX + i * strideX] * y[offY + i * strideY];
        }
        return sum;
    }

    @Override
    public float max(float[] x, int off, int stride, int length) {
        float max = x[off];
        for (int i = 1; i < length; i++) {
            max = Math.max(max, x[off + i * stride]);
        }
        return max;
    }

    @Override
    public float min(float[] x, int off, int stride, int length) {
        float min = x[off];
        for (int i = 1; i < length; i++) {
            min = Math.min(min, x[off + i * stride]);
        }
        return min;
    }

    @Override
    public int argmax(float[] x, int off, int stride, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            // Strictly greater keeps the first of equal maxima; Float.compare ranks NaN highest.
            if (Float.compare(x[off + i * stride], x[off + best * stride]) > 0) {
                best = i;
            }
        }
        return best;
    }
}
