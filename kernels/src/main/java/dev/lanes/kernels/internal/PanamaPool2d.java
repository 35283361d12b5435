package dev.lanes.kernels.internal;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.PoolGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector pooling, a vector of output columns at a time. Where every window position of the
 * lanes lies inside the input (the interior columns), a tap is one load: contiguous for a unit
 * stride, two loads and a two-vector permute (even or odd lanes) for stride 2; border columns,
 * other strides and tails use the scalar code. Sums run in the scalar order, so every result,
 * argmax included, equals {@link ScalarPool2d}'s bit for bit (global average excepted: it sums
 * lane-wise).
 *
 * <p>Max compares integer keys: the float bits with the magnitude bits flipped for negatives
 * (ordering -0 below +0) and every NaN mapped to the largest key, the order of
 * {@link Float#compare}; a lane takes a tap only when its key is strictly greater.
 */
public final class PanamaPool2d implements Pool2dKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** Floats of input per task: enough to amortise the task, small enough to balance. */
    private static final int TASK_FLOATS = 1 << 15;
    /** Lane indexes 0, 2, 4, ... into the concatenation of two vectors: the even lanes. */
    private static final FloatVector EVEN = FloatVector.zero(F).addIndex(2);

    private static int tasks(int planes, int planeSize) {
        int perTask = Math.max(1, TASK_FLOATS / Math.max(1, planeSize));
        return Math.ceilDiv(planes, perTask);
    }

    @Override
    public void maxForward(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn,
                           PoolGeometry g, int batch) {
        int planes = batch * g.channels();
        int inPlane = g.inHeight() * g.inWidth();
        int count = tasks(planes, inPlane);
        Parallel.forEach(count, task -> {
            for (int plane = (int) ((long) task * planes / count); plane < (long) (task + 1) * planes / count; plane++) {
                maxPlane(out, offOut, argmax, offArgmax, in, offIn + plane * inPlane, g, plane);
            }
        });
    }

    private static void maxPlane(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int src,
                                 PoolGeometry g, int plane) {
        int width = g.outWidth();
        int qa = interiorStart(g);
        int qb = interiorEnd(g);
        for (int p = 0; p < g.outHeight(); p++) {
            int o = plane * g.outHeight() * width + p * width;
            int q = 0;
            if (g.strideWidth() <= 2) {
                for (; q < qa; q++) {
                    scalarMax(out, offOut + o + q, argmax, offArgmax + o + q, in, src, g, p, q);
                }
                while (q < qb) {
                    int n = Math.min(F.length(), qb - q);
                    vectorMax(out, offOut + o + q, argmax, offArgmax + o + q, in, src, g, p, q, n);
                    q += n;
                }
            }
            for (; q < width; q++) {
                scalarMax(out, offOut + o + q, argmax, offArgmax + o + q, in, src, g, p, q);
            }
        }
    }

    private static void scalarMax(float[] out, int o, int[] argmax, int a, float[] in, int src, PoolGeometry g,
                                  int p, int q) {
        int best = ScalarPool2d.maxIndex(in, src, g, p, q);
        out[o] = in[src + best];
        argmax[a] = best;
    }

    /** Max over window positions of output columns [q, q + n) of row p, n <= lanes, all inside the input. */
    private static void vectorMax(float[] out, int o, int[] argmax, int a, float[] in, int src, PoolGeometry g,
                                  int p, int q, int n) {
        IntVector laneOffset = IntVector.zero(I).addIndex(g.strideWidth());
        int firstRow = 0;
        while (!rowInside(g, p, firstRow)) {
            firstRow++;
        }
        // the first position of the window (first inside row, s = 0) starts the max
        int base = q * g.strideWidth() - g.padLeft();
        int first = rowOf(g, p, firstRow) * g.inWidth() + base;
        FloatVector best = tap(in, src + first, g.strideWidth(), n);
        IntVector bestKey = key(best);
        IntVector bestIndex = laneOffset.add(first);
        for (int r = firstRow; r < g.kernelHeight(); r++) {
            if (!rowInside(g, p, r)) {
                continue;
            }
            for (int s = r == firstRow ? 1 : 0; s < g.kernelWidth(); s++) {
                int at = rowOf(g, p, r) * g.inWidth() + base + s * g.dilationWidth();
                FloatVector v = tap(in, src + at, g.strideWidth(), n);
                IntVector key = key(v);
                VectorMask<Integer> greater = key.compare(VectorOperators.GT, bestKey);
                bestKey = bestKey.blend(key, greater);
                bestIndex = bestIndex.blend(laneOffset.add(at), greater);
                best = best.blend(v, greater.cast(F));
            }
        }
        if (n == F.length()) {
            best.intoArray(out, o);
            bestIndex.intoArray(argmax, a);
        } else {
            VectorMask<Float> lanes = F.indexInRange(0, n);
            best.intoArray(out, o, lanes);
            bestIndex.intoArray(argmax, a, lanes.cast(I));
        }
    }

    private static int rowOf(PoolGeometry g, int p, int r) {
        return p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
    }

    private static boolean rowInside(PoolGeometry g, int p, int r) {
        int h = rowOf(g, p, r);
        return h >= 0 && h < g.inHeight();
    }

    /**
     * The values of one window position for lanes [0, n): in[at + lane * stride], stride 1 or 2.
     * Loads are masked to the elements those lanes need, so the other lanes read zeros and no
     * load reaches past them (out of the array at its end).
     */
    private static FloatVector tap(float[] in, int at, int stride, int n) {
        if (stride == 1) {
            return n == F.length() ? FloatVector.fromArray(F, in, at)
                    : FloatVector.fromArray(F, in, at, F.indexInRange(0, n));
        }
        // stride 2: elements [at, at + 2n - 1), the even lanes of two vectors
        int needed = 2 * n - 1;
        FloatVector low = FloatVector.fromArray(F, in, at, F.indexInRange(0, needed));
        FloatVector high = FloatVector.fromArray(F, in, at + F.length(), F.indexInRange(F.length(), needed));
        return EVEN.selectFrom(low, high);
    }

    /** Integer keys in the order of Float.compare: sign-magnitude flipped to two's complement, NaN largest. */
    private static IntVector key(FloatVector v) {
        IntVector bits = v.reinterpretAsInts();
        IntVector key = bits.lanewise(VectorOperators.XOR,
                bits.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7fffffff));
        return key.blend(Integer.MAX_VALUE, v.test(VectorOperators.IS_NAN).cast(I));
    }

    /** The first output column whose whole window lies inside the input columns. */
    static int interiorStart(PoolGeometry g) {
        return Math.min(g.outWidth(), Math.ceilDiv(g.padLeft(), g.strideWidth()));
    }

    /** One past the last output column whose whole window lies inside the input columns. */
    static int interiorEnd(PoolGeometry g) {
        int span = g.inWidth() - 1 + g.padLeft() - (g.kernelWidth() - 1) * g.dilationWidth();
        return span < 0 ? 0 : Math.min(g.outWidth(), span / g.strideWidth() + 1);
    }

    @Override
    public void maxBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int[] argmax,
                            int offArgmax, PoolGeometry g, int batch) {
        // a scatter through the indexes: there is nothing to vectorize but the zeroing
        int planes = batch * g.channels();
        int inPlane = g.inHeight() * g.inWidth();
        int outPlane = g.outHeight() * g.outWidth();
        int count = tasks(planes, inPlane);
        Parallel.forEach(count, task -> {
            for (int plane = (int) ((long) task * planes / count); plane < (long) (task + 1) * planes / count; plane++) {
                int dst = offGradIn + plane * inPlane;
                PanamaRows.zero(gradIn, dst, inPlane);
                for (int i = plane * outPlane; i < (plane + 1) * outPlane; i++) {
                    gradIn[dst + argmax[offArgmax + i]] += gradOut[offGradOut + i];
                }
            }
        });
    }

    @Override
    public void avgForward(float[] out, int offOut, float[] in, int offIn, PoolGeometry g, int batch,
                           boolean countIncludePad) {
        int planes = batch * g.channels();
        int inPlane = g.inHeight() * g.inWidth();
        int count = tasks(planes, inPlane);
        Parallel.forEach(count, task -> {
            for (int plane = (int) ((long) task * planes / count); plane < (long) (task + 1) * planes / count; plane++) {
                avgPlane(out, offOut, in, offIn + plane * inPlane, g, plane, countIncludePad);
            }
        });
    }

    private static void avgPlane(float[] out, int offOut, float[] in, int src, PoolGeometry g, int plane,
                                 boolean includePad) {
        int width = g.outWidth();
        int qa = interiorStart(g);
        int qb = interiorEnd(g);
        for (int p = 0; p < g.outHeight(); p++) {
            int o = offOut + plane * g.outHeight() * width + p * width;
            int q = 0;
            if (g.strideWidth() <= 2) {
                for (; q < qa; q++) {
                    out[o + q] = scalarAverage(in, src, g, p, q, includePad);
                }
                // interior columns all count S positions across, so the divisor is the same for the lanes
                float divisor = ScalarPool2d.count(g, p, Math.min(qa, width - 1), includePad);
                for (int n; q < qb; q += n) {
                    n = Math.min(F.length(), qb - q);
                    FloatVector sum = FloatVector.zero(F);
                    for (int r = 0; r < g.kernelHeight(); r++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        if (h < 0 || h >= g.inHeight()) {
                            continue;
                        }
                        for (int s = 0; s < g.kernelWidth(); s++) {
                            int first = h * g.inWidth() + q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                            sum = sum.add(tap(in, src + first, g.strideWidth(), n));
                        }
                    }
                    sum.div(divisor).intoArray(out, o + q, F.indexInRange(0, n));
                }
            }
            for (; q < width; q++) {
                out[o + q] = scalarAverage(in, src, g, p, q, includePad);
            }
        }
    }

    private static float scalarAverage(float[] in, int src, PoolGeometry g, int p, int q, boolean includePad) {
        float sum = 0f;
        for (int r = 0; r < g.kernelHeight(); r++) {
            int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
            for (int s = 0; s < g.kernelWidth() && h >= 0 && h < g.inHeight(); s++) {
                int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                if (w >= 0 && w < g.inWidth()) {
                    sum += in[src + h * g.inWidth() + w];
                }
            }
        }
        return sum / ScalarPool2d.count(g, p, q, includePad);
    }

    @Override
    public void avgBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, PoolGeometry g,
                            int batch, boolean countIncludePad) {
        int planes = batch * g.channels();
        int inPlane = g.inHeight() * g.inWidth();
        int count = tasks(planes, inPlane);
        Parallel.forEach(count, task -> {
            for (int plane = (int) ((long) task * planes / count); plane < (long) (task + 1) * planes / count; plane++) {
                avgBackwardPlane(gradIn, offGradIn + plane * inPlane, gradOut,
                        offGradOut + plane * g.outHeight() * g.outWidth(), g, countIncludePad);
            }
        });
    }

    /**
     * Scatters each output's share. For a given input element and output row p, the scalar
     * order (q ascending) is the order of s descending, so the loops run s downwards and the
     * sums equal the scalar ones bit for bit; with a unit stride the q run of a tap is contiguous.
     */
    private static void avgBackwardPlane(float[] gradIn, int dst, float[] gradOut, int src, PoolGeometry g,
                                         boolean includePad) {
        PanamaRows.zero(gradIn, dst, g.inHeight() * g.inWidth());
        int width = g.outWidth();
        int qa = interiorStart(g);
        int qb = interiorEnd(g);
        for (int p = 0; p < g.outHeight(); p++) {
            int row = src + p * width;
            float interiorDivisor = ScalarPool2d.count(g, p, Math.min(qa, width - 1), includePad);
            for (int r = 0; r < g.kernelHeight(); r++) {
                if (!rowInside(g, p, r)) {
                    continue;
                }
                int h = dst + rowOf(g, p, r) * g.inWidth();
                for (int s = g.kernelWidth() - 1; s >= 0; s--) {
                    int shift = s * g.dilationWidth() - g.padLeft();
                    int qStart = Math.max(0, Math.ceilDiv(-shift, g.strideWidth()));
                    int qEnd = Math.min(width, Math.floorDiv(g.inWidth() - 1 - shift, g.strideWidth()) + 1);
                    int q = qStart;
                    if (g.strideWidth() == 1) {
                        for (; q < qa && q < qEnd; q++) {
                            gradIn[h + q + shift] += gradOut[row + q] / ScalarPool2d.count(g, p, q, includePad);
                        }
                        for (; q + F.length() <= Math.min(qb, qEnd); q += F.length()) {
                            FloatVector share = FloatVector.fromArray(F, gradOut, row + q).div(interiorDivisor);
                            FloatVector.fromArray(F, gradIn, h + q + shift).add(share).intoArray(gradIn, h + q + shift);
                        }
                    }
                    for (; q < qEnd; q++) {
                        gradIn[h + q * g.strideWidth() + shift] += gradOut[row + q] / ScalarPool2d.count(g, p, q, includePad);
                    }
                }
            }
        }
    }

    @Override
    public void globalMaxForward(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn,
                                 int planes, int plane) {
        Parallel.forEach(tasks(planes, plane), task -> {
            int count = tasks(planes, plane);
            for (int i = (int) ((long) task * planes / count); i < (long) (task + 1) * planes / count; i++) {
                int best = globalMaxIndex(in, offIn + i * plane, plane);
                out[offOut + i] = in[offIn + i * plane + best];
                argmax[offArgmax + i] = best;
            }
        });
    }

    /**
     * Lane l keeps the first maximum among elements l, l + lanes, ...; the winner is the lane (or
     * tail element) with the largest key and, among equal keys, the smallest index: the first
     * maximum of the plane, as the scalar scan finds it.
     */
    private static int globalMaxIndex(float[] in, int src, int plane) {
        int bound = F.loopBound(plane);
        int best = 0;
        if (bound > 0) {
            FloatVector first = FloatVector.fromArray(F, in, src);
            IntVector bestKey = key(first);
            IntVector bestIndex = IntVector.zero(I).addIndex(1);
            for (int j = F.length(); j < bound; j += F.length()) {
                IntVector key = key(FloatVector.fromArray(F, in, src + j));
                VectorMask<Integer> greater = key.compare(VectorOperators.GT, bestKey);
                bestKey = bestKey.blend(key, greater);
                bestIndex = bestIndex.blend(IntVector.zero(I).addIndex(1).add(j), greater);
            }
            best = bestIndex.lane(0);
            for (int l = 1; l < F.length(); l++) {
                int index = bestIndex.lane(l);
                int order = Float.compare(in[src + index], in[src + best]);
                if (order > 0 || (order == 0 && index < best)) {
                    best = index;
                }
            }
        }
        for (int j = bound; j < plane; j++) {
            if ((bound == 0 && j == 0) || Float.compare(in[src + j], in[src + best]) > 0) {
                best = j;
            }
        }
        return best;
    }

    @Override
    public void globalMaxBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int[] argmax,
                                  int offArgmax, int planes, int plane) {
        Parallel.forEach(tasks(planes, plane), task -> {
            int count = tasks(planes, plane);
            for (int i = (int) ((long) task * planes / count); i < (long) (task + 1) * planes / count; i++) {
                PanamaRows.zero(gradIn, offGradIn + i * plane, plane);
                gradIn[offGradIn + i * plane + argmax[offArgmax + i]] = gradOut[offGradOut + i];
            }
        });
    }

    @Override
    public void globalAvgForward(float[] out, int offOut, float[] in, int offIn, int planes, int plane) {
        Parallel.forEach(tasks(planes, plane), task -> {
            int count = tasks(planes, plane);
            for (int i = (int) ((long) task * planes / count); i < (long) (task + 1) * planes / count; i++) {
                out[offOut + i] = PanamaRows.sum(in, offIn + i * plane, plane) / plane;
            }
        });
    }

    @Override
    public void globalAvgBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int planes,
                                  int plane) {
        Parallel.forEach(tasks(planes, plane), task -> {
            int count = tasks(planes, plane);
            for (int i = (int) ((long) task * planes / count); i < (long) (task + 1) * planes / count; i++) {
                PanamaRows.fill(gradIn, offGradIn + i * plane, plane, gradOut[offGradOut + i] / plane);
            }
        });
    }
}
