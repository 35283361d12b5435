package dev.lanes.kernels;

import dev.lanes.kernels.internal.ScalarBlockedGemm;
import org.junit.jupiter.api.Test;

/** The benchmarks' scalar-blocked twin against the reference, across its tiles and blocks. */
class ScalarBlockedGemmTest {
    @Test
    void matchesTheReference() {
        int[][] shapes = {{0, 3, 3}, {1, 1, 1}, {3, 5, 2}, {5, 9, 0}, {17, 15, 33}, {193, 7, 257}, {9, 3100, 5}};
        float[][] scalars = {{1f, 0f}, {0.7f, 1.3f}, {0f, 1f}, {1f, 1f}};
        long seed = 9000;
        for (int[] shape : shapes) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (float[] ab : scalars) {
                        GemmCase c = new GemmCase(transA, transB, shape[0], shape[1], shape[2], ab[0], ab[1], 2, 1, seed++);
                        c.compare(c.runReference(), c.runWith(new ScalarBlockedGemm()));
                    }
                }
            }
        }
    }
}
