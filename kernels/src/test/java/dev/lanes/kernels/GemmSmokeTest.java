package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("panama")
class GemmSmokeTest {
    @Test
    void panamaIsInUse() {
        assertTrue(KernelProvider.panamaAvailable());
        assertEquals("PanamaGemm", Gemm.implementation());
        assertTrue(KernelProvider.vectorBits() >= 128, "bits " + KernelProvider.vectorBits());
    }

    @Test
    void multipliesTwoByTwo() {
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = new float[4];
        Gemm.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertEquals(19f, c[0]);
        assertEquals(22f, c[1]);
        assertEquals(43f, c[2]);
        assertEquals(50f, c[3]);
    }
}
