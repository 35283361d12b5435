package dev.lanes.kernels.panama.support;

/**
 * The task context of a long call out = f(in) on the pool, a fixed {@link Chunks} chunk per
 * task: the two arrays here, the parameters of f in the fields of the subclass.
 */
public abstract class ChunkedMap extends RangeTask {
    private float[] out;
    private int offOut;
    private float[] in;
    private int offIn;

    /** Runs f over {@code length} elements from in[offIn] to out[offOut], its parameters set. */
    protected final void map(float[] out, int offOut, float[] in, int offIn, int length) {
        this.out = out;
        this.offOut = offOut;
        this.in = in;
        this.offIn = offIn;
        start(length, Chunks.SIZE);
    }

    @Override
    protected final void range(int first, int end) {
        span(out, offOut + first, in, offIn + first, end - first);
    }

    /** f over one chunk. */
    protected abstract void span(float[] out, int offOut, float[] in, int offIn, int length);

    @Override
    protected final void clear() {
        out = null;
        in = null;
    }
}
