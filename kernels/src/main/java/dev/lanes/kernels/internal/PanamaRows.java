package dev.lanes.kernels.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** Vector loops over contiguous rows that the convolution passes share: copies, write-backs, sums. */
final class PanamaRows {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    private PanamaRows() {
    }

    /** dst[i] = max(0, src[i] + bias) (no max unless relu) for i in [0, length). */
    static void biasRelu(float[] dst, int offDst, float[] src, int offSrc, int length, float bias, boolean relu) {
        FloatVector b = FloatVector.broadcast(F, bias);
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, src, offSrc + i).add(b);
            (relu ? v.max(zero) : v).intoArray(dst, offDst + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector v = FloatVector.fromArray(F, src, offSrc + i, tail).add(b);
            (relu ? v.max(zero) : v).intoArray(dst, offDst + i, tail);
        }
    }

    /** dst[i] = src[i] for i in [0, length). */
    static void copy(float[] dst, int offDst, float[] src, int offSrc, int length) {
        System.arraycopy(src, offSrc, dst, offDst, length);
    }

    /** a[i] = 0 for i in [0, length). */
    static void zero(float[] a, int from, int length) {
        fill(a, from, length, 0f);
    }

    /** a[i] = value for i in [0, length). */
    static void fill(float[] a, int from, int length, float value) {
        FloatVector zero = FloatVector.broadcast(F, value);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            zero.intoArray(a, from + i);
        }
        if (i < length) {
            zero.intoArray(a, from + i, F.indexInRange(i, length));
        }
    }

    /** The sum of a[from .. from+length): lane-wise partial sums, then the lanes in order. */
    static float sum(float[] a, int from, int length) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            acc = acc.add(FloatVector.fromArray(F, a, from + i));
        }
        if (i < length) {
            acc = acc.add(FloatVector.fromArray(F, a, from + i, F.indexInRange(i, length)));
        }
        return sumLanes(acc);
    }

    /**
     * The lanes of v added in lane order. Not {@code reduceLanes(ADD)}: its float order is
     * unspecified and differs between the interpreter and C2, which would make results depend
     * on warm-up.
     */
    static float sumLanes(FloatVector v) {
        float sum = v.lane(0);
        for (int i = 1; i < F.length(); i++) {
            sum += v.lane(i);
        }
        return sum;
    }

    /**
     * dst[i] = (accumulate ? dst[i] : 0) + (((parts[i] + parts[i+stride]) + parts[i+2*stride]) + ...)
     * over {@code count} partials, for i in [0, length): a fixed summation order.
     */
    static void combine(float[] dst, int offDst, float[] parts, int offParts, int stride, int count, int length,
                        boolean accumulate) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, parts, offParts + i);
            for (int c = 1; c < count; c++) {
                v = v.add(FloatVector.fromArray(F, parts, offParts + c * stride + i));
            }
            if (accumulate) {
                v = FloatVector.fromArray(F, dst, offDst + i).add(v);
            }
            v.intoArray(dst, offDst + i);
        }
        for (; i < length; i++) {
            float v = parts[offParts + i];
            for (int c = 1; c < count; c++) {
                v += parts[offParts + c * stride + i];
            }
            dst[offDst + i] = accumulate ? dst[offDst + i] + v : v;
        }
    }
}
