package dev.lanes.kernels.panama.conv;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.panama.gemm.PanamaGemm;
import dev.lanes.kernels.panama.support.PanamaRows;
import dev.lanes.kernels.spi.GemmKernel;
import dev.lanes.kernels.spi.Im2colKernel;

/**
 * Convolution as im2col + GEMM, one column block at a time ({@link ConvBlocks}).
 *
 * <ul>
 * <li>forward: per block, im2col into the slot's column matrix, one GEMM per group into the
 * slot's (K, columns) buffer, then a write-back that adds the bias, applies ReLU and scatters
 * the columns to NCHW. Tasks are blocks.</li>
 * <li>data gradient: per block, dcol = W^T * gradOut (gradOut read in place when the block is
 * one image, else gathered), then col2im adds dcol into gradIn. Tasks own whole images, so no
 * two tasks write the same element.</li>
 * <li>weight gradient: chunks of consecutive blocks (their number depends on the geometry and
 * the batch only) each sum into their own partial with beta = 1 GEMMs; the partials are then
 * added in chunk order.</li>
 * </ul>
 * A pass with a single task runs it on the calling thread, so the GEMM inside uses the threads.
 * Each pass's arguments sit in its task context (made once per plan) while it runs, so a pass
 * allocates nothing. The GEMMs are the Panama kernel's own: the arguments were checked once, by
 * the Conv2d facade, and every block's operands lie inside them.
 */
final class PanamaGemmConvPlan extends ConvPass {
    private static final Im2colKernel IM2COL = new PanamaIm2col();
    private static final GemmKernel GEMM = new PanamaGemm();
    /** Floats of all partial weight gradients together (16 MB) and the most partials. */
    private static final int PARTIAL_BUDGET = 1 << 22;
    private static final int MAX_CHUNKS = 16;
    /** Elements per task of the partial combine. */
    private static final int COMBINE_BLOCK = 1 << 14;

    private final ConvGeometry g;
    private final ConvBlocks blocks;
    private final int rows;
    private final int maxChunks;
    private final ScratchSlots scratch;

    private final ForwardBlocks forward = new ForwardBlocks();
    private final DataBlocks data = new DataBlocks();
    private final WeightChunks weights = new WeightChunks();
    private final Parallel.Task combine = this::combineRange;

    PanamaGemmConvPlan(ConvGeometry geometry) {
        g = geometry;
        blocks = new ConvBlocks(geometry);
        rows = geometry.inChannels() * geometry.kernelHeight() * geometry.kernelWidth();
        int partial = geometry.weightSize() + geometry.outChannels();
        maxChunks = Math.max(1, Math.min(MAX_CHUNKS, PARTIAL_BUDGET / partial));
        scratch = new ScratchSlots(rows * blocks.maxColumns, geometry.outChannels() * blocks.maxColumns);
    }

    @Override
    public void forward(float[] out, int offOut, float[] in, int offIn, float[] weight, int offWeight,
                        float[] bias, int offBias, int batch, boolean relu) {
        forward.set(out, offOut, in, offIn, weight, offWeight, bias, offBias, batch, relu);
        try {
            run(blocks.count(batch), forward);
        } finally {
            forward.clear();
        }
    }

