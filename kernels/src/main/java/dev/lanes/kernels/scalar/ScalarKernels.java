package dev.lanes.kernels.scalar;

import dev.lanes.kernels.spi.KernelSet;

/** The scalar kernels: the readable reference of every op, and the fallback without the vector module. */
public final class ScalarKernels extends KernelSet {
    public ScalarKernels() {
        super(0, new ScalarGemm(), new ScalarIm2col(), new ScalarConv2d(), new ScalarPool2d(), new ScalarActivations(),
                new ScalarSoftmax(), new ScalarElementwise(), new ScalarReductions(), new ScalarMath(),
                new ScalarRecurrent());
    }
}
