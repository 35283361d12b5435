package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The result bits of sgemm do not depend on the thread count, nor change from run to run: the
 * threads split C, never K. Shapes cover both paths of PanamaGemm (one row block with column
 * chunks; several row blocks sharing packed B, swept a span of strips at a time), every
 * transpose, and K past one block.
 */
class GemmDeterminismTest {
    private static final int[] THREADS = {1, 2, 3, 7};
    private int saved;

    @BeforeEach
    void save() {
        saved = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void identicalBitsForEveryThreadCount() {
        int[][] shapes = {{64, 300, 70}, {100, 1000, 20}, {400, 130, 300}, {257, 65, 600}, {33, 500, 513},
            {200, 900, 60}};
        long seed = 42;
        for (int[] shape : shapes) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    GemmCase c = new GemmCase(transA, transB, shape[0], shape[1], shape[2], 0.7f, 1.3f, 2, 3, seed++);
                    Parallel.setThreads(1);
                    float[] first = c.runGemm();
                    for (int threads : THREADS) {
                        Parallel.setThreads(threads);
                        for (int run = 0; run < 2; run++) {
                            float[] again = c.runGemm();
                            for (int i = 0; i < first.length; i++) {
                                if (Float.floatToRawIntBits(first[i]) != Float.floatToRawIntBits(again[i])) {
                                    fail("element " + i + ": " + again[i] + " with " + threads + " threads (run "
                                            + run + "), " + first[i] + " with 1, in " + c);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
