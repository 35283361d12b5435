package dev.lanes.kernels.internal;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution for the shapes where im2col + GEMM degenerates: very few output channels per
 * group (depthwise), or a first layer with one input channel and a handful of outputs (K = 25,
 * M = 6); {@link PanamaConv2d} decides per pass.
 *
 * <p>Each task copies its image's group channels into {@link PaddedPlanes}, where every kernel tap
 * of a row of outputs is a contiguous run, so the loops are plain vector FMAs over output columns:
 * <ul>
 * <li>forward: 4 output channels x 1 vector of columns per tile, one tap at a time; tasks are
 * (image, group, block of output rows).</li>
 * <li>weight gradient: per image and group an im2col matrix (each tap a contiguous row over all
 * output pixels, so no row tails), then 4 output channels x 2 taps of dot products per tile;
 * chunks of images (a count set by the batch, not the threads) sum into their own partial,
 * added in chunk order.</li>
 * <li>data gradient: each tap scattered into a padded gradient copy, then the interior copied
 * out; tasks are (image, group).</li>
 * </ul>
 * Tile tails compute with a repeated last channel or tap and do not store it.
 */
final class PanamaDirectConvPlan implements Conv2dKernel.Plan {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final Im2colKernel IM2COL = new PanamaIm2col();
    private static final int TILE = 4;
    private static final int MAX_CHUNKS = 16;
    /** Forward tasks to aim for, so that even batch 1 keeps the threads busy. */
    private static final int FORWARD_TASKS = 16;

    private final ConvGeometry g;
    private final PaddedPlanes planes;
    private final int rl;
    private final int kg;
    private final int cg;
    /** Offset of tap t = (c, r, s) from the (p, q) base in a full-height copy of one group. */
    private final int[] tapOffset;
    private final int rowBlocks;
    /** One group of the geometry alone: its im2col gives the weight gradient's column matrix. */
    private final ConvGeometry groupGeometry;
    private final ScratchSlots scratch;
    private float[] partials = new float[0];

    private final Parallel.Task forwardTask = this::forwardTask;
    private final Parallel.Task dataTask = this::dataTask;
    private final Parallel.Task weightTask = this::weightChunk;

    // the arguments of the pass in progress (see PanamaGemmConvPlan)
    private float[] out;
    private int offOut;
    private float[] in;
    private int offIn;
    private float[] weight;
    private int offWeight;
    private float[] bias;
    private int offBias;
    private int batch;
    private boolean relu;
    private int chunks;

    PanamaDirectConvPlan(ConvGeometry geometry) {
        g = geometry;
        planes = new PaddedPlanes(geometry, F.length());
        rl = geometry.reductionLength();
        kg = geometry.outChannelsPerGroup();
        cg = geometry.inChannelsPerGroup();
        tapOffset = new int[rl];
        for (int c = 0; c < cg; c++) {
            for (int r = 0; r < g.kernelHeight(); r++) {
                for (int s = 0; s < g.kernelWidth(); s++) {
                    int shift = s * g.dilationWidth();
                    tapOffset[(c * g.kernelHeight() + r) * g.kernelWidth() + s] =
                            planes.rowIndex(c, shift % planes.strideW, r * g.dilationHeight())
                                    + shift / planes.strideW;
                }
            }
        }
        rowBlocks = Math.min(g.outHeight(), FORWARD_TASKS);
        groupGeometry = ConvGeometry.builder().input(cg, g.inHeight(), g.inWidth()).outChannels(kg)
                .kernel(g.kernelHeight(), g.kernelWidth()).stride(g.strideHeight(), g.strideWidth())
                .padding(g.padTop(), g.padBottom(), g.padLeft(), g.padRight())
                .dilation(g.dilationHeight(), g.dilationWidth()).build();
        scratch = new ScratchSlots(planes.size(cg), 8 * F.length(), rl * g.outHeight() * g.outWidth());
    }

    @Override
    public void forward(float[] out, int offOut, float[] in, int offIn, float[] weight, int offWeight,
                        float[] bias, int offBias, int batch, boolean relu) {
        set(out, offOut, in, offIn, weight, offWeight, bias, offBias, batch);
        this.relu = relu;
        try {
            run(batch * g.groups() * rowBlocks, forwardTask);
        } finally {
            clear();
        }
    }

