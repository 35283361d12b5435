package dev.lanes.kernels.panama.pointwise;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.NE;
import static jdk.incubator.vector.VectorOperators.XOR;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import dev.lanes.kernels.scalar.ScalarReductions;
import dev.lanes.kernels.spi.ReductionKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector reductions over contiguous arrays; strided calls run the scalar reference.
 *
 * <p>Summation order of sum and dot (fixed, independent of the thread count): the array is cut
 * into chunks of {@link Chunks#SIZE} elements and each chunk into blocks of {@link #BLOCK}. In a
 * block, logical vector k of 16 lanes (elements [16k, 16k + 16), one vector at 512 bits, two at
 * 256, four at 128: {@link PanamaSpecies#LOGICAL_LANES}) is added into float accumulator k mod 4
 * (the remainder after the last group of four, and the masked tail, into accumulator 0); the
 * accumulators are combined as (a0 + a1) + (a2 + a3), then their 16 lanes pairwise
 * ({@link PanamaSoftmax#pairwiseSum}). Block sums are added in double, in order, into a chunk
 * sum, and chunk sums in double, in order, into the total. Each float accumulator adds at most
 * 1024 / 64 = 16 elements, so the error is at most about (16 + 6) 2^-24 times the sum of |x_i|
 * (x_i y_i for dot), usually far less. The order is the same at every vector width, and so are
 * the bits. Chunks run in parallel from {@link Chunks#MEMORY_PARALLEL} elements, their partial
 * sums combined in the same order, so the bits do not change with the thread count either.
 *
 * <p>max and min use lanewise MAX and MIN (Math.max and Math.min semantics, exact in any
 * order). argmax compares integer keys that order floats as {@link Float#compare} does, with every
 * NaN mapped to the largest key; each lane keeps its first strictly greater key, and lanes and chunks are combined preferring the
 * smaller index on ties, which gives the first maximum.
 */
public final class PanamaReductions implements ReductionKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = F.vectorShape().withLanes(int.class);
    /** The lanes of a sum's accumulators, whatever the width (see {@link PanamaSpecies#LOGICAL_LANES}). */
    private static final int LOGICAL = PanamaSpecies.LOGICAL_LANES;
    /** Elements per float-accumulated block. */
    static final int BLOCK = 1024;
    private static final ScalarReductions STRIDED = new ScalarReductions();

    @Override
    public double sum(float[] x, int off, int stride, int length) {
        if (stride != 1) {
            return STRIDED.sum(x, off, stride, length);
        }
        return combine(x, off, null, 0, length);
    }

    @Override
    public double dot(float[] x, int offX, int strideX, float[] y, int offY, int strideY, int length) {
        if (strideX != 1 || strideY != 1) {
            return STRIDED.dot(x, offX, strideX, y, offY, strideY, length);
        }
        return combine(x, offX, y, offY, length);
    }

    /** Sum (y == null) or dot product, chunk sums added in order. */
    private static double combine(float[] x, int offX, float[] y, int offY, int length) {
        int chunks = Chunks.count(length);
        double total = 0;
        if (length < Chunks.MEMORY_PARALLEL) {
            for (int c = 0; c < chunks; c++) {
                total += chunk(x, offX, y, offY, c, length);
            }
            return total;
        }
        Call call = CALLS.get().prepare(Call.SUM, x, offX, y, offY, length);
        try {
            Parallel.forEach(chunks, call);
            for (int c = 0; c < chunks; c++) {
                total += call.sums[c];
            }
        } finally {
            call.clear();
        }
        return total;
    }

    private static double chunk(float[] x, int offX, float[] y, int offY, int chunk, int length) {
        int start = Chunks.start(chunk);
        int end = start + Chunks.length(chunk, length);
        float[] lanes = LANES.get();
        double sum = 0;
        for (int block = start; block < end; block += BLOCK) {
            int n = Math.min(BLOCK, end - block);
            sum += y == null ? blockSum(x, offX + block, n, lanes)
                    : blockDot(x, offX + block, y, offY + block, n, lanes);
        }
        return sum;
    }

    private static float blockSum(float[] x, int off, int n, float[] lanes) {
        int step = LOGICAL;
        // one pass per vector of the logical accumulators (one at 512 bits), each over its lanes
        for (int part = 0; part < PanamaSpecies.PARTS; part++) {
            int o = part * F.length();
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int i = 0;
            for (int bound = n - 4 * step; i <= bound; i += 4 * step) {
                a0 = a0.add(FloatVector.fromArray(F, x, off + i + o));
                a1 = a1.add(FloatVector.fromArray(F, x, off + i + step + o));
                a2 = a2.add(FloatVector.fromArray(F, x, off + i + 2 * step + o));
                a3 = a3.add(FloatVector.fromArray(F, x, off + i + 3 * step + o));
            }
            for (; i + o < n; i += step) {
                // Masked loads give 0 in the lanes past n.
                a0 = a0.add(lastVector(x, off + i + o, n - i - o, F.indexInRange(i + o, n)));
            }
            a0.add(a1).add(a2.add(a3)).intoArray(lanes, o);
        }
        return PanamaSoftmax.pairwiseSum(lanes, 0);
    }

    private static float blockDot(float[] x, int offX, float[] y, int offY, int n, float[] lanes) {
        int step = LOGICAL;
        for (int part = 0; part < PanamaSpecies.PARTS; part++) {
            int o = part * F.length();
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int i = 0;
            for (int bound = n - 4 * step; i <= bound; i += 4 * step) {
                int ix = offX + i + o;
                int iy = offY + i + o;
                a0 = FloatVector.fromArray(F, x, ix).fma(FloatVector.fromArray(F, y, iy), a0);
                a1 = FloatVector.fromArray(F, x, ix + step).fma(FloatVector.fromArray(F, y, iy + step), a1);
                a2 = FloatVector.fromArray(F, x, ix + 2 * step).fma(FloatVector.fromArray(F, y, iy + 2 * step), a2);
                a3 = FloatVector.fromArray(F, x, ix + 3 * step).fma(FloatVector.fromArray(F, y, iy + 3 * step), a3);
            }
            for (; i + o < n; i += step) {
                VectorMask<Float> m = F.indexInRange(i + o, n);
                float[] xs = x;
                int fromX = offX + i + o;
                float[] ys = y;
                int fromY = offY + i + o;
                if (!PanamaTail.fits(x, fromX) || !PanamaTail.fits(y, fromY)) { // from copies: see PanamaTail
                    xs = PanamaTail.copyIn(n - i - o, x, fromX, y, fromY);
                    ys = xs;
                    fromX = PanamaTail.IN0;
                    fromY = PanamaTail.IN1;
                }
                a0 = FloatVector.fromArray(F, xs, fromX, m).fma(FloatVector.fromArray(F, ys, fromY, m), a0);
            }
            a0.add(a1).add(a2.add(a3)).intoArray(lanes, o);
        }
        return PanamaSoftmax.pairwiseSum(lanes, 0);
    }

    @Override
    public float max(float[] x, int off, int stride, int length) {
        if (stride != 1) {
            return STRIDED.max(x, off, stride, length);
        }
        return length < Chunks.MEMORY_PARALLEL ? maxSpan(x, off, length) : chunkedExtremum(Call.MAX, x, off, length);
    }

    /** max or min over the fixed chunks on the pool, the chunk results combined in chunk order. */
    private static float chunkedExtremum(int mode, float[] x, int off, int length) {
        int chunks = Chunks.count(length);
        Call call = CALLS.get().prepare(mode, x, off, null, 0, length);
        try {
            Parallel.forEach(chunks, call);
            float result = call.extrema[0];
            for (int c = 1; c < chunks; c++) {
                result = mode == Call.MAX ? Math.max(result, call.extrema[c]) : Math.min(result, call.extrema[c]);
            }
            return result;
        } finally {
            call.clear();
        }
    }

    private static float maxSpan(float[] x, int off, int length) {
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        int step = F.length();
        int i = 0;
        for (int bound = length - 2 * step; i <= bound; i += 2 * step) {
            m0 = m0.lanewise(MAX, FloatVector.fromArray(F, x, off + i));
            m1 = m1.lanewise(MAX, FloatVector.fromArray(F, x, off + i + step));
        }
        for (; i < length; i += step) {
            VectorMask<Float> m = F.indexInRange(i, length);
            m0 = m0.lanewise(MAX, lastVector(x, off + i, length - i, m), m);
        }
        return m0.lanewise(MAX, m1).reduceLanes(MAX);
    }

    @Override
    public float min(float[] x, int off, int stride, int length) {
        if (stride != 1) {
            return STRIDED.min(x, off, stride, length);
        }
        return length < Chunks.MEMORY_PARALLEL ? minSpan(x, off, length) : chunkedExtremum(Call.MIN, x, off, length);
    }

    private static float minSpan(float[] x, int off, int length) {
        FloatVector m0 = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        FloatVector m1 = m0;
        int step = F.length();
        int i = 0;
        for (int bound = length - 2 * step; i <= bound; i += 2 * step) {
            m0 = m0.lanewise(MIN, FloatVector.fromArray(F, x, off + i));
            m1 = m1.lanewise(MIN, FloatVector.fromArray(F, x, off + i + step));
        }
        for (; i < length; i += step) {
            VectorMask<Float> m = F.indexInRange(i, length);
            m0 = m0.lanewise(MIN, lastVector(x, off + i, length - i, m), m);
        }
        return m0.lanewise(MIN, m1).reduceLanes(MIN);
    }

    @Override
    public int argmax(float[] x, int off, int stride, int length) {
        if (stride != 1) {
            return STRIDED.argmax(x, off, stride, length);
        }
        int chunks = Chunks.count(length);
        if (length < Chunks.MEMORY_PARALLEL) {
            int index = argmaxChunk(x, off, 0, length);
            for (int c = 1; c < chunks; c++) {
                int best = argmaxChunk(x, off, c, length);
                if (key(x[off + best]) > key(x[off + index])) {
                    index = best;
                }
            }
            return index;
        }
        Call call = CALLS.get().prepare(Call.ARGMAX, x, off, null, 0, length);
        try {
            Parallel.forEach(chunks, call);
            int index = call.best[0];
            for (int c = 1; c < chunks; c++) {
                if (key(x[off + call.best[c]]) > key(x[off + index])) {
                    index = call.best[c];
                }
            }
            return index;
        } finally {
            call.clear();
        }
    }

    /** The index (from off) of the first maximum of chunk c. */
    private static int argmaxChunk(float[] x, int off, int c, int length) {
        return Chunks.start(c) + argmaxSpan(x, off + Chunks.start(c), Chunks.length(c, length));
    }

    /** Per-thread scratch for {@link PanamaSoftmax#pairwiseSum}: one logical accumulator. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[LOGICAL]);
    /** Per-thread scratch for the lane keys and indexes of {@link #argmaxSpan}. */
    private static final ThreadLocal<int[]> KEYS = ThreadLocal.withInitial(() -> new int[2 * F.length()]);
    /** The calling thread's reusable parallel call, so that a call allocates no task and no partials. */
    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);

    /**
     * One parallel reduction: the arguments and one partial result per chunk. A capturing lambda
     * would be allocated on every call; this object is reused by its thread (a reduction never
     * starts another on the same thread while it runs), its arrays grow to the largest chunk count
     * seen.
     */
    private static final class Call implements Parallel.Task {
        static final int SUM = 0;
        static final int MAX = 1;
        static final int ARGMAX = 2;
        static final int MIN = 3;
        private int mode;
        private float[] x;
        private int offX;
        private float[] y;
        private int offY;
        private int length;
        double[] sums = new double[0];
        /** Per-chunk maxima or minima. */
        float[] extrema = new float[0];
        int[] best = new int[0];

        Call prepare(int mode, float[] x, int offX, float[] y, int offY, int length) {
            int chunks = Chunks.count(length);
            if (sums.length < chunks) {
                sums = new double[chunks];
                extrema = new float[chunks];
                best = new int[chunks];
            }
            this.mode = mode;
            this.x = x;
            this.offX = offX;
            this.y = y;
            this.offY = offY;
            this.length = length;
            return this;
        }

        /** Drops the references to the caller's arrays. */
        void clear() {
            x = null;
            y = null;
        }

        @Override
        public void run(int c) {
            switch (mode) {
                case SUM -> sums[c] = chunk(x, offX, y, offY, c, length);
                case MAX -> extrema[c] = maxSpan(x, offX + Chunks.start(c), Chunks.length(c, length));
                case MIN -> extrema[c] = minSpan(x, offX + Chunks.start(c), Chunks.length(c, length));
                default -> best[c] = argmaxChunk(x, offX, c, length);
            }
        }
    }

    /** Signed-int keys in the order of Float.compare: negative floats have their magnitude bits flipped. */
    static int key(float value) {
        if (value != value) {
            return Integer.MAX_VALUE;
        }
        int bits = Float.floatToRawIntBits(value);
        return bits ^ ((bits >> 31) >>> 1);
    }

    private static IntVector keys(FloatVector v) {
        IntVector bits = v.reinterpretAsInts();
        IntVector keys = bits.lanewise(XOR, bits.lanewise(ASHR, 31).lanewise(LSHR, 1));
        return keys.blend(Integer.MAX_VALUE, v.compare(NE, v).cast(I));
    }

    private static int argmaxSpan(float[] x, int off, int length) {
        IntVector lane = IntVector.zero(I).addIndex(1);
        // Every real key exceeds MIN_VALUE, so each lane that sees an element takes its first one.
        IntVector bestKey = IntVector.broadcast(I, Integer.MIN_VALUE);
        IntVector bestIndex = IntVector.zero(I);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            IntVector k = keys(FloatVector.fromArray(F, x, off + i));
            VectorMask<Integer> greater = k.compare(GT, bestKey);
            bestKey = bestKey.blend(k, greater);
            bestIndex = bestIndex.blend(lane.add(i), greater);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            IntVector k = keys(lastVector(x, off + i, length - i, tail));
            VectorMask<Integer> greater = k.compare(GT, bestKey).and(tail.cast(I));
            bestKey = bestKey.blend(k, greater);
            bestIndex = bestIndex.blend(lane.add(i), greater);
        }
        // keys in [0, L), indexes in [L, 2L) of a per-thread array: toIntArray would allocate two
        int[] lanes = KEYS.get();
        int count = F.length();
        bestKey.intoArray(lanes, 0);
        bestIndex.intoArray(lanes, count);
        int best = 0;
        for (int l = 1; l < count; l++) {
            if (lanes[l] > lanes[best] || lanes[l] == lanes[best] && lanes[count + l] < lanes[count + best]) {
                best = l;
            }
        }
        return lanes[count + best];
    }

    /**
     * The masked load of a loop's last vector at x[from ..], n elements left: from a copy where the
     * vector would reach past the end of x (see PanamaTail), with the same mask and lanes.
     */
    private static FloatVector lastVector(float[] x, int from, int n, VectorMask<Float> m) {
        return PanamaTail.fits(x, from) ? FloatVector.fromArray(F, x, from, m)
                : FloatVector.fromArray(F, PanamaTail.copyIn(n, x, from, null, 0), PanamaTail.IN0, m);
    }
}
