package dev.lanes.kernels.internal;

import dev.lanes.kernels.ConvGeometry;

/**
 * The fast convolution: im2col + GEMM ({@link PanamaGemmConvPlan}), or the direct loops of
 * {@link PanamaDirectConvPlan} where the GEMM would be degenerate.
 */
public final class PanamaConv2d implements Conv2dKernel {
    @Override
    public Plan plan(ConvGeometry geometry) {
        return PanamaDirectConvPlan.suits(geometry) ? directPlan(geometry) : gemmPlan(geometry);
    }

    /** Whether {@link #plan} picks the direct loops for this geometry. */
    public static boolean usesDirect(ConvGeometry geometry) {
        return PanamaDirectConvPlan.suits(geometry);
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
