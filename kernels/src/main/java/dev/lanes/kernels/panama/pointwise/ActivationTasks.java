package dev.lanes.kernels.panama.pointwise;

import dev.lanes.kernels.panama.support.ChunkedMap;
import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.support.RangeTask;

/** The task contexts of long activation calls on the pool: a chunk per task. */
final class ActivationTasks {
    private ActivationTasks() {
    }

    /** out = f(in), f the activation of the loop and its parameter. */
    static final class Forward extends ChunkedMap {
        private static final ThreadLocal<Forward> CALLS = ThreadLocal.withInitial(Forward::new);
        private ActivationLoop loop;
        private float parameter;

        static void onPool(ActivationLoop loop, float parameter, float[] out, int offOut, float[] in, int offIn,
                           int length) {
            Forward call = CALLS.get();
            call.loop = loop;
            call.parameter = parameter;
            call.map(out, offOut, in, offIn, length);
        }

        @Override
        protected void span(float[] out, int offOut, float[] in, int offIn, int length) {
            PanamaActivations.span(loop, parameter, out, offOut, in, offIn, length);
        }
    }

    /** gradIn = gradOut * f'(saved). */
    static final class Backward extends RangeTask {
        private static final ThreadLocal<Backward> CALLS = ThreadLocal.withInitial(Backward::new);
        private ActivationLoop loop;
        private float parameter;
        private float[] gradIn;
        private int offGradIn;
        private float[] gradOut;
        private int offGradOut;
        private float[] saved;
        private int offSaved;

        static void onPool(ActivationLoop loop, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                           int offGradOut, float[] saved, int offSaved, int length) {
            Backward call = CALLS.get();
            call.loop = loop;
            call.parameter = parameter;
            call.gradIn = gradIn;
            call.offGradIn = offGradIn;
            call.gradOut = gradOut;
            call.offGradOut = offGradOut;
            call.saved = saved;
            call.offSaved = offSaved;
            call.start(length, Chunks.SIZE);
        }

        @Override
        protected void range(int first, int end) {
            PanamaActivations.backwardSpan(loop, parameter, gradIn, offGradIn + first, gradOut, offGradOut + first,
                    saved, offSaved + first, end - first);
        }

        @Override
        protected void clear() {
            gradIn = null;
            gradOut = null;
            saved = null;
        }
    }
}
