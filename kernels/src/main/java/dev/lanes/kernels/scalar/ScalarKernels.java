package dev.lanes.kernels.scalar;

import dev.lanes.kernels.spi.ActivationKernel;
import dev.lanes.kernels.spi.Conv2dKernel;
import dev.lanes.kernels.spi.ElementwiseKernel;
import dev.lanes.kernels.spi.GemmKernel;
import dev.lanes.kernels.spi.Im2colKernel;
import dev.lanes.kernels.spi.KernelSet;
import dev.lanes.kernels.spi.MathKernel;
import dev.lanes.kernels.spi.Pool2dKernel;
import dev.lanes.kernels.spi.ReductionKernel;
import dev.lanes.kernels.spi.SoftmaxKernel;

/** The scalar kernels: the readable reference of every op, and the fallback without the vector module. */
public final class ScalarKernels implements KernelSet {
    private final GemmKernel gemm = new ScalarGemm();
    private final Im2colKernel im2col = new ScalarIm2col();
    private final Conv2dKernel conv2d = new ScalarConv2d();
    private final Pool2dKernel pool2d = new ScalarPool2d();
    private final ActivationKernel activations = new ScalarActivations();
    private final SoftmaxKernel softmax = new ScalarSoftmax();
    private final ElementwiseKernel elementwise = new ScalarElementwise();
    private final ReductionKernel reductions = new ScalarReductions();
    private final MathKernel math = new ScalarMath();

    @Override
    public int vectorBits() {
        return 0;
    }

    @Override
    public GemmKernel gemm() {
        return gemm;
    }

    @Override
    public Im2colKernel im2col() {
        return im2col;
    }

    @Override
    public Conv2dKernel conv2d() {
        return conv2d;
    }

    @Override
    public Pool2dKernel pool2d() {
        return pool2d;
    }

    @Override
    public ActivationKernel activations() {
        return activations;
    }

    @Override
    public SoftmaxKernel softmax() {
        return softmax;
    }

    @Override
    public ElementwiseKernel elementwise() {
        return elementwise;
    }

    @Override
    public ReductionKernel reductions() {
        return reductions;
    }

    @Override
    public MathKernel math() {
        return math;
    }
}
