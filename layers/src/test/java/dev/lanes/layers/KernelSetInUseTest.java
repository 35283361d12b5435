package dev.lanes.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.KernelProvider;
import org.junit.jupiter.api.Test;

/** The layers suite runs on the kernel set its execution names: Panama by default, scalar without the vector module. */
class KernelSetInUseTest {
    @Test
    void theExpectedSetIsInUse() {
        boolean scalar = "scalar".equals(System.getProperty("lanes.test.kernels"));
        System.out.println("layers under test on " + (scalar ? "the scalar kernels"
                : "the Panama kernels, " + KernelProvider.vectorBits() + "-bit vectors"));
        assertEquals(!scalar, KernelProvider.panamaAvailable(), "vector module readable");
        assertEquals(scalar ? "ScalarGemm" : "PanamaGemm", Gemm.implementation());
    }
}
