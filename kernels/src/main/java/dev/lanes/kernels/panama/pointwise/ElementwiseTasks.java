package dev.lanes.kernels.panama.pointwise;

import dev.lanes.kernels.panama.support.ChunkedMap;
import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.support.RangeTask;
import dev.lanes.kernels.spi.ElementwiseKernel;

/** The task contexts of long {@link PanamaElementwise} calls on the pool: a chunk per task. */
final class ElementwiseTasks {
    private ElementwiseTasks() {
    }

    /** out = in. */
    static final class Copy extends ChunkedMap {
        private static final ThreadLocal<Copy> CALLS = ThreadLocal.withInitial(Copy::new);

        static void onPool(float[] out, int offOut, float[] in, int offIn, int length) {
            CALLS.get().map(out, offOut, in, offIn, length);
        }

        @Override
        protected void span(float[] out, int offOut, float[] in, int offIn, int length) {
            PanamaElementwise.copySpan(out, offOut, in, offIn, length);
        }
    }

    /** out = op(in). */
    static final class Unary extends ChunkedMap {
        private static final ThreadLocal<Unary> CALLS = ThreadLocal.withInitial(Unary::new);
        private ElementwiseKernel.Unary op;

        static void onPool(ElementwiseKernel.Unary op, float[] out, int offOut, float[] in, int offIn, int length) {
            Unary call = CALLS.get();
            call.op = op;
            call.map(out, offOut, in, offIn, length);
        }

        @Override
        protected void span(float[] out, int offOut, float[] in, int offIn, int length) {
            PanamaElementwise.unarySpan(op, out, offOut, in, offIn, length);
        }
    }

    /** out = alpha in. */
    static final class Scale extends ChunkedMap {
        private static final ThreadLocal<Scale> CALLS = ThreadLocal.withInitial(Scale::new);
        private float alpha;

        static void onPool(float[] out, int offOut, float alpha, float[] in, int offIn, int length) {
            Scale call = CALLS.get();
            call.alpha = alpha;
            call.map(out, offOut, in, offIn, length);
        }

        @Override
        protected void span(float[] out, int offOut, float[] in, int offIn, int length) {
            PanamaElementwise.scaleSpan(out, offOut, alpha, in, offIn, length);
        }
    }

    /** out = min(max(in, min), max). */
    static final class Clip extends ChunkedMap {
        private static final ThreadLocal<Clip> CALLS = ThreadLocal.withInitial(Clip::new);
        private float min;
        private float max;

        static void onPool(float[] out, int offOut, float[] in, int offIn, float min, float max, int length) {
            Clip call = CALLS.get();
            call.min = min;
            call.max = max;
            call.map(out, offOut, in, offIn, length);
        }

        @Override
        protected void span(float[] out, int offOut, float[] in, int offIn, int length) {
            PanamaElementwise.clipSpan(out, offOut, in, offIn, min, max, length);
        }
    }

    /** y += alpha x (y is the map's output, x its input). */
    static final class Axpy extends ChunkedMap {
        private static final ThreadLocal<Axpy> CALLS = ThreadLocal.withInitial(Axpy::new);
        private float alpha;

        static void onPool(float[] y, int offY, float alpha, float[] x, int offX, int length) {
            Axpy call = CALLS.get();
            call.alpha = alpha;
            call.map(y, offY, x, offX, length);
        }

        @Override
        protected void span(float[] y, int offY, float[] x, int offX, int length) {
            PanamaElementwise.axpySpan(y, offY, alpha, x, offX, length);
        }
    }

    /** out = a op b. */
    static final class Binary extends RangeTask {
        private static final ThreadLocal<Binary> CALLS = ThreadLocal.withInitial(Binary::new);
        private ElementwiseKernel.Binary op;
        private float[] out;
        private int offOut;
        private float[] a;
        private int offA;
        private float[] b;
        private int offB;

        static void onPool(ElementwiseKernel.Binary op, float[] out, int offOut, float[] a, int offA, float[] b,
                           int offB, int length) {
            Binary call = CALLS.get();
            call.op = op;
            call.out = out;
            call.offOut = offOut;
            call.a = a;
            call.offA = offA;
            call.b = b;
            call.offB = offB;
            call.start(length, Chunks.SIZE);
        }

        @Override
        protected void range(int first, int end) {
            PanamaElementwise.binarySpan(op, out, offOut + first, a, offA + first, b, offB + first, end - first);
        }

        @Override
        protected void clear() {
            out = null;
            a = null;
            b = null;
        }
    }
}
