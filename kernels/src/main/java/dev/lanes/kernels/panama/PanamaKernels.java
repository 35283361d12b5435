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
import dev.lanes.kernels.panama.recurrent.PanamaRecurrent;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.spi.KernelSet;

/**
 * The Panama (Vector API) kernels. {@code KernelProvider} loads this class by name, the one place
 * that does, so nothing outside the {@code panama} packages touches {@code jdk.incubator.vector}.
 */
public final class PanamaKernels extends KernelSet {
    /**
     * Checks {@code lanes.vector.bits} first (arguments are evaluated in order), before any kernel
     * class initialises, so a wrong value is an {@link IllegalArgumentException} naming it, not an
     * initialisation error.
     */
    public PanamaKernels() {
        super(PanamaSpecies.choose(System.getProperty(KernelProvider.VECTOR_BITS_PROPERTY)).vectorBitSize(),
                new PanamaGemm(), new PanamaIm2col(), new PanamaConv2d(), new PanamaPool2d(), new PanamaActivations(),
                new PanamaSoftmax(), new PanamaElementwise(), new PanamaReductions(), new PanamaMath(),
                new PanamaRecurrent());
    }
}
