package dev.lanes.kernels.panama.pool;

import dev.lanes.kernels.PoolGeometry;
import dev.lanes.kernels.panama.support.PanamaRows;
import dev.lanes.kernels.panama.support.RangeTask;

/**
 * The task contexts of the pooling calls on the pool, a block of (image, channel) planes per
 * task: each plane is computed alone, so the bits do not depend on the split.
 */
final class PoolTasks {
    /** Floats of input per task: enough to amortise the task, small enough to balance. */
    private static final int TASK_FLOATS = 1 << 15;

    private PoolTasks() {
    }

    private static int planesPerTask(int planeSize) {
        return Math.max(1, TASK_FLOATS / Math.max(1, planeSize));
    }

    private static int inPlane(PoolGeometry g) {
        return g.inHeight() * g.inWidth();
    }

    /** out, argmax = the max of each window of in, and its index. */
    static final class MaxForward extends RangeTask {
        private static final ThreadLocal<MaxForward> CALLS = ThreadLocal.withInitial(MaxForward::new);
        private float[] out;
        private int offOut;
        private int[] argmax;
        private int offArgmax;
        private float[] in;
        private int offIn;
        private PoolGeometry g;

        static void onPool(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn,
                           PoolGeometry g, int batch) {
            MaxForward call = CALLS.get();
            call.out = out;
            call.offOut = offOut;
            call.argmax = argmax;
            call.offArgmax = offArgmax;
            call.in = in;
            call.offIn = offIn;
            call.g = g;
            call.start(batch * g.channels(), planesPerTask(inPlane(g)));
        }

        @Override
        protected void range(int first, int end) {
            for (int plane = first; plane < end; plane++) {
                PanamaPool2d.maxPlane(out, offOut, argmax, offArgmax, in, offIn + plane * inPlane(g), g, plane);
            }
        }

        @Override
        protected void clear() {
            out = null;
            argmax = null;
            in = null;
            g = null;
        }
    }

    /** gradIn = gradOut scattered to the argmax of each window (a scatter: only the zeroing is vector code). */
    static final class MaxBackward extends RangeTask {
        private static final ThreadLocal<MaxBackward> CALLS = ThreadLocal.withInitial(MaxBackward::new);
        private float[] gradIn;
        private int offGradIn;
        private float[] gradOut;
        private int offGradOut;
        private int[] argmax;
        private int offArgmax;
        private PoolGeometry g;

        static void onPool(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int[] argmax,
                           int offArgmax, PoolGeometry g, int batch) {
            MaxBackward call = CALLS.get();
            call.gradIn = gradIn;
            call.offGradIn = offGradIn;
            call.gradOut = gradOut;
            call.offGradOut = offGradOut;
            call.argmax = argmax;
            call.offArgmax = offArgmax;
            call.g = g;
            call.start(batch * g.channels(), planesPerTask(inPlane(g)));
        }

        @Override
        protected void range(int first, int end) {
            int inPlane = inPlane(g);
            int outPlane = g.outHeight() * g.outWidth();
            for (int plane = first; plane < end; plane++) {
                int dst = offGradIn + plane * inPlane;
                PanamaRows.zero(gradIn, dst, inPlane);
                for (int i = plane * outPlane; i < (plane + 1) * outPlane; i++) {
                    gradIn[dst + argmax[offArgmax + i]] += gradOut[offGradOut + i];
                }
            }
        }

        @Override
        protected void clear() {
            gradIn = null;
            gradOut = null;
            argmax = null;
            g = null;
        }
    }

    /** out = the average of each window of in. */
    static final class AvgForward extends RangeTask {
        private static final ThreadLocal<AvgForward> CALLS = ThreadLocal.withInitial(AvgForward::new);
        private float[] out;
        private int offOut;
        private float[] in;
        private int offIn;
        private PoolGeometry g;
        private boolean countIncludePad;

        static void onPool(float[] out, int offOut, float[] in, int offIn, PoolGeometry g, int batch,
                           boolean countIncludePad) {
            AvgForward call = CALLS.get();
            call.out = out;
            call.offOut = offOut;
            call.in = in;
            call.offIn = offIn;
            call.g = g;
            call.countIncludePad = countIncludePad;
            call.start(batch * g.channels(), planesPerTask(inPlane(g)));
        }

