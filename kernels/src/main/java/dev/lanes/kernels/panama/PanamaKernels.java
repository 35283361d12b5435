package dev.lanes.kernels.panama;

import dev.lanes.kernels.KernelProvider;
import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.kernels.panama.conv.PanamaIm2col;
import dev.lanes.kernels.panama.gemm.PanamaGemm;
import dev.lanes.kernels.panama.math.PanamaMath;
import dev.lanes.kernels.panama.pointwise.PanamaActivations;
import dev.lanes.kernels.panama.pointwise.PanamaElementwise;
import dev.lanes.kernels.panama.pointwise.PanamaReductions;
import dev.lanes.kernels.panama.pointwise.PanamaSoftmax;
import dev.lanes.kernels.panama.pool.PanamaPool2d;
import dev.lanes.kernels.panama.support.PanamaSpecies;
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

/**
 * The Panama (Vector API) kernels. {@code KernelProvider} loads this class by name, the one place
 * that does, so nothing outside the {@code panama} packages touches {@code jdk.incubator.vector}.
 */
public final class PanamaKernels implements KernelSet {
    private final GemmKernel gemm = new PanamaGemm();
    private final Im2colKernel im2col = new PanamaIm2col();
    private final Conv2dKernel conv2d = new PanamaConv2d();
    private final Pool2dKernel pool2d = new PanamaPool2d();
    private final ActivationKernel activations = new PanamaActivations();
    private final SoftmaxKernel softmax = new PanamaSoftmax();
    private final ElementwiseKernel elementwise = new PanamaElementwise();
    private final ReductionKernel reductions = new PanamaReductions();
    private final MathKernel math = new PanamaMath();

    private final int vectorBits;

    /**
     * Checks {@code lanes.vector.bits} before any kernel class initialises, so a wrong value is
     * an {@link IllegalArgumentException} naming it, not an initialisation error.
     */
    public PanamaKernels() {
        vectorBits = PanamaSpecies.choose(System.getProperty(KernelProvider.VECTOR_BITS_PROPERTY)).vectorBitSize();
    }

    @Override
    public int vectorBits() {
        return vectorBits;
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