    // out[n][k][p][q] = relu(bias[k] + sum_t weight[k][t] * planes[tap t of (p, q)])
    private void forwardTask(int task) {
        int block = task % rowBlocks;
        int group = task / rowBlocks % g.groups();
        int n = task / rowBlocks / g.groups();
        int p0 = (int) ((long) block * g.outHeight() / rowBlocks);
        int p1 = (int) ((long) (block + 1) * g.outHeight() / rowBlocks);
        int yFirst = p0 * g.strideHeight();
        int yEnd = Math.min(planes.paddedHeight, (p1 - 1) * g.strideHeight() + (g.kernelHeight() - 1) * g.dilationHeight() + 1);
        int slot = scratch.acquire();
        try {
            float[] buf = scratch.array(slot, 0);
            planes.fill(buf, in, offIn + n * g.inputSize(), group * cg, cg, yFirst, yEnd);
            int plane = g.outHeight() * g.outWidth();
            for (int k = group * kg; k < (group + 1) * kg; k += TILE) {
                int kLast = Math.min(k + TILE, (group + 1) * kg) - 1;
                for (int p = p0; p < p1; p++) {
                    int base = p * g.strideHeight() * planes.rowLength;
                    int dst = offOut + (n * g.outChannels() + k) * plane + p * g.outWidth();
                    forwardRow(buf, base, k, kLast, dst, plane);
                }
            }
        } finally {
            scratch.release(slot);
        }
    }