    /** A column block per task. */
    private final class ForwardBlocks extends Forward {
        // out[n][k][p][q] = relu(bias[k] + (W_group * col_block)[k][column of (n, p, q)])
        @Override
        public void run(int block) {
            int slot = scratch.acquire();
            try {
                float[] col = scratch.array(slot, 0);
                float[] product = scratch.array(slot, 1);
                int n0 = blocks.firstImage(block);
                int n1 = blocks.endImage(block, batch);
                int p0 = blocks.firstRow(block);
                int piece = blocks.pieceColumns(block);
                int columns = (n1 - n0) * piece;
                for (int n = n0; n < n1; n++) {
                    IM2COL.im2col(col, (n - n0) * piece, columns, in, offIn + n * g.inputSize(), g, p0,
                            blocks.endRow(block));
                }
                int kg = g.outChannelsPerGroup();
                int rg = g.reductionLength();
                for (int group = 0; group < g.groups(); group++) {
                    GEMM.sgemm(false, false, kg, columns, rg, 1f, weight, offWeight + group * kg * rg, rg,
                            col, group * rg * columns, columns, 0f, product, group * kg * columns, columns);
                }
                int plane = g.outHeight() * g.outWidth();
                for (int n = n0; n < n1; n++) {
                    for (int k = 0; k < g.outChannels(); k++) {
                        PanamaRows.biasRelu(out, offOut + n * g.outputSize() + k * plane + p0 * g.outWidth(),
                                product, k * columns + (n - n0) * piece, piece,
                                bias == null ? 0f : bias[offBias + k], relu);
                    }
                }
            } finally {
                scratch.release(slot);
            }
        }
    }

    @Override
    public void backwardData(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                             float[] weight, int offWeight, int batch) {
        data.set(gradIn, offGradIn, gradOut, offGradOut, weight, offWeight, batch);
        try {
            run(blocks.wholeImages() ? blocks.count(batch) : batch, data);
        } finally {
            data.clear();
        }
    }

    /** Whole images per task (a block of them, or all the blocks of one), so no two tasks write one element. */
    private final class DataBlocks extends Data {
        // gradIn[n] = col2im(W^T * gradOut[n]) over the blocks of a task, in block order
        @Override
        public void run(int task) {
            int slot = scratch.acquire();
            try {
                if (blocks.wholeImages()) {
                    block(slot, task);
                } else {
                    for (int b = task * blocks.blocksPerImage; b < (task + 1) * blocks.blocksPerImage; b++) {
                        block(slot, b);
                    }
                }
            } finally {
                scratch.release(slot);
            }
        }

        private void block(int slot, int block) {
            float[] col = scratch.array(slot, 0);
            int n0 = blocks.firstImage(block);
            int n1 = blocks.endImage(block, batch);
            int p0 = blocks.firstRow(block);
            int piece = blocks.pieceColumns(block);
            int columns = (n1 - n0) * piece;
            float[] b = gradOut;
            int offB = offGradOut + n0 * g.outputSize() + p0 * g.outWidth();
            int ldb = g.outHeight() * g.outWidth();
            if (n1 - n0 > 1) {
                b = gather(slot, gradOut, offGradOut, n0, n1);
                offB = 0;
                ldb = columns;
            }
            int kg = g.outChannelsPerGroup();
            int rg = g.reductionLength();
            for (int group = 0; group < g.groups(); group++) {
                GEMM.sgemm(true, false, rg, columns, kg, 1f, weight, offWeight + group * kg * rg, rg,
                        b, offB + group * kg * ldb, ldb, 0f, col, group * rg * columns, columns);
            }
            for (int n = n0; n < n1; n++) {
                if (p0 == 0) {
                    PanamaRows.zero(gradIn, offGradIn + n * g.inputSize(), g.inputSize());
                }
                IM2COL.col2imAdd(gradIn, offGradIn + n * g.inputSize(), col, (n - n0) * piece, columns, g, p0,
                        blocks.endRow(block));
            }
        }
    }

    /**
     * Copies gradOut of the whole images [n0, n1) (at {@code offGradOut} of {@code gradOut}) side by
     * side into the slot's (K, columns) buffer, as the block's column matrix has them.
     */
    private float[] gather(int slot, float[] gradOut, int offGradOut, int n0, int n1) {
        float[] gathered = scratch.array(slot, 1);
        int plane = g.outHeight() * g.outWidth();
        int columns = (n1 - n0) * plane;
        for (int n = n0; n < n1; n++) {
            for (int k = 0; k < g.outChannels(); k++) {
                PanamaRows.copy(gathered, k * columns + (n - n0) * plane, gradOut,
                        offGradOut + n * g.outputSize() + k * plane, plane);
            }
        }
        return gathered;
    }

