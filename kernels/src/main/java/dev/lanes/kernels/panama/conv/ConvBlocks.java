package dev.lanes.kernels.panama.conv;

import dev.lanes.kernels.ConvGeometry;

/**
 * How the GEMM path cuts a batch into column blocks: each block's im2col matrix
 * (C*R*S, columns) should stay in the 1 MB L2 next to the GEMM's own panels, yet be wide enough
 * for the GEMM. Small images are grouped, several whole images to a block; a large image is cut
 * into blocks of whole output rows. The cut depends only on the geometry and the batch, never on
 * the thread count, so results do not either.
 */
final class ConvBlocks {
    /** Floats of one block's column matrix: 512 KB, half the L2 of one core. */
    static final int COLUMN_BUDGET = 1 << 17;
    /** At most this many columns in a block of whole images (the GEMM gains nothing beyond). */
    static final int MAX_COLUMNS = 1024;
    /** At least this many columns in a block, even past the budget (narrower GEMMs are slow). */
    static final int MIN_COLUMNS = 256;

    final int imagesPerBlock;
    final int rowsPerBlock;
    final int blocksPerImage;
    final int maxColumns;
    private final int outHeight;
    private final int outWidth;

    ConvBlocks(ConvGeometry g) {
        outHeight = g.outHeight();
        outWidth = g.outWidth();
        long rows = (long) g.inChannels() * g.kernelHeight() * g.kernelWidth();
        int plane = outHeight * outWidth;
        long perImage = rows * plane;
        if (perImage <= COLUMN_BUDGET || plane < MIN_COLUMNS) {
            // whole images: as many as the budget allows, but enough for MIN_COLUMNS even past it
            long byBudget = Math.min(COLUMN_BUDGET / perImage, MAX_COLUMNS / plane);
            imagesPerBlock = (int) Math.max(Math.max(1, byBudget), Math.ceilDiv(MIN_COLUMNS, plane));
            rowsPerBlock = outHeight;
            blocksPerImage = 1;
            maxColumns = imagesPerBlock * plane;
        } else {
            int rowsByBudget = (int) Math.max(1, COLUMN_BUDGET / (rows * outWidth));
            int fit = Math.min(outHeight, Math.max(rowsByBudget, Math.ceilDiv(MIN_COLUMNS, outWidth)));
            imagesPerBlock = 0;
            blocksPerImage = Math.ceilDiv(outHeight, fit);
            rowsPerBlock = Math.ceilDiv(outHeight, blocksPerImage);
            maxColumns = rowsPerBlock * outWidth;
        }
    }

    /** Whether blocks hold whole images (else each holds some rows of one image). */
    boolean wholeImages() {
        return imagesPerBlock > 0;
    }

    int count(int batch) {
        return wholeImages() ? Math.ceilDiv(batch, imagesPerBlock) : batch * blocksPerImage;
    }

    int firstImage(int block) {
        return wholeImages() ? block * imagesPerBlock : block / blocksPerImage;
    }

    int endImage(int block, int batch) {
        return wholeImages() ? Math.min(batch, (block + 1) * imagesPerBlock) : block / blocksPerImage + 1;
    }

    int firstRow(int block) {
        return wholeImages() ? 0 : block % blocksPerImage * rowsPerBlock;
    }

    int endRow(int block) {
        return wholeImages() ? outHeight : Math.min(outHeight, (block % blocksPerImage + 1) * rowsPerBlock);
    }

    /** Columns of one image's piece of the block: (endRow - firstRow) * Q. */
    int pieceColumns(int block) {
        return (endRow(block) - firstRow(block)) * outWidth;
    }
}
