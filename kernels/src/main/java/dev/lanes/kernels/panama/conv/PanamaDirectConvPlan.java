package dev.lanes.kernels.panama.conv;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.panama.support.PanamaRows;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.spi.Im2colKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution for the shapes where the GEMM's packing and 8-row panels do not pay: very
 * few output channels per group (depthwise), or a first layer with a handful of outputs (LeNet's
 * 1 -> 6, K = 25); {@link PanamaConv2d} decides.
 *
 * <p>Per image, group and block of output rows (whole images unless they are large) an im2col
 * matrix puts every kernel tap in a contiguous row over the output pixels, so the loops run over
 * long contiguous rows with one tail, and small register tiles do the rest without packing:
 * <ul>
 * <li>forward: out rows = weight (K/G, taps) x col, 4 output channels x 2 vectors per tile,
 * then bias and ReLU over the tile's rows while they are in L1; tasks are (image, group, block
 * of rows).</li>
 * <li>data gradient: dcol = weight^T x gradOut, 4 taps x 2 vectors per tile, then col2im;
 * tasks are (image, group), each owning its input planes.</li>
 * <li>weight gradient: 4 output channels x 2 taps of dot products per tile; chunks of images (a
 * count set by the batch, not the threads) sum into their own partial, added in chunk order.</li>
 * </ul>
 * Tile tails compute with a repeated last row or tap and do not store it.
 */
final class PanamaDirectConvPlan extends ConvPass {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    /** The lanes of a weight-gradient accumulator, whatever the width (see weightTile). */
    private static final int LOGICAL = PanamaSpecies.LOGICAL_LANES;
    private static final Im2colKernel IM2COL = new PanamaIm2col();
    private static final int TILE = 4;
    private static final int MAX_CHUNKS = 16;
    /** Forward tasks to aim for, so that even batch 1 keeps the threads busy. */
    private static final int FORWARD_TASKS = 16;
    /** Floats of a column matrix: big images go by blocks of output rows (512 KB, half the L2). */
    private static final int COLUMN_BUDGET = 1 << 17;

    private final ConvGeometry g;
    private final int rl;
    private final int kg;
    private final int cg;
    private final int plane;
    /** Output rows per column-matrix block. */
    private final int blockRows;
    /** Images per column-matrix block of the weight gradient (several when images are small). */
    private final int blockImages;
    /** One group of the geometry alone: its im2col gives a group's column matrix. */
    private final ConvGeometry groupGeometry;
    private final ScratchSlots scratch;

    private final ForwardBlocks forward = new ForwardBlocks();
    private final DataGroups data = new DataGroups();
    private final WeightChunks weights = new WeightChunks();

    PanamaDirectConvPlan(ConvGeometry geometry) {
        g = geometry;
        rl = geometry.reductionLength();
        kg = geometry.outChannelsPerGroup();
        cg = geometry.inChannelsPerGroup();
        plane = g.outHeight() * g.outWidth();
        blockRows = (int) Math.max(1, Math.min(g.outHeight(), COLUMN_BUDGET / ((long) rl * g.outWidth())));
        groupGeometry = ConvGeometry.builder().input(cg, g.inHeight(), g.inWidth()).outChannels(kg)
                .kernel(g.kernelHeight(), g.kernelWidth()).stride(g.strideHeight(), g.strideWidth())
                .padding(g.padTop(), g.padBottom(), g.padLeft(), g.padRight())
                .dilation(g.dilationHeight(), g.dilationWidth()).build();
        // [0]: a group's column matrix (taps, P*Q); [1]: the lanes of a weight-gradient tile
        // small images: several to a weight-gradient block, so that each tile's epilogue (lane
        // sums) is spread over more pixels
        blockImages = blockRows < g.outHeight() ? 1
                : (int) Math.max(1, Math.min(COLUMN_BUDGET / ((long) rl * plane), 2048 / plane));
        // [0]: a column matrix (taps, pixels); [1]: the lanes of a weight-gradient tile; [2]: gathered gradOut rows
        // each with a pair of vectors of slack, so that the tiles' last masked vectors stay inside
        int slack = 2 * LOGICAL;
        scratch = new ScratchSlots(rl * Math.max(blockRows * g.outWidth(), blockImages * plane) + slack,
                8 * LOGICAL, blockImages > 1 ? kg * blockImages * plane + slack : 0);
    }

    /** Offset in the input (at offIn) of the first input plane of (image n, group). */
    private int groupInput(int offIn, int n, int group) {
        return offIn + (n * g.inChannels() + group * cg) * g.inHeight() * g.inWidth();
    }

