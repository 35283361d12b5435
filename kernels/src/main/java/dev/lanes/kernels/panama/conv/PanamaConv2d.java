package dev.lanes.kernels.panama.conv;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.spi.Conv2dKernel;

/**
 * The fast convolution: im2col + GEMM ({@link PanamaGemmConvPlan}), or the direct kernels of
 * {@link PanamaDirectConvPlan} where the GEMM degenerates: a short reduction (a first layer: 9 or
 * 25 taps of one channel, 27 of an RGB image) or a sliver of output channels per group
 * (depthwise, or LeNet's 6, fewer than the GEMM's 8-row panels). There the GEMM spends as long
 * packing as multiplying and wastes most of its register tile; measured on the benchmark layers,
 * the direct kernels are faster on all three passes.
 */
public final class PanamaConv2d implements Conv2dKernel {
    /** Reductions (C/groups * R * S) up to this length go direct. */
    static final int DIRECT_MAX_REDUCTION = 32;
    /** Fewer output channels per group than this go direct. */
    static final int DIRECT_BELOW_CHANNELS = 8;

    @Override
    public Plan plan(ConvGeometry geometry) {
        return usesDirect(geometry) ? directPlan(geometry) : gemmPlan(geometry);
    }

    /** Whether {@link #plan} runs this geometry with the direct kernels. */
    public static boolean usesDirect(ConvGeometry geometry) {
        return geometry.reductionLength() <= DIRECT_MAX_REDUCTION
                || geometry.outChannelsPerGroup() < DIRECT_BELOW_CHANNELS;
    }

    /** The im2col + GEMM plan, whatever the geometry (tests and benchmarks compare both paths). */
    public static Plan gemmPlan(ConvGeometry geometry) {
        return new PanamaGemmConvPlan(geometry);
    }

    /** The direct plan, whatever the geometry. */
    public static Plan directPlan(ConvGeometry geometry) {
        return new PanamaDirectConvPlan(geometry);
    }
}
