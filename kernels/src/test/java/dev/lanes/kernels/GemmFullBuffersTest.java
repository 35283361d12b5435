package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/**
 * sgemm on shapes that fill the Panama GEMM's packing buffers to their last float, where a packing
 * loop that writes one row, one panel or one 8 x 8 block past what it owns leaves the buffer
 * instead of landing in space packed afterwards. The A block holds 192 rows (24 panels of 8) by a
 * K block of 256; the B group of the one-row-block path holds 8 strips of 3 vectors by 256. On
 * one thread, where the row blocks and strip groups are the whole ones (more threads split them
 * smaller). Against the scalar reference (GemmCase: operands padded with NaN, C with sentinels).
 */
class GemmFullBuffersTest {
    private static final boolean[] FLAGS = {false, true};

    /**
     * K = 256 (one block of 256) on 191 rows (the 24th panel short: its padding rows are the last
     * of the buffer), 192 rows (exactly 24 full panels) and 384 (two blocks of 192 on the
     * shared-B path, the first followed in A by the rows of the second, so its transposes could
     * read on past the K block).
     */
    @Test
    void aBlockOfTwentyFourPanelsByTheWholeKBlock() {
        long seed = 800;
        for (int m : new int[] {191, 192, 384}) {
            for (boolean transA : FLAGS) {
                GemmCase c = new GemmCase(transA, false, m, 20, 256, 0.7f, 1.3f, 2, 3, seed++);
                OnThreads.run(1, () -> assertDoesNotThrow(c::check, c::toString));
            }
        }
    }

    /**
     * B transposed (stored (n, k)) over a full group of 8 strips: 5 columns more with K = 256 (the
     * group fills its buffer) and K = 255 (the last strip's 8 x 8 blocks end 1 row short of the K
     * block, and the buffer 8 rows after the last strip's end); and one column short of 8 strips
     * with K = 256, where the last strip's zero padding (one column) ends the buffer.
     */
    @Test
    void transposedBOverAFullGroupOfStrips() {
        int strip = 3 * Math.max(4, KernelProvider.vectorBits() / 32);
        int[][] shapes = {{8 * strip + 5, 255}, {8 * strip + 5, 256}, {8 * strip - 1, 256}};
        long seed = 810;
        for (int[] shape : shapes) {
            for (boolean transA : FLAGS) {
                GemmCase c = new GemmCase(transA, true, 8, shape[0], shape[1], 0.7f, 1.3f, 2, 3, seed++);
                OnThreads.run(1, () -> assertDoesNotThrow(c::check, c::toString));
            }
        }
    }
}