    @Override
    public void forward(float[] out, int offOut, float[] in, int offIn, float[] weight, int offWeight,
                        float[] bias, int offBias, int batch, boolean relu) {
        forward.set(out, offOut, in, offIn, weight, offWeight, bias, offBias, batch, relu);
        // whole images when the batch gives enough tasks, else blocks of rows (any cut gives the same bits)
        forward.rowBlocks = Math.max(Math.ceilDiv(g.outHeight(), blockRows),
                Math.min(g.outHeight(), Math.ceilDiv(FORWARD_TASKS, batch * g.groups())));
        try {
            run(batch * g.groups() * forward.rowBlocks, forward);
        } finally {
            forward.clear();
        }
    }

    /** An (image, group, block of output rows) per task. */
    private final class ForwardBlocks extends Forward {
        int rowBlocks;

        // out[n][k][j] = relu(bias[k] + sum_t weight[k][t] * col[t][j]) for the pixels j of a block of rows
        @Override
        public void run(int task) {
            int block = task % rowBlocks;
            int group = task / rowBlocks % g.groups();
            int n = task / rowBlocks / g.groups();
            int p0 = (int) ((long) block * g.outHeight() / rowBlocks);
            int p1 = (int) ((long) (block + 1) * g.outHeight() / rowBlocks);
            int columns = (p1 - p0) * g.outWidth();
            int slot = scratch.acquire();
            try {
                float[] col = scratch.array(slot, 0);
                IM2COL.im2col(col, 0, columns, in, groupInput(offIn, n, group), groupGeometry, p0, p1);
                int dst = offOut + n * g.outputSize() + p0 * g.outWidth();
                for (int k = group * kg; k < (group + 1) * kg; k += TILE) {
                    int kLast = Math.min(k + TILE, (group + 1) * kg) - 1;
                    int k1 = Math.min(k + 1, kLast);
                    int k2 = Math.min(k + 2, kLast);
                    int k3 = Math.min(k + 3, kLast);
                    DirectConvTiles.tileInside(weight, offWeight + k * rl, offWeight + k1 * rl, offWeight + k2 * rl,
                            offWeight + k3 * rl, 1, rl, col, 0, columns, columns, out, dst + k * plane,
                            dst + k1 * plane, dst + k2 * plane, dst + k3 * plane, kLast - k + 1);
                    // bias and ReLU while the tile's rows are still in L1
                    for (int kk = k; kk <= kLast && (bias != null || relu); kk++) {
                        int row = dst + kk * plane;
                        PanamaRows.biasRelu(out, row, out, row, columns, bias == null ? 0f : bias[offBias + kk], relu);
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
            run(batch * g.groups(), data);
        } finally {
            data.clear();
        }
    }

    /** An (image, group) per task, which owns that group's input planes of the image. */
    private final class DataGroups extends Data {
        // dcol[t][j] = sum_k weight[k][t] * gradOut[n][k][j] over the group's channels, then
        // gradIn += col2im(dcol), a block of output rows at a time, in order
        @Override
        public void run(int task) {
            int group = task % g.groups();
            int n = task / g.groups();
            int slot = scratch.acquire();
            try {
                float[] col = scratch.array(slot, 0);
                int dst = groupInput(offGradIn, n, group);
                PanamaRows.zero(gradIn, dst, cg * g.inHeight() * g.inWidth());
                int w = offWeight + group * kg * rl;
                for (int p0 = 0; p0 < g.outHeight(); p0 += blockRows) {
                    int p1 = Math.min(g.outHeight(), p0 + blockRows);
                    int columns = (p1 - p0) * g.outWidth();
                    int grad = offGradOut + (n * g.outChannels() + group * kg) * plane + p0 * g.outWidth();
                    for (int t = 0; t < rl; t += TILE) {
                        int tLast = Math.min(t + TILE, rl) - 1;
                        int t1 = Math.min(t + 1, tLast);
                        int t2 = Math.min(t + 2, tLast);
                        int t3 = Math.min(t + 3, tLast);
                        DirectConvTiles.tileInside(weight, w + t, w + t1, w + t2, w + t3, rl, kg, gradOut, grad, plane,
                                columns, col, t * columns, t1 * columns, t2 * columns, t3 * columns, tLast - t + 1);
                    }
                    IM2COL.col2imAdd(gradIn, dst, col, 0, columns, groupGeometry, p0, p1);
                }
            } finally {
                scratch.release(slot);
            }
        }
    }

    @Override
    public void backwardWeights(float[] gradWeight, int offGradWeight, float[] gradBias, int offGradBias,
                                float[] gradOut, int offGradOut, float[] in, int offIn, int batch,
                                boolean accumulate) {
        int chunks = Math.min(batch, MAX_CHUNKS);
        weights.set(gradWeight, offGradWeight, gradBias, offGradBias, gradOut, offGradOut, in, offIn, batch,
                accumulate, chunks);
        int stride = g.weightSize() + g.outChannels();
        ensurePartials(MAX_CHUNKS * stride);
        try {
            run(chunks, weights);
            PanamaRows.combine(gradWeight, offGradWeight, partials, 0, stride, chunks, g.weightSize(), accumulate);
            if (gradBias != null) {
                PanamaRows.combine(gradBias, offGradBias, partials, g.weightSize(), stride, chunks, g.outChannels(),
                        accumulate);
            }
        } finally {
            weights.clear();
        }
    }

    /** A chunk of images per task, summed into the chunk's partial. */
    private final class WeightChunks extends Weights {
        // partial[chunk][k][t] = sum over its images and output pixels j of gradOut[n][k][j] * col[t][j]
        @Override
        public void run(int chunk) {
            int n0 = (int) ((long) chunk * batch / chunks);
            int n1 = (int) ((long) (chunk + 1) * batch / chunks);
            int stride = g.weightSize() + g.outChannels();
            int partial = chunk * stride;
            PanamaRows.zero(partials, partial, stride);
            int slot = scratch.acquire();
            try {
                for (int na = n0; na < n1; na += blockImages) {
                    int nb = Math.min(n1, na + blockImages);
                    for (int group = 0; group < g.groups(); group++) {
                        for (int p0 = 0; p0 < g.outHeight(); p0 += blockRows) {
                            block(slot, na, nb, group, p0, Math.min(g.outHeight(), p0 + blockRows), partial);
                        }
                    }
                    for (int n = na; n < nb && gradBias != null; n++) {
                        for (int k = 0; k < g.outChannels(); k++) {
                            partials[partial + g.weightSize() + k] +=
                                    PanamaRows.sum(gradOut, offGradOut + (n * g.outChannels() + k) * plane, plane);
                        }
                    }
                }
            } finally {
                scratch.release(slot);
            }
        }

        /** Adds the block's dot products (images [na, nb), output rows [p0, p1) of each) into the partial. */
        private void block(int slot, int na, int nb, int group, int p0, int p1, int partial) {
            float[] col = scratch.array(slot, 0);
            float[] sums = scratch.array(slot, 1);
            int piece = (p1 - p0) * g.outWidth();
            int columns = (nb - na) * piece;
            // the group's column matrix (rl, columns): every tap a contiguous row over the block's pixels
            for (int n = na; n < nb; n++) {
                IM2COL.im2col(col, (n - na) * piece, columns, in, groupInput(offIn, n, group), groupGeometry, p0,
                        p1);
            }
            float[] grad = gradOut;
            int gradFirst = offGradOut + (na * g.outChannels() + group * kg) * plane + p0 * g.outWidth();
            int gradStride = plane;
            if (nb - na > 1) {
                // whole images: gather their gradOut rows side by side, as the column matrix has them
                grad = scratch.array(slot, 2);
                for (int n = na; n < nb; n++) {
                    for (int k = 0; k < kg; k++) {
                        PanamaRows.copy(grad, k * columns + (n - na) * plane, gradOut,
                                offGradOut + (n * g.outChannels() + group * kg + k) * plane, plane);
                    }
                }
                gradFirst = 0;
                gradStride = columns;
            }
            for (int k = 0; k < kg; k += TILE) {
                int kLast = Math.min(k + TILE, kg) - 1;
                for (int t = 0; t < rl; t += 2) {
                    weightTile(col, sums, columns, grad, gradFirst, gradStride, k, kLast, t, Math.min(t + 2, rl) - 1,
                            partial + (group * kg) * rl);
                }
            }
        }
    }

    /**
     * partials[dst + k*rl + t] += dot(gradOut row k, col row t) over a block of pixels for the 4 x 2 tile
     * at (k, t): the whole logical vectors, then the tail (each in its own loop, so that the hot
     * loop has no masks). Eight accumulators: a 4 x 4 tile made a method too large for C1 ("out of
     * virtual registers"), which left it interpreted, boxing every vector. Each accumulator is
     * {@link PanamaSpecies#LOGICAL_LANES} wide whatever the width (pixel j into lane j mod 16), so
     * the sums have the same bits at every width: one pass per vector of it (one at 512 bits).
     */
    private void weightTile(float[] col, float[] sums, int columns, float[] grad, int gradFirst, int gradStride,
                            int k, int kLast, int t, int tLast, int dst) {
        int k1 = Math.min(k + 1, kLast);
        int k2 = Math.min(k + 2, kLast);
        int k3 = Math.min(k + 3, kLast);
        int t1 = Math.min(t + 1, tLast);
        int whole = columns - columns % LOGICAL;
        if (whole > 0) {
            for (int part = 0; part < PanamaSpecies.PARTS; part++) {
                weightTile(col, sums, columns, grad, gradFirst, gradStride, k, kLast, t, tLast, 0, whole, part);
            }
            addTile(sums, dst, k, k1, k2, k3, t, t1);
        }
        if (whole < columns) {
            // the masked loads of the last vectors must stay inside col and grad, else scalar (see DirectConvTails)
            int end = whole + LOGICAL;
            if (tLast * columns + end <= col.length && gradFirst + kLast * gradStride + end <= grad.length) {
                for (int part = 0; part < PanamaSpecies.PARTS; part++) {
                    weightTile(col, sums, columns, grad, gradFirst, gradStride, k, kLast, t, tLast, whole, columns,
                            part);
                }
            } else {
                DirectConvTails.weightSums(col, sums, columns, grad, gradFirst, gradStride, k, kLast, t, tLast, whole,
                        LOGICAL);
            }
            addTile(sums, dst, k, k1, k2, k3, t, t1);
        }
    }

    /**
     * Vector {@code part} of the tile's accumulators over the block's pixels [first, end), loads
     * masked to them, stored at sums[(2i + j) * 16 + part * lanes]; col rows hold {@code columns}
     * pixels, gradOut rows (in {@code grad}) start {@code gradStride} apart.
     */
    private void weightTile(float[] col, float[] sums, int columns, float[] grad, int gradFirst, int gradStride,
                            int k, int kLast, int t, int tLast, int first, int end, int part) {
        int start = first + part * F.length();
        // all lanes for whole vectors; made here, not passed in, so that C2 does not box it
        VectorMask<Float> lanes = F.indexInRange(start, end);
        int k1 = Math.min(k + 1, kLast);
        int k2 = Math.min(k + 2, kLast);
        int k3 = Math.min(k + 3, kLast);
        int t1 = Math.min(t + 1, tLast);
        int x0 = t * columns;
        int x1 = t1 * columns;
        int d0 = gradFirst + k * gradStride;
        int d1 = gradFirst + k1 * gradStride;
        int d2 = gradFirst + k2 * gradStride;
        int d3 = gradFirst + k3 * gradStride;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int j = start; j < end; j += LOGICAL) {
            FloatVector c0 = FloatVector.fromArray(F, col, x0 + j, lanes);
            FloatVector c1 = FloatVector.fromArray(F, col, x1 + j, lanes);
            FloatVector dy = FloatVector.fromArray(F, grad, d0 + j, lanes);
            a00 = dy.fma(c0, a00);
            a01 = dy.fma(c1, a01);
            dy = FloatVector.fromArray(F, grad, d1 + j, lanes);
            a10 = dy.fma(c0, a10);
            a11 = dy.fma(c1, a11);
            dy = FloatVector.fromArray(F, grad, d2 + j, lanes);
            a20 = dy.fma(c0, a20);
            a21 = dy.fma(c1, a21);
            dy = FloatVector.fromArray(F, grad, d3 + j, lanes);
            a30 = dy.fma(c0, a30);
            a31 = dy.fma(c1, a31);
        }
        // the accumulators go through memory: a helper taking them as arguments could be left
        // un-inlined by C2, which would then box them
        int v = LOGICAL;
        int at = part * F.length();
        a00.intoArray(sums, at);
        a01.intoArray(sums, at + v);
        a10.intoArray(sums, at + 2 * v);
        a11.intoArray(sums, at + 3 * v);
        a20.intoArray(sums, at + 4 * v);
        a21.intoArray(sums, at + 5 * v);
        a30.intoArray(sums, at + 6 * v);
        a31.intoArray(sums, at + 7 * v);
    }

    /**
     * partials[dst + k_i*rl + t_j] += the lane sum (in lane order) of accumulator (i, j), stored at
     * sums[(2i + j) * 16]; repeated channels and taps (tile tails) are skipped.
     */
    private void addTile(float[] sums, int dst, int k0, int k1, int k2, int k3, int t0, int t1) {
        addTileRow(sums, 0, dst + k0 * rl, t0, t1);
        if (k1 > k0) {
            addTileRow(sums, 2, dst + k1 * rl, t0, t1);
        }
        if (k2 > k1) {
            addTileRow(sums, 4, dst + k2 * rl, t0, t1);
        }
        if (k3 > k2) {
            addTileRow(sums, 6, dst + k3 * rl, t0, t1);
        }
    }

    private void addTileRow(float[] sums, int accumulator, int row, int t0, int t1) {
        partials[row + t0] += laneSum(sums, accumulator * LOGICAL);
        if (t1 > t0) {
            partials[row + t1] += laneSum(sums, (accumulator + 1) * LOGICAL);
        }
    }

    private static float laneSum(float[] sums, int at) {
        float sum = sums[at];
        for (int l = 1; l < LOGICAL; l++) {
            sum += sums[at + l];
        }
        return sum;
    }

    @Override
    ScratchSlots scratch() {
        return scratch;
    }
}
