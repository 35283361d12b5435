package dev.lanes.kernels.spi;

import dev.lanes.kernels.ConvGeometry;

/**
 * 2-D convolution, NCHW, float32. An implementation makes a {@link Plan} per geometry; the plan
 * owns whatever workspaces it needs, so a layer that keeps one plan per convolution calls it
 * again and again without allocating.
 *
 * <p>Plans receive arguments already validated by {@link dev.lanes.kernels.Conv2d}: arrays are long
 * enough for the batch at their offsets, the batch is positive, inputs and outputs do not overlap.
 */
public interface Conv2dKernel {
    /** A plan for one geometry. */
    Plan plan(ConvGeometry geometry);

    /**
     * The passes of one convolution. Not thread-safe: one caller at a time (each pass may itself
     * run on several threads). Results do not depend on the thread count.
     */
    interface Plan {
        /**
         * out (N, K, P, Q) = conv(in (N, C, H, W), weight (K, C/groups, R, S)) + bias (K), then
         * max(0, .) when relu. bias may be null (no bias).
         */
        void forward(float[] out, int offOut, float[] in, int offIn, float[] weight, int offWeight,
                     float[] bias, int offBias, int batch, boolean relu);

        /**
         * gradIn (N, C, H, W) = the gradient of sum(gradOut * conv(in)) with respect to in, for
         * gradOut (N, K, P, Q) and weight (K, C/groups, R, S). Overwrites gradIn.
         */
        void backwardData(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                          float[] weight, int offWeight, int batch);

        /**
         * gradWeight (K, C/groups, R, S) = sum over the batch of gradOut (x) in, gradBias (K) = the
         * sums of gradOut over N, P and Q (skipped when gradBias is null). With accumulate the sums
         * are added to the old values, else they overwrite them.
         */
        void backwardWeights(float[] gradWeight, int offGradWeight, float[] gradBias, int offGradBias,
                             float[] gradOut, int offGradOut, float[] in, int offIn, int batch,
                             boolean accumulate);

        /** Bytes of workspace this plan holds now (it grows to its steady size on first use). */
        long workspaceBytes();
    }
}
