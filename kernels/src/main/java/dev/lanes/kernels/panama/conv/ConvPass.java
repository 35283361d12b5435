package dev.lanes.kernels.panama.conv;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.spi.Conv2dKernel;

/**
 * What the two convolution plans (direct and im2col + GEMM) share: the arguments of the pass in
 * progress, kept in fields so the pool's tasks (method references made once per plan) can read
 * them without a capturing lambda per call; the per-chunk partial weight gradients; and running a
 * pass's tasks after the thread scratch is in place.
 */
abstract class ConvPass implements Conv2dKernel.Plan {
    // The pass in progress: for the weight gradient out = gradWeight, bias = gradBias and
    // weight = gradOut.
    float[] out;
    int offOut;
    float[] in;
    int offIn;
    float[] weight;
    int offWeight;
    float[] bias;
    int offBias;
    int batch;
    boolean relu;
    int chunks;
    /** Partial weight and bias gradients, one block of floats per chunk. */
    float[] partials = new float[0];

    /** The per-thread scratch of this plan's tasks. */
    abstract ScratchSlots scratch();

    final void set(float[] out, int offOut, float[] in, int offIn, float[] weight, int offWeight,
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

    /** Drops the references to the caller's arrays once a pass is over. */
    final void clear() {
        set(null, 0, null, 0, null, 0, null, 0, 0);
    }

    /** Room for {@code floats} of partials; grows once, then is reused. */
    final void ensurePartials(int floats) {
        if (partials.length < floats) {
            partials = new float[floats];
        }
    }

    /** Runs the tasks; one task runs here so that a GEMM inside it can use the threads. */
    final void run(int count, Parallel.Task task) {
        scratch().ensure();
        if (count == 1) {
            task.run(0);
        } else {
            Parallel.forEach(count, task);
        }
    }

    @Override
    public long workspaceBytes() {
        return scratch().bytes() + (long) partials.length * Float.BYTES;
    }
}
