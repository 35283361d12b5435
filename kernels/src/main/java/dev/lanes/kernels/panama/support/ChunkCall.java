package dev.lanes.kernels.panama.support;

import dev.lanes.kernels.Parallel;

/**
 * The arguments of one parallel array kernel call, reused by the calling thread, so that a call
 * on the pool allocates nothing: a capturing lambda handed to {@link Parallel#forEach} is a new
 * object every call (it escapes into the pool, so C2 cannot remove it). The kernel's work per
 * task is a {@link Body}, a non-capturing lambda (one shared instance) that reads the arguments
 * from here. A kernel never starts another kernel on the same thread while its tasks run, so one
 * call object per thread suffices; {@link #run} drops the references to the caller's arrays at
 * the end.
 */
public final class ChunkCall implements Parallel.Task {
    /** The work of task {@code task}. */
    @FunctionalInterface
    public interface Body {
        void run(ChunkCall call, int task);
    }

    private static final ThreadLocal<ChunkCall> CALLS = ThreadLocal.withInitial(ChunkCall::new);

    private Body body;
    /** The operation (an activation kind, a binary op, a loop), when the body serves several. */
    public Object op;
    public float[] out;
    public int offOut;
    public float[] in;
    public int offIn;
    public float[] other;
    public int offOther;
    /** The total length, or the rows of a row-split kernel. */
    public int length;
    /** A second size (columns, rows per task, channels). */
    public int size;
    /** Leading dimensions of out, in and other for row kernels. */
    public int ld;
    public int ldIn;
    public int ldOther;
    public float p0;
    public float p1;

    private ChunkCall() {
    }

    /** The calling thread's call object, its arguments to be set before {@link #start}. */
    public static ChunkCall get(Body body, Object op) {
        ChunkCall call = CALLS.get();
        call.body = body;
        call.op = op;
        return call;
    }

    /** The calling thread's call object for a kernel from {@code in} to {@code out} over {@code length} floats. */
    public static ChunkCall get(Body body, Object op, float[] out, int offOut, float[] in, int offIn, int length) {
        ChunkCall call = get(body, op);
        call.out = out;
        call.offOut = offOut;
        call.in = in;
        call.offIn = offIn;
        call.length = length;
        return call;
    }

    /** Runs tasks [0, tasks) on the pool, then clears the references. */
    public void start(int tasks) {
        try {
            Parallel.forEach(tasks, this);
        } finally {
            body = null;
            op = null;
            out = null;
            in = null;
            other = null;
        }
    }

    @Override
    public void run(int task) {
        body.run(this, task);
    }
}
