package dev.lanes.kernels.panama.support;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** Vector loops over contiguous rows that the convolution passes share: copies, write-backs, sums. */
public final class PanamaRows {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    private PanamaRows() {
    }

    /** dst[i] = max(0, src[i] + bias) (no max unless relu) for i in [0, length). */
    public static void biasRelu(float[] dst, int offDst, float[] src, int offSrc, int length, float bias, boolean relu) {
        FloatVector b = FloatVector.broadcast(F, bias);
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, src, offSrc + i).add(b);
            (relu ? v.max(zero) : v).intoArray(dst, offDst + i);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            if (PanamaTail.fits(src, offSrc + i) && PanamaTail.fits(dst, offDst + i)) {
                FloatVector v = FloatVector.fromArray(F, src, offSrc + i, tail).add(b);
                (relu ? v.max(zero) : v).intoArray(dst, offDst + i, tail);
            } else { // on copies inside the arrays: see PanamaTail
                float[] copy = PanamaTail.copyIn(length - i, src, offSrc + i, null, 0);
                FloatVector v = FloatVector.fromArray(F, copy, PanamaTail.IN0, tail).add(b);
                (relu ? v.max(zero) : v).intoArray(copy, PanamaTail.OUT, tail);
                PanamaTail.copyOut(copy, dst, offDst + i, length - i);
            }
        }
    }

    /** dst[i] = src[i] for i in [0, length). */
    public static void copy(float[] dst, int offDst, float[] src, int offSrc, int length) {
        System.arraycopy(src, offSrc, dst, offDst, length);
    }

    /** a[i] = 0 for i in [0, length). */
    public static void zero(float[] a, int from, int length) {
        fill(a, from, length, 0f);
    }

    /** a[i] = value for i in [0, length). */
    public static void fill(float[] a, int from, int length, float value) {
        FloatVector zero = FloatVector.broadcast(F, value);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            zero.intoArray(a, from + i);
        }
        if (i < length) {
            if (PanamaTail.fits(a, from + i)) {
                zero.intoArray(a, from + i, F.indexInRange(i, length));
            } else { // no masked store past the end of a: see PanamaTail
                for (; i < length; i++) {
                    a[from + i] = value;
                }
            }
        }
    }

    /**
     * The sum of a[from .. from+length): element j into logical lane j mod 16 (see
     * {@link PanamaSpecies#LOGICAL_LANES}), then the 16 lanes in order; so the same bits at every width.
     */
    public static float sum(float[] a, int from, int length) {
        int lanes = F.length();
        // -0 + x is x for every x, so the first lane is added exactly as it is
        float sum = -0f;
        // one pass per vector of the logical accumulator, over its lanes of every logical vector
        for (int part = 0; part < PanamaSpecies.PARTS; part++) {
            FloatVector acc = FloatVector.zero(F);
            int i = part * lanes;
            for (; i + lanes <= length; i += PanamaSpecies.LOGICAL_LANES) {
                acc = acc.add(FloatVector.fromArray(F, a, from + i));
            }
            if (i < length) {
                float[] src = a;
                int at = from + i;
                if (!PanamaTail.fits(a, at)) { // from a copy: see PanamaTail
                    src = PanamaTail.copyIn(length - i, a, at, null, 0);
                    at = PanamaTail.IN0;
                }
                acc = acc.add(FloatVector.fromArray(F, src, at, F.indexInRange(i, length)));
            }
            // lane by lane, in order: reduceLanes(ADD) sums in an unspecified order that differs
            // between the interpreter and C2 (results would depend on warm-up); and no helper
            // taking acc, which C2 might not inline and would then box
            for (int l = 0; l < lanes; l++) {
                sum += acc.lane(l);
            }
        }
        return sum;
    }

    /**
     * dst[i] = (accumulate ? dst[i] : 0) + (((parts[i] + parts[i+stride]) + parts[i+2*stride]) + ...)
     * over {@code count} partials, for i in [0, length): a fixed summation order.
     */
    public static void combine(float[] dst, int offDst, float[] parts, int offParts, int stride, int count, int length,
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
