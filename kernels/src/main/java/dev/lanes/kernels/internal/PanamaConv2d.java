package dev.lanes.kernels.internal;

import dev.lanes.kernels.ConvGeometry;

/**
 * The fast convolution: im2col + GEMM ({@link PanamaGemmConvPlan}) or the direct loops of
 * {@link PanamaDirectConvPlan}, chosen per pass. The direct loops win where the GEMM degenerates
 * in its M dimension, few output channels per group: every pass of a depthwise convolution, and
 * the forward pass of a first layer with fewer output channels than the GEMM's 8-row panels
 * (LeNet's 1 -> 6). Elsewhere, including first layers with many output channels (K = 9 reductions
 * with 32 outputs), the GEMM is faster, for the backward passes too.
 */
public final class PanamaConv2d implements Conv2dKernel {
    /** Output channels per group below which the forward pass goes direct. */
    static final int DIRECT_FORWARD_BELOW = 8;
    /** ...and the backward passes (the GEMM's reduction or N dimension is then this small). */
    static final int DIRECT_BACKWARD_BELOW = 4;

    @Override
    public Plan plan(ConvGeometry geometry) {
        boolean directForward = usesDirectForward(geometry);
        boolean directBackward = geometry.outChannelsPerGroup() < DIRECT_BACKWARD_BELOW;
        if (directForward == directBackward) {
            return directForward ? directPlan(geometry) : gemmPlan(geometry);
        }
        Plan direct = directPlan(geometry);
        Plan gemm = gemmPlan(geometry);
        return directForward ? new Routed(direct, gemm) : new Routed(gemm, direct);
    }

    /** Whether {@link #plan} runs the forward pass of this geometry with the direct loops. */
    public static boolean usesDirectForward(ConvGeometry geometry) {
        return geometry.outChannelsPerGroup() < DIRECT_FORWARD_BELOW
                && (geometry.reductionLength() <= 32 || geometry.outChannelsPerGroup() < DIRECT_BACKWARD_BELOW);
    }

    /** The im2col + GEMM plan, whatever the geometry (tests and benchmarks compare both paths). */
    public static Plan gemmPlan(ConvGeometry geometry) {
        return new PanamaGemmConvPlan(geometry);
    }

    /** The direct plan, whatever the geometry. */
    public static Plan directPlan(ConvGeometry geometry) {
        return new PanamaDirectConvPlan(geometry);
    }

    /** The forward pass on one plan, the gradients on another; each allocates its workspace on first use. */
    private record Routed(Plan forwardPlan, Plan backwardPlan) implements Plan {
        @Override
        public void forward(float[] out, int offOut, float[] in, int offIn, float[] weight, int offWeight,
                            float[] bias, int offBias, int batch, boolean relu) {
            forwardPlan.forward(out, offOut, in, offIn, weight, offWeight, bias, offBias, batch, relu);
        }

        @Override
        public void backwardData(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                                 float[] weight, int offWeight, int batch) {
            backwardPlan.backwardData(gradIn, offGradIn, gradOut, offGradOut, weight, offWeight, batch);
        }

        @Override
        public void backwardWeights(float[] gradWeight, int offGradWeight, float[] gradBias, int offGradBias,
                                    float[] gradOut, int offGradOut, float[] in, int offIn, int batch,
                                    boolean accumulate) {
            backwardPlan.backwardWeights(gradWeight, offGradWeight, gradBias, offGradBias, gradOut, offGradOut, in,
                    offIn, batch, accumulate);
        }

        @Override
        public long workspaceBytes() {
            return forwardPlan.workspaceBytes() + backwardPlan.workspaceBytes();
        }
    }
}
