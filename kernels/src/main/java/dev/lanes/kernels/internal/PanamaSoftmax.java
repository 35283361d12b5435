package dev.lanes.kernels.internal;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.MAX;

import dev.lanes.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector softmax, one row at a time: a max pass, an exp-and-sum pass (which stores e^(x - m) for
 * softmax), then a scaling pass. Row sums accumulate in one vector of lanes, which are then added
 * in a fixed pairwise order ({@link #laneSum}) rather than by reduceLanes, whose order may differ
 * between the interpreter and compiled code. Matrices of at least 64K elements are split by rows
 * over the kernel pool; each row's arithmetic is the same whichever thread runs it.
 */
public final class PanamaSoftmax implements SoftmaxKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final int PARALLEL_ELEMENTS = 1 << 16;
    /** Rows per task: about 16K elements, so a task is worth a hand-off. */
    private static final int TASK_ELEMENTS = 1 << 14;

    @Override
    public void softmax(boolean log, float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn,
                        int rows, int cols) {
        int rowsPerTask = Math.max(1, TASK_ELEMENTS / cols);
        int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
        if ((long) rows * cols < PARALLEL_ELEMENTS || tasks == 1) {
            softmaxRows(log, out, offOut, ldOut, in, offIn, ldIn, 0, rows, cols);
            return;
        }
        Parallel.forEach(tasks, task -> {
            int first = task * rowsPerTask;
            int last = Math.min(rows, first + rowsPerTask);
            softmaxRows(log, out, offOut, ldOut, in, offIn, ldIn, first, last, cols);
        });
    }

    @Override
    public void backward(boolean log, float[] gradIn, int offGradIn, int ldGradIn, float[] gradOut, int offGradOut,
                         int ldGradOut, float[] out, int offOut, int ldOut, int rows, int cols) {
        int rowsPerTask = Math.max(1, TASK_ELEMENTS / cols);
        int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
        if ((long) rows * cols < PARALLEL_ELEMENTS || tasks == 1) {
            backwardRows(log, gradIn, offGradIn, ldGradIn, gradOut, offGradOut, ldGradOut, out, offOut, ldOut,
                    0, rows, cols);
            return;
        }
        Parallel.forEach(tasks, task -> {
            int first = task * rowsPerTask;
            int last = Math.min(rows, first + rowsPerTask);
            backwardRows(log, gradIn, offGradIn, ldGradIn, gradOut, offGradOut, ldGradOut, out, offOut, ldOut,
                    first, last, cols);
        });
    }

    private static void softmaxRows(boolean log, float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn,
                                    int first, int last, int cols) {
        float[] lanes = new float[F.length()];
        float[] sums = new float[2];
        for (int r = first; r < last; r++) {
            int x = offIn + r * ldIn;
            int y = offOut + r * ldOut;
            float max = rowMax(in, x, cols);
            expSum(log ? null : out, y, in, x, cols, max, lanes, sums);
            float maxima = sums[0];
            float rest = sums[1];
            if (log) {
                // ln(k + T) = ln k + ln(1 + T/k): T keeps its bits even when k + T would round them off.
                float logSum = (float) (Math.log(maxima) + Math.log1p(rest / maxima));
                shiftRow(out, y, in, x, cols, max, logSum);
            } else {
                scaleRow(out, y, cols, 1f / (maxima + rest));
            }
        }
    }

    /** The row maximum with Math.max semantics (a NaN wins); lanewise MAX is exact in any order. */
    private static float rowMax(float[] in, int x, int cols) {
        FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
            max = max.lanewise(MAX, FloatVector.fromArray(F, in, x + j));
        }
        if (j < cols) {
            VectorMask<Float> tail = F.indexInRange(j, cols);
            max = max.lanewise(MAX, FloatVector.fromArray(F, in, x + j, tail), tail);
        }
        return max.reduceLanes(MAX);
    }

    /**
     * Sums e^(in_j - max) as k + T: k counts the entries equal to a finite max (whose exponential
     * is exactly 1) and T adds the others, so that ln(k + T) can be taken without losing T to
     * rounding next to k (log-softmax of a confident row). Stores the exponentials into out
     * unless it is null. Writes k and T to sums[0] and sums[1].
     */
    private static void expSum(float[] out, int y, float[] in, int x, int cols, float max, float[] lanes,
                               float[] sums) {
        FloatVector shift = FloatVector.broadcast(F, max);
        // Comparing with NaN matches nothing: with max = +Inf (or NaN) every e, NaN included, goes into T.
        FloatVector maximum = FloatVector.broadcast(F, Float.isFinite(max) ? max : Float.NaN);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector rest = FloatVector.zero(F);
        FloatVector count = FloatVector.zero(F);
        // One masked loop, so that exp is inlined at a single, hot call site (see PanamaFunctions).
        for (int j = 0; j < cols; j += F.length()) {
            VectorMask<Float> m = F.indexInRange(j, cols);
            FloatVector v = FloatVector.fromArray(F, in, x + j, m);
            FloatVector e = PanamaFunctions.exp(v.sub(shift));
            if (out != null) {
                e.intoArray(out, y + j, m);
            }
            VectorMask<Float> top = v.compare(EQ, maximum).and(m);
            rest = rest.add(e.blend(0f, top), m);
            count = count.add(one, top);
        }
        sums[0] = laneSum(count, lanes);
        sums[1] = laneSum(rest, lanes);
    }

    private static void scaleRow(float[] out, int y, int cols, float scale) {
        int j = 0;
        for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
            FloatVector.fromArray(F, out, y + j).mul(scale).intoArray(out, y + j);
        }
        if (j < cols) {
            VectorMask<Float> tail = F.indexInRange(j, cols);
            FloatVector.fromArray(F, out, y + j, tail).mul(scale).intoArray(out, y + j, tail);
        }
    }

    /** out = (in - max) - logSum. */
    private static void shiftRow(float[] out, int y, float[] in, int x, int cols, float max, float logSum) {
        int j = 0;
        for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
            FloatVector.fromArray(F, in, x + j).sub(max).sub(logSum).intoArray(out, y + j);
        }
        if (j < cols) {
            VectorMask<Float> tail = F.indexInRange(j, cols);
            FloatVector.fromArray(F, in, x + j, tail).sub(max).sub(logSum).intoArray(out, y + j, tail);
        }
    }

    private static void backwardRows(boolean log, float[] gradIn, int offGradIn, int ldGradIn, float[] gradOut,
                                     int offGradOut, int ldGradOut, float[] out, int offOut, int ldOut,
                                     int first, int last, int cols) {
        float[] lanes = new float[F.length()];
        for (int r = first; r < last; r++) {
            int dx = offGradIn + r * ldGradIn;
            int dy = offGradOut + r * ldGradOut;
            int y = offOut + r * ldOut;
            if (log) {
                logBackwardRow(gradIn, dx, gradOut, dy, out, y, cols, lanes);
            } else {
                softmaxBackwardRow(gradIn, dx, gradOut, dy, out, y, cols, lanes);
            }
        }
    }

    /** gradIn = y (g - sum_k g_k y_k). */
    private static void softmaxBackwardRow(float[] gradIn, int dx, float[] gradOut, int dy, float[] out, int y,
                                           int cols, float[] lanes) {
        FloatVector dot = FloatVector.zero(F);
        int j = 0;
        for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
            dot = FloatVector.fromArray(F, gradOut, dy + j).fma(FloatVector.fromArray(F, out, y + j), dot);
        }
        if (j < cols) {
            VectorMask<Float> tail = F.indexInRange(j, cols);
            // Masked loads give 0 in the unused lanes, so the fma leaves them at 0.
            dot = FloatVector.fromArray(F, gradOut, dy + j, tail).fma(FloatVector.fromArray(F, out, y + j, tail), dot);
        }
        FloatVector sum = FloatVector.broadcast(F, laneSum(dot, lanes));
        j = 0;
        for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gradOut, dy + j);
            FloatVector.fromArray(F, out, y + j).mul(g.sub(sum)).intoArray(gradIn, dx + j);
        }
        if (j < cols) {
            VectorMask<Float> tail = F.indexInRange(j, cols);
            FloatVector g = FloatVector.fromArray(F, gradOut, dy + j, tail);
            FloatVector.fromArray(F, out, y + j, tail).mul(g.sub(sum)).intoArray(gradIn, dx + j, tail);
        }
    }

    /** gradIn = g - e^y sum_k g_k. */
    private static void logBackwardRow(float[] gradIn, int dx, float[] gradOut, int dy, float[] out, int y,
                                       int cols, float[] lanes) {
        FloatVector total = FloatVector.zero(F);
        int j = 0;
        for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
            total = total.add(FloatVector.fromArray(F, gradOut, dy + j));
        }
        if (j < cols) {
            total = total.add(FloatVector.fromArray(F, gradOut, dy + j, F.indexInRange(j, cols)));
        }
        FloatVector negativeSum = FloatVector.broadcast(F, -laneSum(total, lanes));
        for (j = 0; j < cols; j += F.length()) {
            VectorMask<Float> m = F.indexInRange(j, cols);
            FloatVector g = FloatVector.fromArray(F, gradOut, dy + j, m);
            PanamaFunctions.exp(FloatVector.fromArray(F, out, y + j, m)).fma(negativeSum, g)
                    .intoArray(gradIn, dx + j, m);
        }
    }

    /** Adds the lanes of v pairwise (lane i + lane i + n/2, recursively): a fixed order per width. */
    static float laneSum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        for (int half = lanes.length / 2; half > 0; half /= 2) {
            for (int i = 0; i < half; i++) {
                lanes[i] += lanes[i + half];
            }
        }
        return lanes[0];
    }
}
