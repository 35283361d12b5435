package dev.lanes.kernels.panama.conv;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.spi.Conv2dKernel;

/**
 * What the two convolution plans (direct and im2col + GEMM) share: the task contexts of the three
 * passes, each holding its pass's arguments under their own names, set once per pass (a plan
 * makes one of each, so a pass allocates nothing); the per-chunk partial weight gradients; and
 * running a pass's tasks after the thread scratch is in place.
 */
abstract class ConvPass implements Conv2dKernel.Plan {
    /** Partial weight and bias gradients, one block of floats per chunk. */
    float[] partials = new float[0];

    /** The per-thread scratch of this plan's tasks. */
    abstract ScratchSlots scratch();

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

    /** The forward pass: out = relu?(conv(in, weight) + bias). */
    abstract static class Forward implements Parallel.Task {
        float[] out;
        int offOut;
        float[] in;
        int offIn;
        float[] weight;
        int offWeight;
        /** Null for no bias. */
        float[] bias;
        int offBias;
        int batch;
        boolean relu;

        final void set(float[] out, int offOut, float[] in, int offIn, float[] weight, int offWeight, float[] bias,
                       int offBias, int batch, boolean relu) {
            this.out = out;
            this.offOut = offOut;
            this.in = in;
            this.offIn = offIn;
            this.weight = weight;
            this.offWeight = offWeight;
            this.bias = bias;
            this.offBias = offBias;
            this.batch = batch;
            this.relu = relu;
        }

        /** Drops the references to the caller's arrays once the pass is over. */
        final void clear() {
            out = null;
            in = null;
            weight = null;
            bias = null;
        }
    }

    /** The data gradient: gradIn = the transposed convolution of gradOut with weight. */
    abstract static class Data implements Parallel.Task {
        float[] gradIn;
        int offGradIn;
        float[] gradOut;
        int offGradOut;
        float[] weight;
        int offWeight;
        int batch;

        final void set(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, float[] weight, int offWeight,
                       int batch) {
            this.gradIn = gradIn;
            this.offGradIn = offGradIn;
            this.gradOut = gradOut;
            this.offGradOut = offGradOut;
            this.weight = weight;
            this.offWeight = offWeight;
            this.batch = batch;
        }

        final void clear() {
            gradIn = null;
            gradOut = null;
            weight = null;
        }
    }

    /**
     * The weight gradient: gradWeight (+)= the sum of gradOut (x) in windows, gradBias (+)= the sums
     * of gradOut; {@link #chunks} tasks, each summing its part of the batch into its own partial.
     */
    abstract static class Weights implements Parallel.Task {
        float[] gradWeight;
        int offGradWeight;
        /** Null to skip the bias gradient. */
        float[] gradBias;
        int offGradBias;
        float[] gradOut;
        int offGradOut;
        float[] in;
        int offIn;
        int batch;
        boolean accumulate;
        int chunks;

        final void set(float[] gradWeight, int offGradWeight, float[] gradBias, int offGradBias, float[] gradOut,
                       int offGradOut, float[] in, int offIn, int batch, boolean accumulate, int chunks) {
            this.gradWeight = gradWeight;
            this.offGradWeight = offGradWeight;
            this.gradBias = gradBias;
            this.offGradBias = offGradBias;
            this.gradOut = gradOut;
            this.offGradOut = offGradOut;
            this.in = in;
            this.offIn = offIn;
            this.batch = batch;
            this.accumulate = accumulate;
            this.chunks = chunks;
        }

        final void clear() {
            gradWeight = null;
            gradBias = null;
            gradOut = null;
            in = null;
        }
    }
}
