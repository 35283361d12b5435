package dev.lanes.kernels.panama.pointwise;

import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import dev.lanes.kernels.panama.support.RangeTask;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bias addition for {@link PanamaElementwise}: a bias per channel over NCHW planes, and a bias
 * row over the rows of a matrix, in place. Long calls split into tasks of whole planes or rows on
 * the kernel pool; each element gets one addition, so the bits do not depend on the split.
 */
final class PanamaBias {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private PanamaBias() {
    }

    /** data[n][c][i] += bias[c] over (batch, channels, spatial). */
    static void channels(float[] data, int offData, float[] bias, int offBias, int batch, int channels,
                         int spatial) {
        if (spatial == 1) {
            rows(data, offData, channels, bias, offBias, batch, channels);
            return;
        }
        int planes = batch * channels;
        int planesPerTask = Math.max(1, Chunks.SIZE / spatial);
        int tasks = (planes + planesPerTask - 1) / planesPerTask;
        if ((long) planes * spatial < Chunks.MEMORY_PARALLEL || tasks == 1) {
            biasPlanes(data, offData, bias, offBias, channels, spatial, 0, planes);
            return;
        }
        Planes.onPool(data, offData, bias, offBias, channels, spatial, planes, planesPerTask);
    }

    /** The task context of {@link #channels} on the pool, a block of planes per task. */
    private static final class Planes extends RangeTask {
        private static final ThreadLocal<Planes> CALLS = ThreadLocal.withInitial(Planes::new);
        private float[] data;
        private int offData;
        private float[] bias;
        private int offBias;
        private int channels;
        private int spatial;

        static void onPool(float[] data, int offData, float[] bias, int offBias, int channels, int spatial,
                           int planes, int planesPerTask) {
            Planes call = CALLS.get();
            call.data = data;
            call.offData = offData;
            call.bias = bias;
            call.offBias = offBias;
            call.channels = channels;
            call.spatial = spatial;
            call.start(planes, planesPerTask);
        }

        @Override
        protected void range(int first, int end) {
            biasPlanes(data, offData, bias, offBias, channels, spatial, first, end);
        }

        @Override
        protected void clear() {
            data = null;
            bias = null;
        }
    }

    /**
     * Planes [first, last) of the (batch * channels, spatial) view: plane p gets bias[p % channels].
     * Planes of at least one vector run as one flat loop over the range's vectors, the bias vector
     * switched where a plane ends: a loop per plane pays C2's loop entry and exit per plane, which
     * made 16-float planes three times slower than a copy. The channel is counted, not taken as
     * p % channels per plane. Smaller planes go plane by plane.
     */
    private static void biasPlanes(float[] data, int offData, float[] bias, int offBias, int channels, int spatial,
                                   int first, int last) {
        int channel = first % channels;
        int start = offData + first * spatial;
        int length = (last - first) * spatial;
        if (spatial % F.length() == 0) {
            wholeVectorPlanes(data, start, bias, offBias, channels, spatial / F.length(), channel, length);
        } else if (spatial > F.length()) {
            straddlingPlanes(data, start, bias, offBias, channels, spatial, channel, length);
        } else {
            for (int plane = first; plane < last; plane++) {
                addScalar(data, offData + plane * spatial, bias[offBias + channel], spatial);
                channel = channel + 1 == channels ? 0 : channel + 1;
            }
        }
    }

    /**
     * Planes of {@code vectors} whole vectors each, from channel {@code channel} on. The straddling
     * loop would do, but its end-of-plane bookkeeping per vector (a mask and a blend where planes
     * are one vector) made it slower at planes of one or two vectors.
     */
    private static void wholeVectorPlanes(float[] data, int start, float[] bias, int offBias, int channels,
                                          int vectors, int channel, int length) {
        FloatVector b = FloatVector.broadcast(F, bias[offBias + channel]);
        int left = vectors;
        for (int i = 0; i < length; i += F.length()) {
            FloatVector.fromArray(F, data, start + i).add(b).intoArray(data, start + i);
            if (--left == 0) {
                left = vectors;
                channel = channel + 1 == channels ? 0 : channel + 1;
                b = FloatVector.broadcast(F, bias[offBias + channel]);
            }
        }
    }

