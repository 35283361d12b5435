package dev.lanes.kernels.internal;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution for the shapes where im2col + GEMM degenerates: a short reduction (a first
 * layer with one input channel has K = 9 or 25) or very few output channels per group (depthwise).
 *
 * <p>Each task copies its image's group channels into {@link PaddedPlanes}, where every kernel tap
 * of a row of outputs is a contiguous run, so the loops are plain vector FMAs over output columns:
 * <ul>
 * <li>forward: 4 output channels x 1 vector of columns per tile, one tap at a time; tasks are
 * (image, group, block of output rows).</li>
 * <li>weight gradient: 4 output channels x 4 taps of dot products per tile; chunks of images (a
 * count set by the batch, not the threads) sum into their own partial, added in chunk order.</li>
 * <li>data gradient: each tap scattered into a padded gradient copy, then the interior copied
 * out; tasks are (image, group).</li>
 * </ul>
 * Tile tails compute with a repeated last channel or tap and do not store it.
 */
final class PanamaDirectConvPlan implements Conv2dKernel.Plan {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
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

    /** Whether the direct loops beat im2col + GEMM: a short reduction or a sliver of output channels. */
    static boolean suits(ConvGeometry g) {
        return g.reductionLength() <= 32 || g.outChannelsPerGroup() < TILE;
    }

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
        scratch = new ScratchSlots(planes.size(cg));
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

