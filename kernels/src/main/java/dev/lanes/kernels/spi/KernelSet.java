package dev.lanes.kernels.spi;

/**
 * One implementation of every op: the scalar set or the Panama set. {@code KernelProvider}
 * picks one set once; each public facade keeps the kernel it needs in a {@code static final}
 * field, so C2 sees a constant receiver and inlines through the interface.
 *
 * <p>Adding an op: a method here, its interface in this package, and one line in each set.
 */
public interface KernelSet {
    /** The vector width in bits of this set's kernels, 0 for the scalar set. */
    int vectorBits();

    GemmKernel gemm();

    Im2colKernel im2col();

    Conv2dKernel conv2d();

    Pool2dKernel pool2d();

    ActivationKernel activations();

    SoftmaxKernel softmax();

    ElementwiseKernel elementwise();

    ReductionKernel reductions();

    MathKernel math();
}
