package dev.lanes.kernels.panama.pool;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.PoolGeometry;
import dev.lanes.kernels.panama.support.PanamaRows;

/**
 * One pooling call split into tasks over planes. Reused by its thread (a pooling kernel never
 * starts another on the same thread while it runs); out and in are the destination and the
 * source of the op (for backward, gradIn and gradOut).
 */
final class PoolCall implements Parallel.Task {
    enum Op {
        MAX_FORWARD, MAX_BACKWARD, AVG_FORWARD, AVG_BACKWARD, GLOBAL_MAX_FORWARD, GLOBAL_MAX_BACKWARD,
        GLOBAL_AVG_FORWARD, GLOBAL_AVG_BACKWARD
    }

    /** The calling thread's reusable call: a capturing lambda per call would allocate every time. */
    static final ThreadLocal<PoolCall> CALLS = ThreadLocal.withInitial(PoolCall::new);

    /** The calling thread's call, set up for op on out (and argmax) from in. */
    static PoolCall prepare(Op op, float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn) {
        PoolCall call = CALLS.get();
        call.op = op;
        call.out = out;
        call.offOut = offOut;
        call.argmax = argmax;
        call.offArgmax = offArgmax;
        call.in = in;
        call.offIn = offIn;
        return call;
    }

    Op op;
    float[] out;
    int offOut;
    int[] argmax;
    int offArgmax;
    float[] in;
    int offIn;
    PoolGeometry g;
    /** Elements per plane of the global ops. */
    int plane;
    int planes;
    int count;
    /** countIncludePad of the average ops. */
    boolean flag;

    @Override
    public void run(int task) {
        int first = (int) ((long) task * planes / count);
        int last = (int) ((long) (task + 1) * planes / count);
        switch (op) {
            case MAX_FORWARD -> PanamaPool2d.maxForwardPlanes(this, first, last);
            case MAX_BACKWARD -> PanamaPool2d.maxBackwardPlanes(this, first, last);
            case AVG_FORWARD -> PanamaPool2d.avgForwardPlanes(this, first, last);
            case AVG_BACKWARD -> PanamaPool2d.avgBackwardPlanes(this, first, last);
            case GLOBAL_MAX_FORWARD -> PanamaGlobalPool.globalMaxForwardPlanes(this, first, last);
            case GLOBAL_MAX_BACKWARD -> PanamaGlobalPool.globalMaxBackwardPlanes(this, first, last);
            case GLOBAL_AVG_FORWARD -> {
                for (int i = first; i < last; i++) {
                    out[offOut + i] = PanamaRows.sum(in, offIn + i * plane, plane) / plane;
                }
            }
            default -> {
                for (int i = first; i < last; i++) {
                    PanamaRows.fill(out, offOut + i * plane, plane, in[offIn + i] / plane);
                }
            }
        }
    }
}
