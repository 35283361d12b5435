package dev.lanes.kernels.spi;

/**
 * One implementation of every op: the scalar set or the Panama set, each a subclass that names
 * its kernels in its constructor. {@code KernelProvider} picks one set once; each public facade
 * keeps the kernel it needs in a {@code static final} field, so C2 sees a constant receiver and
 * inlines through the interface.
 *
 * <p>Adding an op: its interface in this package, a field and accessor here, and one constructor
 * argument in each set.
 */
public abstract class KernelSet {
    private final int vectorBits;
    private final GemmKernel gemm;
    private final Im2colKernel im2col;
    private final Conv2dKernel conv2d;
    private final Pool2dKernel pool2d;
    private final ActivationKernel activations;
    private final SoftmaxKernel softmax;
    private final ElementwiseKernel elementwise;
    private final ReductionKernel reductions;
    private final MathKernel math;
    private final RecurrentKernel recurrent;

    protected KernelSet(int vectorBits, GemmKernel gemm,
                        Im2colKernel im2col,
                        Conv2dKernel conv2d,
                        Pool2dKernel pool2d,
                        ActivationKernel activations,
                        SoftmaxKernel softmax,
                        ElementwiseKernel elementwise,
                        ReductionKernel reductions,
                        MathKernel math,
                        RecurrentKernel recurrent) {
        this.vectorBits = vectorBits;
        this.gemm = gemm;
        this.im2col = im2col;
        this.conv2d = conv2d;
        this.pool2d = pool2d;
        this.activations = activations;
        this.softmax = softmax;
        this.elementwise = elementwise;
        this.reductions = reductions;
        this.math = math;
        this.recurrent = recurrent;
    }

    /** The vector width in bits of this set's kernels, 0 for the scalar set. */
    public final int vectorBits() {
        return vectorBits;
    }

    public final GemmKernel gemm() {
        return gemm;
    }

    public final Im2colKernel im2col() {
        return im2col;
    }

    public final Conv2dKernel conv2d() {
        return conv2d;
    }

    public final Pool2dKernel pool2d() {
        return pool2d;
    }

    public final ActivationKernel activations() {
        return activations;
    }

    public final SoftmaxKernel softmax() {
        return softmax;
    }

    public final ElementwiseKernel elementwise() {
        return elementwise;
    }

    public final ReductionKernel reductions() {
        return reductions;
    }

    public final MathKernel math() {
        return math;
    }

    public final RecurrentKernel recurrent() {
        return recurrent;
    }
}
