package dev.lanes.kernels.scalar;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.PoolGeometry;
import dev.lanes.kernels.spi.Pool2dKernel;
import java.util.Arrays;

/**
 * The reference pooling: the defining loops, one plane (n, c) per task. Max uses
 * {@link Float#compare}, whose order puts NaN above everything and +0 above -0, and replaces the
 * best only when strictly greater, so the first NaN or the first of equal maxima wins.
 */
public final class ScalarPool2d implements Pool2dKernel {
    @Override
    public void maxForward(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn,
                           PoolGeometry g, int batch) {
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.inHeight() * g.inWidth();
        Parallel.forEach(batch * g.channels(), plane -> {
            int src = offIn + plane * inPlane;
            for (int p = 0; p < g.outHeight(); p++) {
                for (int q = 0; q < g.outWidth(); q++) {
                    int o = plane * outPlane + p * g.outWidth() + q;
                    int best = maxIndex(in, src, g, p, q);
                    out[offOut + o] = in[src + best];
                    argmax[offArgmax + o] = best;
                }
            }
        });
    }

    /** The index in its plane of the max of window (p, q) of the plane at {@code src}. */
    public static int maxIndex(float[] in, int src, PoolGeometry g, int p, int q) {
        int best = -1;
        float bestValue = 0f;
        for (int r = 0; r < g.kernelHeight(); r++) {
            int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
            if (h < 0 || h >= g.inHeight()) {
                continue;
            }
            for (int s = 0; s < g.kernelWidth(); s++) {
                int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                if (w < 0 || w >= g.inWidth()) {
                    continue;
                }
                float v = in[src + h * g.inWidth() + w];
                if (best < 0 || Float.compare(v, bestValue) > 0) {
                    best = h * g.inWidth() + w;
                    bestValue = v;
                }
            }
        }
        return best;
    }

    @Override
    public void maxBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int[] argmax,
                            int offArgmax, PoolGeometry g, int batch) {
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.inHeight() * g.inWidth();
        Parallel.forEach(batch * g.channels(), plane -> {
            int dst = offGradIn + plane * inPlane;
            Arrays.fill(gradIn, dst, dst + inPlane, 0f);
            for (int i = plane * outPlane; i < (plane + 1) * outPlane; i++) {
                gradIn[dst + argmax[offArgmax + i]] += gradOut[offGradOut + i];
            }
        });
    }

    @Override
    public void avgForward(float[] out, int offOut, float[] in, int offIn, PoolGeometry g, int batch,
                           boolean countIncludePad) {
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.inHeight() * g.inWidth();
        Parallel.forEach(batch * g.channels(), plane -> {
            int src = offIn + plane * inPlane;
            for (int p = 0; p < g.outHeight(); p++) {
                for (int q = 0; q < g.outWidth(); q++) {
                    float sum = 0f;
                    for (int r = 0; r < g.kernelHeight(); r++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        for (int s = 0; s < g.kernelWidth() && h >= 0 && h < g.inHeight(); s++) {
                            int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                            if (w >= 0 && w < g.inWidth()) {
                                sum += in[src + h * g.inWidth() + w];
                            }
                        }
                    }
                    out[offOut + plane * outPlane + p * g.outWidth() + q] = sum / count(g, p, q, countIncludePad);
                }
            }
        });
    }

    @Override
    public void avgBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, PoolGeometry g,
                            int batch, boolean countIncludePad) {
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.inHeight() * g.inWidth();
        Parallel.forEach(batch * g.channels(), plane -> {
            int dst = offGradIn + plane * inPlane;
            Arrays.fill(gradIn, dst, dst + inPlane, 0f);
            for (int p = 0; p < g.outHeight(); p++) {
                for (int q = 0; q < g.outWidth(); q++) {
                    float share = gradOut[offGradOut + plane * outPlane + p * g.outWidth() + q]
                            / count(g, p, q, countIncludePad);
                    for (int r = 0; r < g.kernelHeight(); r++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        for (int s = 0; s < g.kernelWidth() && h >= 0 && h < g.inHeight(); s++) {
                            int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                            if (w >= 0 && w < g.inWidth()) {
                                gradIn[dst + h * g.inWidth() + w] += share;
                            }
                        }
                    }
                }
            }
        });
    }

    /** The divisor of window (p, q): its positions inside the padded input, or inside the input. */
    public static float count(PoolGeometry g, int p, int q, boolean includePad) {
        int rows = 0;
        for (int r = 0; r < g.kernelHeight(); r++) {
            int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
            rows += includePad ? (h < g.inHeight() + g.padBottom() ? 1 : 0) : (h >= 0 && h < g.inHeight() ? 1 : 0);
        }
        int columns = 0;
        for (int s = 0; s < g.kernelWidth(); s++) {
            int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
            columns += includePad ? (w < g.inWidth() + g.padRight() ? 1 : 0) : (w >= 0 && w < g.inWidth() ? 1 : 0);
        }
        return rows * columns;
    }

    @Override
    public void globalMaxForward(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn,
                                 int planes, int plane) {
        Parallel.forEach(planes, i -> {
            int src = offIn + i * plane;
            int best = 0;
            for (int j = 1; j < plane; j++) {
                if (Float.compare(in[src + j], in[src + best]) > 0) {
                    best = j;
                }
            }
            out[offOut + i] = in[src + best];
            argmax[offArgmax + i] = best;
        });
    }

    @Override
    public void globalMaxBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int[] argmax,
                                  int offArgmax, int planes, int plane) {
        Parallel.forEach(planes, i -> {
            int dst = offGradIn + i * plane;
            Arrays.fill(gradIn, dst, dst + plane, 0f);
            gradIn[dst + argmax[offArgmax + i]] = gradOut[offGradOut + i];
        });
    }

    @Override
    public void globalAvgForward(float[] out, int offOut, float[] in, int offIn, int planes, int plane) {
        Parallel.forEach(planes, i -> {
            float sum = 0f;
            for (int j = 0; j < plane; j++) {
                sum += in[offIn + i * plane + j];
            }
            out[offOut + i] = sum / plane;
        });
    }

    @Override
    public void globalAvgBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int planes,
                                  int plane) {
        Parallel.forEach(planes, i -> {
            float share = gradOut[offGradOut + i] / plane;
            Arrays.fill(gradIn, offGradIn + i * plane, offGradIn + (i + 1) * plane, share);
        });
    }
}