    // partial[chunk][k][t] = sum over its images, p, q of gradOut[n][k][p][q] * planes[tap t of (p, q)]
    private void weightChunk(int chunk) {
        int n0 = (int) ((long) chunk * batch / chunks);
        int n1 = (int) ((long) (chunk + 1) * batch / chunks);
        int stride = g.weightSize() + g.outChannels();
        int partial = chunk * stride;
        PanamaRows.zero(partials, partial, stride);
        int plane = g.outHeight() * g.outWidth();
        int slot = scratch.acquire();
        try {
            float[] buf = scratch.array(slot, 0);
            for (int n = n0; n < n1; n++) {
                for (int group = 0; group < g.groups(); group++) {
                    planes.fill(buf, in, offIn + n * g.inputSize(), group * cg, cg, 0, planes.paddedHeight);
                    int grad = offWeight + (n * g.outChannels() + group * kg) * plane;
                    for (int k = 0; k < kg; k += TILE) {
                        int kLast = Math.min(k + TILE, kg) - 1;
                        for (int t = 0; t < rl; t += TILE) {
                            weightTile(buf, grad, k, kLast, t, Math.min(t + TILE, rl) - 1,
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
     * partials[dst + k*rl + t] += dot(gradOut row k, tap t) over one image for the 4 x 4 tile at
     * (k, t): the whole vectors of every row, then the tail columns (each in its own loop, so
     * that the hot loop has no masks and stays small enough for C2 to keep the sixteen
     * accumulators in registers).
     */
    private void weightTile(float[] buf, int grad, int k, int kLast, int t, int tLast, int dst) {
        int width = g.outWidth();
        int whole = F.loopBound(width);
        if (whole > 0) {
            weightTile(buf, grad, k, kLast, t, tLast, dst, 0, whole);
        }
        if (whole < width) {
            weightTile(buf, grad, k, kLast, t, tLast, dst, whole, width);
        }
    }

    /** The tile over output columns [qFirst, qEnd) of every row, loads masked to the columns. */
    private void weightTile(float[] buf, int grad, int k, int kLast, int t, int tLast, int dst,
                            int qFirst, int qEnd) {
        // all lanes for whole vectors; made here, not passed in, so that C2 does not box it
        VectorMask<Float> lanes = F.indexInRange(qFirst, qEnd);
        int plane = g.outHeight() * g.outWidth();
        int width = g.outWidth();
        int k1 = Math.min(k + 1, kLast);
        int k2 = Math.min(k + 2, kLast);
        int k3 = Math.min(k + 3, kLast);
        int t1 = Math.min(t + 1, tLast);
        int t2 = Math.min(t + 2, tLast);
        int t3 = Math.min(t + 3, tLast);
        int o0 = tapOffset[t];
        int o1 = tapOffset[t1];
        int o2 = tapOffset[t2];
        int o3 = tapOffset[t3];
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int p = 0; p < g.outHeight(); p++) {
            int base = p * g.strideHeight() * planes.rowLength;
            int row = grad + p * width;
            for (int q = qFirst; q < qEnd; q += F.length()) {
                FloatVector x0 = FloatVector.fromArray(F, buf, base + o0 + q, lanes);
                FloatVector x1 = FloatVector.fromArray(F, buf, base + o1 + q, lanes);
                FloatVector x2 = FloatVector.fromArray(F, buf, base + o2 + q, lanes);
                FloatVector x3 = FloatVector.fromArray(F, buf, base + o3 + q, lanes);
                FloatVector dy = FloatVector.fromArray(F, weight, row + k * plane + q, lanes);
                a00 = dy.fma(x0, a00);
                a01 = dy.fma(x1, a01);
                a02 = dy.fma(x2, a02);
                a03 = dy.fma(x3, a03);
                dy = FloatVector.fromArray(F, weight, row + k1 * plane + q, lanes);
                a10 = dy.fma(x0, a10);
                a11 = dy.fma(x1, a11);
                a12 = dy.fma(x2, a12);
                a13 = dy.fma(x3, a13);
                dy = FloatVector.fromArray(F, weight, row + k2 * plane + q, lanes);
                a20 = dy.fma(x0, a20);
                a21 = dy.fma(x1, a21);
                a22 = dy.fma(x2, a22);
                a23 = dy.fma(x3, a23);
                dy = FloatVector.fromArray(F, weight, row + k3 * plane + q, lanes);
                a30 = dy.fma(x0, a30);
                a31 = dy.fma(x1, a31);
                a32 = dy.fma(x2, a32);
                a33 = dy.fma(x3, a33);
            }
        }
        // repeated channels and taps (tile tails) are computed but not stored
        int r0 = dst + k * rl;
        partials[r0 + t] += PanamaRows.sumLanes(a00);
        partials[r0 + t1] += t1 > t ? PanamaRows.sumLanes(a01) : 0f;
        partials[r0 + t2] += t2 > t1 ? PanamaRows.sumLanes(a02) : 0f;
        partials[r0 + t3] += t3 > t2 ? PanamaRows.sumLanes(a03) : 0f;
        if (k1 > k) {
            int r1 = dst + k1 * rl;
            partials[r1 + t] += PanamaRows.sumLanes(a10);
            partials[r1 + t1] += t1 > t ? PanamaRows.sumLanes(a11) : 0f;
            partials[r1 + t2] += t2 > t1 ? PanamaRows.sumLanes(a12) : 0f;
            partials[r1 + t3] += t3 > t2 ? PanamaRows.sumLanes(a13) : 0f;
        }
        if (k2 > k1) {
            int r2 = dst + k2 * rl;
            partials[r2 + t] += PanamaRows.sumLanes(a20);
            partials[r2 + t1] += t1 > t ? PanamaRows.sumLanes(a21) : 0f;
            partials[r2 + t2] += t2 > t1 ? PanamaRows.sumLanes(a22) : 0f;
            partials[r2 + t3] += t3 > t2 ? PanamaRows.sumLanes(a23) : 0f;
        }
        if (k3 > k2) {
            int r3 = dst + k3 * rl;
            partials[r3 + t] += PanamaRows.sumLanes(a30);
            partials[r3 + t1] += t1 > t ? PanamaRows.sumLanes(a31) : 0f;
            partials[r3 + t2] += t2 > t1 ? PanamaRows.sumLanes(a32) : 0f;
            partials[r3 + t3] += t3 > t2 ? PanamaRows.sumLanes(a33) : 0f;
        }
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