        @Override
        protected void range(int first, int end) {
            for (int plane = first; plane < end; plane++) {
                PanamaPool2d.avgPlane(out, offOut, in, offIn + plane * inPlane(g), g, plane, countIncludePad);
            }
        }

        @Override
        protected void clear() {
            out = null;
            in = null;
            g = null;
        }
    }

    /** gradIn = each gradOut element's share spread over its window. */
    static final class AvgBackward extends RangeTask {
        private static final ThreadLocal<AvgBackward> CALLS = ThreadLocal.withInitial(AvgBackward::new);
        private float[] gradIn;
        private int offGradIn;
        private float[] gradOut;
        private int offGradOut;
        private PoolGeometry g;
        private boolean countIncludePad;

        static void onPool(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, PoolGeometry g,
                           int batch, boolean countIncludePad) {
            AvgBackward call = CALLS.get();
            call.gradIn = gradIn;
            call.offGradIn = offGradIn;
            call.gradOut = gradOut;
            call.offGradOut = offGradOut;
            call.g = g;
            call.countIncludePad = countIncludePad;
            call.start(batch * g.channels(), planesPerTask(inPlane(g)));
        }

        @Override
        protected void range(int first, int end) {
            int outPlane = g.outHeight() * g.outWidth();
            for (int plane = first; plane < end; plane++) {
                PanamaPool2d.avgBackwardPlane(gradIn, offGradIn + plane * inPlane(g), gradOut,
                        offGradOut + plane * outPlane, g, countIncludePad);
            }
        }

        @Override
        protected void clear() {
            gradIn = null;
            gradOut = null;
            g = null;
        }
    }

    /**
     * Global pooling over planes of {@code plane} floats: {@link #MAX_FORWARD} out, argmax = each
     * plane's first maximum and its index; {@link #MAX_BACKWARD} gradIn = gradOut at each plane's
     * argmax, 0 elsewhere; {@link #AVG_FORWARD} out = each plane's mean; {@link #AVG_BACKWARD}
     * gradIn = gradOut / plane over each plane.
     */
    static final class Global extends RangeTask {
        static final int MAX_FORWARD = 0;
        static final int MAX_BACKWARD = 1;
        static final int AVG_FORWARD = 2;
        static final int AVG_BACKWARD = 3;
        private static final ThreadLocal<Global> CALLS = ThreadLocal.withInitial(Global::new);
        private int op;
        /** The per-plane side: out (forward) or gradOut (backward), one float per plane. */
        private float[] perPlane;
        private int offPerPlane;
        /** The plane side: in (forward) or gradIn (backward). */
        private float[] planes;
        private int offPlanes;
        private int[] argmax;
        private int offArgmax;
        private int plane;

        static void onPool(int op, float[] perPlane, int offPerPlane, int[] argmax, int offArgmax, float[] planes,
                           int offPlanes, int count, int plane) {
            Global call = CALLS.get();
            call.op = op;
            call.perPlane = perPlane;
            call.offPerPlane = offPerPlane;
            call.argmax = argmax;
            call.offArgmax = offArgmax;
            call.planes = planes;
            call.offPlanes = offPlanes;
            call.plane = plane;
            call.start(count, planesPerTask(plane));
        }

        @Override
        protected void range(int first, int end) {
            switch (op) {
                case MAX_FORWARD -> {
                    for (int i = first; i < end; i++) {
                        int best = PanamaGlobalPool.globalMaxIndex(planes, offPlanes + i * plane, plane);
                        perPlane[offPerPlane + i] = planes[offPlanes + i * plane + best];
                        argmax[offArgmax + i] = best;
                    }
                }
                case MAX_BACKWARD -> {
                    for (int i = first; i < end; i++) {
                        PanamaRows.zero(planes, offPlanes + i * plane, plane);
                        planes[offPlanes + i * plane + argmax[offArgmax + i]] = perPlane[offPerPlane + i];
                    }
                }
                case AVG_FORWARD -> {
                    for (int i = first; i < end; i++) {
                        perPlane[offPerPlane + i] = PanamaRows.sum(planes, offPlanes + i * plane, plane) / plane;
                    }
                }
                default -> {
                    for (int i = first; i < end; i++) {
                        PanamaRows.fill(planes, offPlanes + i * plane, plane, perPlane[offPerPlane + i] / plane);
                    }
                }
            }
        }

        @Override
        protected void clear() {
            perPlane = null;
            planes = null;
            argmax = null;
        }
    }
}
