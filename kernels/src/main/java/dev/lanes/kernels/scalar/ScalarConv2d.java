package dev.lanes.kernels.scalar;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.spi.Conv2dKernel;

/**
 * The reference convolution: the defining loops, one float accumulator per output, summed in
 * loop order. Threads split independent outputs only (one task per output plane or weight
 * slice), so the result does not depend on the thread count. No workspace.
 */
public final class ScalarConv2d implements Conv2dKernel {
    @Override
    public Plan plan(ConvGeometry geometry) {
        return new ScalarPlan(geometry);
    }

    private static final class ScalarPlan implements Plan {
        private final ConvGeometry g;

        ScalarPlan(ConvGeometry geometry) {
            g = geometry;
        }

        // out[n][k][p][q] = bias[k] + sum_{c in group(k), r, s} weight[k][c][r][s]
        //                   * in[n][group(k)*C/G + c][p*sh - pt + r*dh][q*sw - pl + s*dw]  (zero outside)
        @Override
        public void forward(float[] out, int offOut, float[] in, int offIn, float[] weight, int offWeight,
                            float[] bias, int offBias, int batch, boolean relu) {
            int kCount = g.outChannels();
            Parallel.forEach(batch * kCount, task -> {
                int n = task / kCount;
                int k = task % kCount;
                int cPerGroup = g.inChannelsPerGroup();
                int cFirst = k / g.outChannelsPerGroup() * cPerGroup;
                int plane = offOut + (n * kCount + k) * g.outHeight() * g.outWidth();
                for (int p = 0; p < g.outHeight(); p++) {
                    for (int q = 0; q < g.outWidth(); q++) {
                        float sum = 0f;
                        for (int c = 0; c < cPerGroup; c++) {
                            int image = offIn + (n * g.inChannels() + cFirst + c) * g.inHeight() * g.inWidth();
                            int kernel = offWeight + ((k * cPerGroup + c) * g.kernelHeight()) * g.kernelWidth();
                            for (int r = 0; r < g.kernelHeight(); r++) {
                                int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                                for (int s = 0; s < g.kernelWidth(); s++) {
                                    int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                                    sum += weight[kernel + r * g.kernelWidth() + s] * input(in, image, h, w);
                                }
                            }
                        }
                        float value = bias == null ? sum : sum + bias[offBias + k];
                        out[plane + p * g.outWidth() + q] = relu ? Math.max(0f, value) : value;
                    }
                }
            });
        }

        // gradIn[n][c][h][w] = sum over k in the group of c, r, s with h = p*sh - pt + r*dh and
        //                      w = q*sw - pl + s*dw for some output (p, q): weight[k][c'][r][s] * gradOut[n][k][p][q]
        @Override
        public void backwardData(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                                 float[] weight, int offWeight, int batch) {
            int cCount = g.inChannels();
            Parallel.forEach(batch * cCount, task -> {
                int n = task / cCount;
                int c = task % cCount;
                int cPerGroup = g.inChannelsPerGroup();
                int kPerGroup = g.outChannelsPerGroup();
                int group = c / cPerGroup;
                int plane = offGradIn + (n * cCount + c) * g.inHeight() * g.inWidth();
                for (int h = 0; h < g.inHeight(); h++) {
                    for (int w = 0; w < g.inWidth(); w++) {
                        float sum = 0f;
                        for (int k = group * kPerGroup; k < (group + 1) * kPerGroup; k++) {
                            int grad = offGradOut + (n * g.outChannels() + k) * g.outHeight() * g.outWidth();
                            int kernel = offWeight + ((k * cPerGroup + c % cPerGroup) * g.kernelHeight()) * g.kernelWidth();
                            for (int r = 0; r < g.kernelHeight(); r++) {
                                int p = outputIndex(h + g.padTop() - r * g.dilationHeight(), g.strideHeight(), g.outHeight());
                                if (p < 0) {
                                    continue;
                                }
                                for (int s = 0; s < g.kernelWidth(); s++) {
                                    int q = outputIndex(w + g.padLeft() - s * g.dilationWidth(), g.strideWidth(), g.outWidth());
                                    if (q >= 0) {
                                        sum += weight[kernel + r * g.kernelWidth() + s] * gradOut[grad + p * g.outWidth() + q];
                                    }
                                }
                            }
                        }
                        gradIn[plane + h * g.inWidth() + w] = sum;
                    }
                }
            });
        }

        /**
         * in[plane][h][w], or 0 in the padding. Padded taps are multiplied like any other (as
         * im2col does), so a non-finite weight or gradient meeting the padding gives NaN.
         */
        private float input(float[] in, int plane, int h, int w) {
            boolean inside = h >= 0 && h < g.inHeight() && w >= 0 && w < g.inWidth();
            return inside ? in[plane + h * g.inWidth() + w] : 0f;
        }

        /** The output index whose window starts at {@code offset} (offset = index * stride), or -1. */
        private static int outputIndex(int offset, int stride, int size) {
            if (offset < 0 || offset % stride != 0 || offset / stride >= size) {
                return -1;
            }
            return offset / stride;
        }

        // gradWeight[k][c][r][s] (+)= sum_{n,p,q} gradOut[n][k][p][q] * in[n][group(k)*C/G + c][p*sh - pt + r*dh][q*sw - pl + s*dw]
        // gradBias[k] (+)= sum_{n,p,q} gradOut[n][k][p][q]
        @Override
        public void backwardWeights(float[] gradWeight, int offGradWeight, float[] gradBias, int offGradBias,
                                    float[] gradOut, int offGradOut, float[] in, int offIn, int batch,
                                    boolean accumulate) {
            Parallel.forEach(g.outChannels(), k -> {
                int cPerGroup = g.inChannelsPerGroup();
                int cFirst = k / g.outChannelsPerGroup() * cPerGroup;
                int outPlane = g.outHeight() * g.outWidth();
                for (int c = 0; c < cPerGroup; c++) {
                    for (int r = 0; r < g.kernelHeight(); r++) {
                        for (int s = 0; s < g.kernelWidth(); s++) {
                            float sum = 0f;
                            for (int n = 0; n < batch; n++) {
                                int grad = offGradOut + (n * g.outChannels() + k) * outPlane;
                                int image = offIn + (n * g.inChannels() + cFirst + c) * g.inHeight() * g.inWidth();
                                for (int p = 0; p < g.outHeight(); p++) {
                                    int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                                    for (int q = 0; q < g.outWidth(); q++) {
                                        int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                                        sum += gradOut[grad + p * g.outWidth() + q] * input(in, image, h, w);
                                    }
                                }
                            }
                            int index = offGradWeight + ((k * cPerGroup + c) * g.kernelHeight() + r) * g.kernelWidth() + s;
                            gradWeight[index] = accumulate ? gradWeight[index] + sum : sum;
                        }
                    }
                }
                if (gradBias != null) {
                    float sum = 0f;
                    for (int n = 0; n < batch; n++) {
                        int grad = offGradOut + (n * g.outChannels() + k) * outPlane;
                        for (int i = 0; i < outPlane; i++) {
                            sum += gradOut[grad + i];
                        }
                    }
                    gradBias[offGradBias + k] = accumulate ? gradBias[offGradBias + k] + sum : sum;
                }
            });
        }

        @Override
        public long workspaceBytes() {
            return 0;
        }
    }
}