    @Override
    public void backwardWeights(float[] gradWeight, int offGradWeight, float[] gradBias, int offGradBias,
                                float[] gradOut, int offGradOut, float[] in, int offIn, int batch,
                                boolean accumulate) {
        weights.set(gradWeight, offGradWeight, gradBias, offGradBias, gradOut, offGradOut, in, offIn, batch,
                accumulate, Math.min(blocks.count(batch), maxChunks));
        int stride = g.weightSize() + g.outChannels();
        ensurePartials(maxChunks * stride);
        try {
            run(weights.chunks, weights);
            run(Math.ceilDiv(stride, COMBINE_BLOCK), combine);
        } finally {
            weights.clear();
        }
    }

    /** A chunk of consecutive blocks per task, summed into the chunk's partial. */
    private final class WeightChunks extends Weights {
        // partial[chunk] = sum over its blocks of gradOut_block * col_block^T; bias part = row sums of gradOut
        @Override
        public void run(int chunk) {
            int blockCount = blocks.count(batch);
            int first = (int) ((long) chunk * blockCount / chunks);
            int end = (int) ((long) (chunk + 1) * blockCount / chunks);
            int partial = chunk * (g.weightSize() + g.outChannels());
            int slot = scratch.acquire();
            try {
                for (int block = first; block < end; block++) {
                    block(slot, block, block == first ? 0f : 1f, partial);
                }
            } finally {
                scratch.release(slot);
            }
        }

        /** Adds (beta 1) or writes (beta 0) the block's sums into the partial. */
        private void block(int slot, int block, float beta, int partial) {
            float[] col = scratch.array(slot, 0);
            int n0 = blocks.firstImage(block);
            int n1 = blocks.endImage(block, batch);
            int p0 = blocks.firstRow(block);
            int piece = blocks.pieceColumns(block);
            int columns = (n1 - n0) * piece;
            for (int n = n0; n < n1; n++) {
                IM2COL.im2col(col, (n - n0) * piece, columns, in, offIn + n * g.inputSize(), g, p0,
                        blocks.endRow(block));
            }
            float[] a = gradOut;
            int offA = offGradOut + n0 * g.outputSize() + p0 * g.outWidth();
            int lda = g.outHeight() * g.outWidth();
            if (n1 - n0 > 1) {
                a = gather(slot, gradOut, offGradOut, n0, n1);
                offA = 0;
                lda = columns;
            }
            int kg = g.outChannelsPerGroup();
            int rg = g.reductionLength();
            for (int group = 0; group < g.groups(); group++) {
                GEMM.sgemm(false, true, kg, rg, columns, 1f, a, offA + group * kg * lda, lda,
                        col, group * rg * columns, columns, beta, partials, partial + group * kg * rg, rg);
            }
            int biasPartial = partial + g.weightSize();
            for (int k = 0; gradBias != null && k < g.outChannels(); k++) {
                float sum = PanamaRows.sum(a, offA + k * lda, columns);
                partials[biasPartial + k] = beta == 0f ? sum : partials[biasPartial + k] + sum;
            }
        }
    }

    // gradWeight (+)= partial[0] + partial[1] + ..., gradBias likewise, on a range of elements
    private void combineRange(int task) {
        int stride = g.weightSize() + g.outChannels();
        int from = task * COMBINE_BLOCK;
        int to = Math.min(stride, from + COMBINE_BLOCK);
        int weightEnd = Math.min(to, g.weightSize());
        if (from < weightEnd) {
            PanamaRows.combine(weights.gradWeight, weights.offGradWeight + from, partials, from, stride,
                    weights.chunks, weightEnd - from, weights.accumulate);
        }
        if (weights.gradBias != null && to > g.weightSize()) {
            int biasFrom = Math.max(from, g.weightSize());
            PanamaRows.combine(weights.gradBias, weights.offGradBias + biasFrom - g.weightSize(), partials, biasFrom,
                    stride, weights.chunks, to - biasFrom, weights.accumulate);
        }
    }

    @Override
    ScratchSlots scratch() {
        return scratch;
    }
}
