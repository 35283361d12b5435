package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Which kernel set the facades use, and at which width: the Panama set in the executions with the
 * vector module (at the width forced by lanes.vector.bits, else the machine's), the scalar set in
 * the execution without it (lanes.test.kernels=scalar). Prints what ran, so a report shows the
 * widths the suite covered on this machine.
 */
class KernelSetInUseTest {
    @Test
    void theExpectedSetRunsAtTheExpectedWidth() {
        boolean scalar = "scalar".equals(System.getProperty("lanes.test.kernels"));
        System.out.println("kernels under test: " + (scalar ? "the scalar set"
                : "the Panama set, " + KernelProvider.vectorBits() + "-bit vectors"));
        assertEquals(!scalar, KernelProvider.panamaAvailable(), "vector module readable");
        assertEquals(scalar ? "ScalarGemm" : "PanamaGemm", Gemm.implementation());
        assertEquals(scalar ? "ScalarElementwise" : "PanamaElementwise", Elementwise.implementation());
        String forced = System.getProperty(KernelProvider.VECTOR_BITS_PROPERTY);
        if (scalar) {
            assertEquals(0, KernelProvider.vectorBits(), "no vectors in the scalar set");
        } else if (forced != null) {
            assertEquals(Integer.parseInt(forced), KernelProvider.vectorBits(), "the forced width");
        }
    }
}