    /** One output row of channels [k, kLast] (at most 4): a tile of 4 channels x 1 vector. */
    private void forwardRow(float[] buf, int base, int k, int kLast, int dst, int plane) {
        int k1 = Math.min(k + 1, kLast);
        int k2 = Math.min(k + 2, kLast);
        int k3 = Math.min(k + 3, kLast);
        int w0 = offWeight + k * rl;
        int w1 = offWeight + k1 * rl;
        int w2 = offWeight + k2 * rl;
        int w3 = offWeight + k3 * rl;
        int width = g.outWidth();
        for (int q = 0; q < width; q += F.length()) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int t = 0; t < rl; t++) {
                FloatVector x = FloatVector.fromArray(F, buf, base + tapOffset[t] + q);
                a0 = x.fma(FloatVector.broadcast(F, weight[w0 + t]), a0);
                a1 = x.fma(FloatVector.broadcast(F, weight[w1 + t]), a1);
                a2 = x.fma(FloatVector.broadcast(F, weight[w2 + t]), a2);
                a3 = x.fma(FloatVector.broadcast(F, weight[w3 + t]), a3);
            }
            VectorMask<Float> lanes = F.indexInRange(q, width);
            store(a0, k, dst + q, lanes);
            if (k1 > k) {
                store(a1, k1, dst + plane + q, lanes);
            }
            if (k2 > k1) {
                store(a2, k2, dst + 2 * plane + q, lanes);
            }
            if (k3 > k2) {
                store(a3, k3, dst + 3 * plane + q, lanes);
            }
        }
    }

    private void store(FloatVector sum, int k, int index, VectorMask<Float> lanes) {
        FloatVector v = bias == null ? sum : sum.add(bias[offBias + k]);
        if (relu) {
            v = v.max(0f);
        }
        v.intoArray(out, index, lanes);
    }

    @Override
    public void backwardData(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                             float[] weight, int offWeight, int batch) {
        // out = gradIn, in = gradOut for the duration of the pass
        set(gradIn, offGradIn, gradOut, offGradOut, weight, offWeight, null, 0, batch);
        try {
            run(batch * g.groups(), dataTask);
        } finally {
            clear();
        }
    }

    // padded gradIn[tap t of (p, q)] += sum_k weight[k][t] * gradOut[n][k][p][q], then the interior out
    private void dataTask(int task) {
        int group = task % g.groups();
        int n = task / g.groups();
        int plane = g.outHeight() * g.outWidth();
        int width = g.outWidth();
        int slot = scratch.acquire();
        try {
            float[] buf = scratch.array(slot, 0);
            PanamaRows.zero(buf, 0, planes.size(cg));
            int grad = offIn + (n * g.outChannels() + group * kg) * plane;
            for (int t = 0; t < rl; t++) {
                for (int p = 0; p < g.outHeight(); p++) {
                    int base = p * g.strideHeight() * planes.rowLength + tapOffset[t];
                    int row = grad + p * width;
                    for (int q = 0; q < width; q += F.length()) {
                        VectorMask<Float> lanes = F.indexInRange(q, width);
                        FloatVector acc = FloatVector.fromArray(F, buf, base + q, lanes);
                        for (int k = 0; k < kg; k++) {
                            FloatVector dy = FloatVector.fromArray(F, in, row + k * plane + q, lanes);
                            acc = dy.fma(FloatVector.broadcast(F, weight[offWeight + (group * kg + k) * rl + t]), acc);
                        }
                        acc.intoArray(buf, base + q, lanes);
                    }
                }
            }
            planes.extract(out, offOut + n * g.inputSize(), group * cg, cg, buf);
        } finally {
            scratch.release(slot);
        }
    }

    @Override
    public void backwardWeights(float[] gradWeight, int offGradWeight, float[] gradBias, int offGradBias,
                                float[] gradOut, int offGradOut, float[] in, int offIn, int batch,
                                boolean accumulate) {
        // out = gradWeight, bias = gradBias, weight = gradOut for the duration of the pass
        set(gradWeight, offGradWeight, in, offIn, gradOut, offGradOut, gradBias, offGradBias, batch);
        chunks = Math.min(batch, MAX_CHUNKS);
        int stride = g.weightSize() + g.outChannels();
        if (partials.length < MAX_CHUNKS * stride) {
            partials = new float[MAX_CHUNKS * stride];
        }
        try {
            run(chunks, weightTask);
            PanamaRows.combine(gradWeight, offGradWeight, partials, 0, stride, chunks, g.weightSize(), accumulate);
            if (gradBias != null) {
                PanamaRows.combine(gradBias, offGradBias, partials, g.weightSize(), stride, chunks, g.outChannels(),
                        accumulate);
            }
        } finally {
            clear();
        }
    }

    // partial[chunk][k][t] = sum over its images and output pixels j of gradOut[n][k][j] * col[t][j]
    private void weightChunk(int chunk) {
        int n0 = (int) ((long) chunk * batch / chunks);
        int n1 = (int) ((long) (chunk + 1) * batch / chunks);
        int stride = g.weightSize() + g.outChannels();
        int partial = chunk * stride;
        PanamaRows.zero(partials, partial, stride);
        int plane = g.outHeight() * g.outWidth();
        int slot = scratch.acquire();
        try {
            float[] sums = scratch.array(slot, 1);
            float[] col = scratch.array(slot, 2);
            for (int n = n0; n < n1; n++) {
                for (int group = 0; group < g.groups(); group++) {
                    // the group's column matrix (rl, P*Q): every tap a contiguous row over all output pixels
                    IM2COL.im2col(col, 0, plane, in, offIn + (n * g.inChannels() + group * cg) * g.inHeight() * g.inWidth(),
                            groupGeometry, 0, g.outHeight());
                    int grad = offWeight + (n * g.outChannels() + group * kg) * plane;
                    for (int k = 0; k < kg; k += TILE) {
                        int kLast = Math.min(k + TILE, kg) - 1;
                        for (int t = 0; t < rl; t += 2) {
                            weightTile(col, sums, grad, k, kLast, t, Math.min(t + 2, rl) - 1,
                                    partial + (group * kg) * rl);
                        }
                    }
                }
                if (bias != null) {
                    for (int k = 0; k < g.outChannels(); k++) {
                        partials[partial + g.weightSize() + k] +=
                                PanamaRows.sum(weight, offWeight + (n * g.outChannels() + k) * plane, plane);
                    }
                }
            }
        } finally {
            scratch.release(slot);
        }
    }

    /**
     * partials[dst + k*rl + t] += dot(gradOut row k, col row t) over one image for the 4 x 2 tile
     * at (k, t): the whole vectors, then the tail (each in its own loop, so that the hot loop has
     * no masks). Eight accumulators: a 4 x 4 tile made a method too large for C1 ("out of virtual
     * registers"), which left it interpreted, boxing every vector.
     */
    private void weightTile(float[] col, float[] sums, int grad, int k, int kLast, int t, int tLast, int dst) {
        int length = g.outHeight() * g.outWidth();
        int whole = F.loopBound(length);
        if (whole > 0) {
            weightTile(col, sums, grad, k, kLast, t, tLast, dst, 0, whole);
        }
        if (whole < length) {
            weightTile(col, sums, grad, k, kLast, t, tLast, dst, whole, length);
        }
    }

    /** The tile over output pixels [first, end), loads masked to them. */
    private void weightTile(float[] col, float[] sums, int grad, int k, int kLast, int t, int tLast, int dst,
                            int first, int end) {
        // all lanes for whole vectors; made here, not passed in, so that C2 does not box it
        VectorMask<Float> lanes = F.indexInRange(first, end);
        int plane = g.outHeight() * g.outWidth();
        int k1 = Math.min(k + 1, kLast);
        int k2 = Math.min(k + 2, kLast);
        int k3 = Math.min(k + 3, kLast);
        int t1 = Math.min(t + 1, tLast);
        int x0 = t * plane;
        int x1 = t1 * plane;
        int d0 = grad + k * plane;
        int d1 = grad + k1 * plane;
        int d2 = grad + k2 * plane;
        int d3 = grad + k3 * plane;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int j = first; j < end; j += F.length()) {
            FloatVector c0 = FloatVector.fromArray(F, col, x0 + j, lanes);
            FloatVector c1 = FloatVector.fromArray(F, col, x1 + j, lanes);
            FloatVector dy = FloatVector.fromArray(F, weight, d0 + j, lanes);
            a00 = dy.fma(c0, a00);
            a01 = dy.fma(c1, a01);
            dy = FloatVector.fromArray(F, weight, d1 + j, lanes);
            a10 = dy.fma(c0, a10);
            a11 = dy.fma(c1, a11);
            dy = FloatVector.fromArray(F, weight, d2 + j, lanes);
            a20 = dy.fma(c0, a20);
            a21 = dy.fma(c1, a21);
            dy = FloatVector.fromArray(F, weight, d3 + j, lanes);
            a30 = dy.fma(c0, a30);
            a31 = dy.fma(c1, a31);
        }
        // the accumulators go through memory: a helper taking them as arguments could be left
        // un-inlined by C2, which would then box them
        int v = F.length();
        a00.intoArray(sums, 0);
        a01.intoArray(sums, v);
        a10.intoArray(sums, 2 * v);
        a11.intoArray(sums, 3 * v);
        a20.intoArray(sums, 4 * v);
        a21.intoArray(sums, 5 * v);
        a30.intoArray(sums, 6 * v);
        a31.intoArray(sums, 7 * v);
        addTile(sums, dst, k, k1, k2, k3, t, t1);
    }

    /**
     * partials[dst + k_i*rl + t_j] += the lane sum (in lane order) of accumulator (i, j), stored at
     * sums[(2i + j) * lanes]; repeated channels and taps (tile tails) are skipped.
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
        partials[row + t0] += laneSum(sums, accumulator * F.length());
        if (t1 > t0) {
            partials[row + t1] += laneSum(sums, (accumulator + 1) * F.length());
        }
    }

    private static float laneSum(float[] sums, int at) {
        float sum = sums[at];
        for (int l = 1; l < F.length(); l++) {
            sum += sums[at + l];
        }
        return sum;
    }

    private void set(float[] out, int offOut, float[] in, int offIn, float[] weight, int offWeight,
                     float[] bias, int offBias, int batch) {
        this.out = out;
        this.offOut = offOut;
        this.in = in;
        this.offIn = offIn;
        this.weight = weight;
        this.offWeight = offWeight;
        this.bias = bias;
        this.offBias = offBias;
        this.batch = batch;
    }

    private void clear() {
        set(null, 0, null, 0, null, 0, null, 0, 0);
    }

    private void run(int count, Parallel.Task task) {
        scratch.ensure();
        if (count == 1) {
            task.run(0);
        } else {
            Parallel.forEach(count, task);
        }
    }

    @Override
    public long workspaceBytes() {
        return scratch.bytes() + (long) partials.length * Float.BYTES;
    }
}
