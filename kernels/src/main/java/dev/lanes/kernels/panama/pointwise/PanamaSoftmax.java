package dev.lanes.kernels.panama.pointwise;

import static jdk.incubator.vector.VectorOperators.MAX;

import dev.lanes.kernels.panama.math.PanamaFunctions;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import dev.lanes.kernels.panama.support.RangeTask;
import dev.lanes.kernels.spi.SoftmaxKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector softmax, one row at a time: a max pass, an exp-and-sum pass (which stores e^(x - m) for
 * softmax), then a scaling pass. Row sums accumulate in one logical vector of 16 lanes (element j
 * in lane j mod 16: one vector at 512 bits, two at 256, four at 128, see
 * {@link PanamaSpecies#LOGICAL_LANES}), which are then added in a fixed pairwise order
 * ({@link #pairwiseSum}) rather than by reduceLanes, whose order may differ between the
 * interpreter and compiled code; so the bits are the same at every width. Matrices of at least 64K elements are split by rows
 * over the kernel pool; each row's arithmetic is the same whichever thread runs it.
 */
public final class PanamaSoftmax implements SoftmaxKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final int PARALLEL_ELEMENTS = 1 << 16;
    /** Rows per task: about 16K elements, so a task is worth a hand-off. */
    private static final int TASK_ELEMENTS = 1 << 14;
    private static final int LOGICAL = PanamaSpecies.LOGICAL_LANES;
    /** Per-thread scratch for {@link #pairwiseSum}, two logical vectors, so that a call allocates nothing. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[2 * LOGICAL]);
    /** Per-thread scratch for the two sums of {@link #expSplitSum}. */
    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[2]);

    @Override
    public void softmax(boolean log, float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn,
                        int rows, int cols) {
        run(log ? Mode.LOG_SOFTMAX : Mode.SOFTMAX, out, offOut, ldOut, in, offIn, ldIn, null, 0, 0, rows, cols);
    }

    @Override
    public void backward(boolean log, float[] gradIn, int offGradIn, int ldGradIn, float[] gradOut, int offGradOut,
                         int ldGradOut, float[] out, int offOut, int ldOut, int rows, int cols) {
        run(log ? Mode.LOG_SOFTMAX_BACKWARD : Mode.SOFTMAX_BACKWARD, gradIn, offGradIn, ldGradIn, gradOut, offGradOut,
                ldGradOut, out, offOut, ldOut, rows, cols);
    }

    private static void run(Mode mode, float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn,
                            float[] saved, int offSaved, int ldSaved, int rows, int cols) {
        int rowsPerTask = Math.max(1, TASK_ELEMENTS / cols);
        int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
        if ((long) rows * cols < PARALLEL_ELEMENTS || tasks == 1) {
            rows(mode, out, offOut, ldOut, in, offIn, ldIn, saved, offSaved, ldSaved, 0, rows, cols);
            return;
        }
        Rows.onPool(mode, out, offOut, ldOut, in, offIn, ldIn, saved, offSaved, ldSaved, rows, cols, rowsPerTask);
    }

    /** The task context of a matrix on the pool, a block of rows per task; the arrays as {@link #rows} names them. */
    private static final class Rows extends RangeTask {
        private static final ThreadLocal<Rows> CALLS = ThreadLocal.withInitial(Rows::new);
        private Mode mode;
        private float[] out;
        private int offOut;
        private int ldOut;
        private float[] in;
        private int offIn;
        private int ldIn;
        private float[] saved;
        private int offSaved;
        private int ldSaved;
        private int cols;

        static void onPool(Mode mode, float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn,
                           float[] saved, int offSaved, int ldSaved, int rows, int cols, int rowsPerTask) {
            Rows call = CALLS.get();
            call.mode = mode;
            call.out = out;
            call.offOut = offOut;
            call.ldOut = ldOut;
            call.in = in;
            call.offIn = offIn;
            call.ldIn = ldIn;
            call.saved = saved;
            call.offSaved = offSaved;
            call.ldSaved = ldSaved;
            call.cols = cols;
            call.start(rows, rowsPerTask);
        }

        @Override
        protected void range(int first, int end) {
            rows(mode, out, offOut, ldOut, in, offIn, ldIn, saved, offSaved, ldSaved, first, end, cols);
        }

        @Override
        protected void clear() {
            out = null;
            in = null;
            saved = null;
        }
    }

    /** Per-thread copies of a row of out, in and saved whose last vector would pass an array's end. */
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Rows [first, last) of a mode. The rows whose last, partial vector stays inside the arrays
     * run in place; the others (at most the last few, where a row's tail vector would reach past
     * an array's end: see PanamaTail) run one at a time on per-thread copies, one row of each
     * array, each padded to whole vectors. The row loops stay as they are, so every row gets the
     * same arithmetic wherever it runs. One call site for both kinds of rows, so that C2 does not
     * inline a mode twice where the call is monomorphic (see Mode).
     */
    private static void rows(Mode mode, float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn,
                             float[] saved, int offSaved, int ldSaved, int first, int last, int cols) {
        int inPlace = last;
        while (inPlace > first && PanamaTail.inPlace(cols, out, offOut + (inPlace - 1) * ldOut, in,
                offIn + (inPlace - 1) * ldIn, saved, offSaved + (inPlace - 1) * ldSaved) < cols) {
            inPlace--;
        }
        int width = cols + (F.length() - cols % F.length()) % F.length();
        float[] copy = null;
        if (inPlace < last) {
            copy = ROW.get();
            if (copy.length < 3 * width) {
                copy = new float[3 * width];
                ROW.set(copy);
            }
        }
        // pass 0: the rows in place; pass p > 0: row inPlace + p - 1 on the copies
        for (int pass = 0; pass <= last - inPlace; pass++) {
            int r = inPlace + pass - 1;
            if (pass > 0) {
                System.arraycopy(in, offIn + r * ldIn, copy, width, cols);
                if (saved != null) {
                    System.arraycopy(saved, offSaved + r * ldSaved, copy, 2 * width, cols);
                }
            }
            mode.rows(pass == 0 ? out : copy, pass == 0 ? offOut : 0, ldOut, pass == 0 ? in : copy,
                    pass == 0 ? offIn : width, ldIn, pass == 0 ? saved : copy, pass == 0 ? offSaved : 2 * width,
                    ldSaved, pass == 0 ? first : 0, pass == 0 ? inPlace : 1, cols);
            if (pass > 0) {
                System.arraycopy(copy, 0, out, offOut + r * ldOut, cols);
            }
        }
    }

    /**
     * The four row loops, one enum constant each, called through an abstract method: C2 sees a
     * megamorphic call and compiles each mode on its own, instead of inlining all of them into one
     * method whose node budget (NodeCountInliningCutoff) would run out (see PanamaFunctions).
     * out, in: the output and its input (for backward gradIn and gradOut); saved: y for backward.
     */
    private enum Mode {
        SOFTMAX {
            @Override
            void rows(float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn, float[] saved, int offSaved,
                      int ldSaved, int first, int last, int cols) {
                float[] lanes = LANES.get();
                for (int r = first; r < last; r++) {
                    int x = offIn + r * ldIn;
                    int y = offOut + r * ldOut;
                    float sum = expStore(out, y, in, x, cols, rowMax(in, x, cols), lanes);
                    scaleRow(out, y, cols, 1f / sum);
                }
            }
        },
        LOG_SOFTMAX {
            @Override
            void rows(float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn, float[] saved, int offSaved,
                      int ldSaved, int first, int last, int cols) {
                float[] lanes = LANES.get();
                float[] sums = SUMS.get();
                for (int r = first; r < last; r++) {
                    int x = offIn + r * ldIn;
                    float max = rowMax(in, x, cols);
                    expSplitSum(in, x, cols, max, lanes, sums);
                    // ln(k + T) = ln k + ln(1 + T/k): T keeps its bits even when k + T would round them off.
                    float logSum = (float) (Math.log(sums[0]) + Math.log1p(sums[1] / sums[0]));
                    shiftRow(out, offOut + r * ldOut, in, x, cols, max, logSum);
                }
            }
        },
        SOFTMAX_BACKWARD {
            @Override
            void rows(float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn, float[] saved, int offSaved,
                      int ldSaved, int first, int last, int cols) {
                float[] lanes = LANES.get();
                for (int r = first; r < last; r++) {
                    softmaxBackwardRow(out, offOut + r * ldOut, in, offIn + r * ldIn, saved, offSaved + r * ldSaved,
                            cols, lanes);
                }
            }
        },
        LOG_SOFTMAX_BACKWARD {
            @Override
            void rows(float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn, float[] saved, int offSaved,
                      int ldSaved, int first, int last, int cols) {
                float[] lanes = LANES.get();
                for (int r = first; r < last; r++) {
                    logBackwardRow(out, offOut + r * ldOut, in, offIn + r * ldIn, saved, offSaved + r * ldSaved,
                            cols, lanes);
                }
            }
        };

        /** Rows [first, last). */
        abstract void rows(float[] out, int offOut, int ldOut, float[] in, int offIn, int ldIn, float[] saved,
                           int offSaved, int ldSaved, int first, int last, int cols);
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

    /** Stores e^(in_j - max) into out and returns their sum (lanes in a fixed order). */
    private static float expStore(float[] out, int y, float[] in, int x, int cols, float max, float[] lanes) {
        FloatVector shift = FloatVector.broadcast(F, max);
        // one pass per vector of the logical accumulator (one at 512 bits), over its lanes
        for (int part = 0; part < PanamaSpecies.PARTS; part++) {
            // A computed zero, not the ZERO constant: a loop-carried vector whose first value is a
            // heap object (a static final) stays boxed, one vector allocated per step.
            FloatVector sum = FloatVector.zero(F);
            // One masked loop, so that exp is inlined at a single, hot call site (see PanamaFunctions).
            for (int j = part * F.length(); j < cols; j += LOGICAL) {
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector e = PanamaFunctions.exp(FloatVector.fromArray(F, in, x + j, m).sub(shift));
                e.intoArray(out, y + j, m);
                sum = sum.add(e, m);
            }
            // Not passed to a helper: this method fills C2's node budget (NodeCountInliningCutoff),
            // a helper was left out and the sum vector was boxed to cross the call, 96 bytes per row
            // at 512 bits. Only the array crosses the call.
            sum.intoArray(lanes, part * F.length());
        }
        return pairwiseSum(lanes, 0);
    }

    /**
     * Sums e^(in_j - max) as k + T: k counts the entries equal to a finite max (whose exponential
     * is exactly 1) and T adds the others, so that ln(k + T) can be taken without losing T to
     * rounding next to k (log-softmax of a confident row). Writes k and T to sums[0] and sums[1].
     */
    private static void expSplitSum(float[] in, int x, int cols, float max, float[] lanes, float[] sums) {
        FloatVector shift = FloatVector.broadcast(F, max);
        // Comparing with NaN matches nothing: with max = +Inf (or NaN) every e, NaN included, goes into T.
        FloatVector maximum = FloatVector.broadcast(F, Float.isFinite(max) ? max : Float.NaN);
        for (int part = 0; part < PanamaSpecies.PARTS; part++) {
            // computed zeros, not the ZERO constant: see expStore
            FloatVector rest = FloatVector.zero(F);
            FloatVector count = FloatVector.zero(F);
            for (int j = part * F.length(); j < cols; j += LOGICAL) {
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector v = FloatVector.fromArray(F, in, x + j, m);
                VectorMask<Float> top = v.eq(maximum).and(m);
                rest = rest.add(PanamaFunctions.exp(v.sub(shift)).blend(PanamaFunctions.ZERO, top), m);
                count = count.add(PanamaFunctions.ONE, top);
            }
            // stored here, not passed to a helper: see expStore
            count.intoArray(lanes, part * F.length());
            rest.intoArray(lanes, LOGICAL + part * F.length());
        }
        sums[0] = pairwiseSum(lanes, 0);
        sums[1] = pairwiseSum(lanes, LOGICAL);
    }

    private static void scaleRow(float[] out, int y, int cols, float scale) {
        FloatVector factor = FloatVector.broadcast(F, scale);
        int j = 0;
        for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
            FloatVector.fromArray(F, out, y + j).mul(factor).intoArray(out, y + j);
        }
        if (j < cols) {
            VectorMask<Float> tail = F.indexInRange(j, cols);
            FloatVector.fromArray(F, out, y + j, tail).mul(factor).intoArray(out, y + j, tail);
        }
    }

    /** out = (in - max) - logSum. */
    private static void shiftRow(float[] out, int y, float[] in, int x, int cols, float max, float logSum) {
        FloatVector shift = FloatVector.broadcast(F, max);
        FloatVector minus = FloatVector.broadcast(F, logSum);
        int j = 0;
        for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
            FloatVector.fromArray(F, in, x + j).sub(shift).sub(minus).intoArray(out, y + j);
        }
        if (j < cols) {
            VectorMask<Float> tail = F.indexInRange(j, cols);
            FloatVector.fromArray(F, in, x + j, tail).sub(shift).sub(minus).intoArray(out, y + j, tail);
        }
    }

    /** gradIn = y (g - sum_k g_k y_k). */
    private static void softmaxBackwardRow(float[] gradIn, int dx, float[] gradOut, int dy, float[] out, int y,
                                           int cols, float[] lanes) {
        int j;
        for (int part = 0; part < PanamaSpecies.PARTS; part++) {
            FloatVector dot = FloatVector.zero(F);
            for (j = part * F.length(); j + F.length() <= cols; j += LOGICAL) {
                dot = FloatVector.fromArray(F, gradOut, dy + j).fma(FloatVector.fromArray(F, out, y + j), dot);
            }
            if (j < cols) {
                VectorMask<Float> tail = F.indexInRange(j, cols);
                // Masked loads give 0 in the unused lanes, so the fma leaves them at 0.
                dot = FloatVector.fromArray(F, gradOut, dy + j, tail)
                        .fma(FloatVector.fromArray(F, out, y + j, tail), dot);
            }
            dot.intoArray(lanes, part * F.length()); // not passed to a helper: see expStore
        }
        FloatVector sum = FloatVector.broadcast(F, pairwiseSum(lanes, 0));
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
        for (int part = 0; part < PanamaSpecies.PARTS; part++) {
            FloatVector total = FloatVector.zero(F); // not the ZERO constant: see expStore
            for (int j = part * F.length(); j < cols; j += LOGICAL) {
                total = total.add(FloatVector.fromArray(F, gradOut, dy + j, F.indexInRange(j, cols)));
            }
            total.intoArray(lanes, part * F.length()); // not passed to a helper: see expStore
        }
        logBackwardStore(gradIn, dx, gradOut, dy, out, y, cols, -pairwiseSum(lanes, 0));
    }

    /**
     * gradIn = g + e^y (-sum). A method of its own, but that is no compile boundary: C2 may still
     * inline it into logBackwardRow, whose summing loop adds about 3800 parsed nodes. That pushed
     * the powerOfTwo calls at the end of exp past NodeCountInliningCutoff (two vectors boxed per
     * step at 128 bits); exp now calls its helpers early (see PanamaFunctions), so either way fits.
     */
    private static void logBackwardStore(float[] gradIn, int dx, float[] gradOut, int dy, float[] out, int y,
                                         int cols, float minusSum) {
        FloatVector negativeSum = FloatVector.broadcast(F, minusSum);
        for (int j = 0; j < cols; j += F.length()) {
            VectorMask<Float> m = F.indexInRange(j, cols);
            FloatVector g = FloatVector.fromArray(F, gradOut, dy + j, m);
            PanamaFunctions.exp(FloatVector.fromArray(F, out, y + j, m)).fma(negativeSum, g)
                    .intoArray(gradIn, dx + j, m);
        }
    }

    /**
     * Adds the 16 lanes of a logical vector stored at lanes[at ..] pairwise (lane i + lane i + 8,
     * then i + 4, i + 2, i + 1): one order at every width. Scalar only: a call that C2 does not
     * inline costs no allocation, where a vector argument would be boxed.
     */
    static float pairwiseSum(float[] lanes, int at) {
        for (int half = LOGICAL / 2; half > 0; half /= 2) {
            for (int i = at; i < at + half; i++) {
                lanes[i] += lanes[i + half];
            }
        }
        return lanes[at];
    }
}