    /**
     * Planes longer than a vector but not a whole number of vectors: the vector where a plane
     * ends takes a blend of its bias and the next plane's.
     */
    private static void straddlingPlanes(float[] data, int start, float[] bias, int offBias, int channels,
                                         int spatial, int channel, int length) {
        FloatVector b = FloatVector.broadcast(F, bias[offBias + channel]);
        // Lanes left in the current plane from position i: more than a vector except where it ends.
        int left = spatial;
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, data, start + i);
            if (left > F.length()) {
                v.add(b).intoArray(data, start + i);
                left -= F.length();
                continue;
            }
            channel = channel + 1 == channels ? 0 : channel + 1;
            FloatVector next = FloatVector.broadcast(F, bias[offBias + channel]);
            v.add(next.blend(b, F.indexInRange(0, left))).intoArray(data, start + i);
            left += spatial - F.length();
            b = next;
        }
        // The tail lies in the last plane: it is shorter than a vector, the plane longer.
        if (i < length && PanamaTail.fits(data, start + i)) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, data, start + i, m).add(b).intoArray(data, start + i, m);
        } else {
            // no masked access past the end of data (see PanamaTail); a float add rounds alike
            float value = bias[offBias + channel];
            for (; i < length; i++) {
                data[start + i] += value;
            }
        }
    }

    private static void addScalar(float[] data, int offset, float value, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, data, offset + i).add(value).intoArray(data, offset + i);
        }
        if (i < length && PanamaTail.fits(data, offset + i)) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, data, offset + i, m).add(value).intoArray(data, offset + i, m);
        } else {
            // no masked access past the end of data (see PanamaTail); a float add rounds alike
            for (; i < length; i++) {
                data[offset + i] += value;
            }
        }
    }

    /** data[r][j] += bias[j] over (rows, cols), rows ld apart. */
    static void rows(float[] data, int offData, int ld, float[] bias, int offBias, int rows, int cols) {
        int rowsPerTask = Math.max(1, Chunks.SIZE / cols);
        int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
        if ((long) rows * cols < Chunks.MEMORY_PARALLEL || tasks == 1) {
            biasRows(data, offData, ld, bias, offBias, 0, rows, cols);
            return;
        }
        Rows.onPool(data, offData, ld, bias, offBias, rows, cols, rowsPerTask);
    }

    /** The task context of {@link #rows} on the pool, a block of rows per task. */
    private static final class Rows extends RangeTask {
        private static final ThreadLocal<Rows> CALLS = ThreadLocal.withInitial(Rows::new);
        private float[] data;
        private int offData;
        private int ld;
        private float[] bias;
        private int offBias;
        private int cols;

        static void onPool(float[] data, int offData, int ld, float[] bias, int offBias, int rows, int cols,
                           int rowsPerTask) {
            Rows call = CALLS.get();
            call.data = data;
            call.offData = offData;
            call.ld = ld;
            call.bias = bias;
            call.offBias = offBias;
            call.cols = cols;
            call.start(rows, rowsPerTask);
        }

        @Override
        protected void range(int first, int end) {
            biasRows(data, offData, ld, bias, offBias, first, end, cols);
        }

        @Override
        protected void clear() {
            data = null;
            bias = null;
        }
    }

    private static void biasRows(float[] data, int offData, int ld, float[] bias, int offBias, int first, int last,
                                 int cols) {
        for (int r = first; r < last; r++) {
            int row = offData + r * ld;
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
                FloatVector.fromArray(F, data, row + j).add(FloatVector.fromArray(F, bias, offBias + j))
                        .intoArray(data, row + j);
            }
            if (j < cols && PanamaTail.fits(data, row + j) && PanamaTail.fits(bias, offBias + j)) {
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector.fromArray(F, data, row + j, m).add(FloatVector.fromArray(F, bias, offBias + j, m))
                        .intoArray(data, row + j, m);
            } else {
                // no masked access past an array's end (see PanamaTail); a float add rounds alike
                for (; j < cols; j++) {
                    data[row + j] += bias[offBias + j];
                }
            }
        }
    }
}
