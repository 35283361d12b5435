package dev.lanes.kernels.panama.pool;

import dev.lanes.kernels.PoolGeometry;
import dev.lanes.kernels.panama.support.PanamaRows;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.scalar.ScalarPool2d;
import dev.lanes.kernels.spi.Pool2dKernel;
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
    /** Lane indexes 0, 2, 4, ... into the concatenation of two vectors: the even lanes. */
    private static final FloatVector EVEN = FloatVector.zero(F).addIndex(2);

    @Override
    public void maxForward(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn,
                           PoolGeometry g, int batch) {
        PoolTasks.MaxForward.onPool(out, offOut, argmax, offArgmax, in, offIn, g, batch);
    }

    static void maxPlane(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int src,
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
                    if (!vectorFits(out, offOut + o + q, argmax, offArgmax + o + q, in, src, g, p, q, n)) {
                        break; // the rest in scalar, below
                    }
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

    /**
     * Max over window positions of output columns [q, q + n) of row p, n <= lanes, all inside the
     * input. One method with no vector-returning helpers: a helper C2 declines to inline would box
     * every vector it returns. The key starts below every float's key, so the first position wins.
     */
    private static void vectorMax(float[] out, int o, int[] argmax, int a, float[] in, int src, PoolGeometry g,
                                  int p, int q, int n) {
        IntVector laneOffset = IntVector.zero(I).addIndex(g.strideWidth());
        boolean strided = g.strideWidth() == 2;
        // stride 1: lanes [0, n); stride 2: elements [0, 2n - 1) of two vectors, the even ones kept
        VectorMask<Float> low = F.indexInRange(0, strided ? 2 * n - 1 : n);
        VectorMask<Float> high = F.indexInRange(F.length(), 2 * n - 1);
        FloatVector best = FloatVector.zero(F);
        IntVector bestKey = IntVector.broadcast(I, Integer.MIN_VALUE);
        IntVector bestIndex = IntVector.zero(I);
        int base = q * g.strideWidth() - g.padLeft();
        for (int r = 0; r < g.kernelHeight(); r++) {
            if (!rowInside(g, p, r)) {
                continue;
            }
            for (int s = 0; s < g.kernelWidth(); s++) {
                int at = rowOf(g, p, r) * g.inWidth() + base + s * g.dilationWidth();
                FloatVector v = FloatVector.fromArray(F, in, src + at, low);
                if (strided) {
                    v = EVEN.selectFrom(v, FloatVector.fromArray(F, in, src + at + F.length(), high));
                }
                // the order of Float.compare as ints: flip the magnitude bits of negatives, NaN largest
                IntVector bits = v.reinterpretAsInts();
                IntVector key = bits.lanewise(VectorOperators.XOR,
                        bits.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7fffffff));
                key = key.blend(Integer.MAX_VALUE, v.test(VectorOperators.IS_NAN).cast(I));
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

    /**
     * Whether every vector that {@link #vectorMax} or {@link #vectorAverage} loads for columns
     * [q, q + n) of row p, and the vector they store at o (and a) when n is short of a vector,
     * lie inside the arrays. A masked access whose vector reaches past an array's end takes the
     * Vector API's checked path, which allocated (see PanamaTail); such columns, at the end of the
     * last plane, run the scalar loop, whose results are the same bit for bit.
     */
    private static boolean vectorFits(float[] out, int o, int[] argmax, int a, float[] in, int src, PoolGeometry g,
                                      int p, int q, int n) {
        int lastRow = Math.min(rowOf(g, p, g.kernelHeight() - 1), g.inHeight() - 1);
        long end = (long) src + (long) lastRow * g.inWidth() + (long) q * g.strideWidth() - g.padLeft()
                + (long) (g.kernelWidth() - 1) * g.dilationWidth() + (g.strideWidth() == 2 ? 2L : 1L) * F.length();
        return end <= in.length && (n == F.length()
                || o <= out.length - F.length() && (argmax == null || a <= argmax.length - F.length()));
    }

    private static int rowOf(PoolGeometry g, int p, int r) {
        return p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
    }

    private static boolean rowInside(PoolGeometry g, int p, int r) {
        int h = rowOf(g, p, r);
        return h >= 0 && h < g.inHeight();
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
        PoolTasks.MaxBackward.onPool(gradIn, offGradIn, gradOut, offGradOut, argmax, offArgmax, g, batch);
    }

    @Override
    public void avgForward(float[] out, int offOut, float[] in, int offIn, PoolGeometry g, int batch,
                           boolean countIncludePad) {
        PoolTasks.AvgForward.onPool(out, offOut, in, offIn, g, batch, countIncludePad);
    }

    static void avgPlane(float[] out, int offOut, float[] in, int src, PoolGeometry g, int plane,
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
                    if (!vectorFits(out, o + q, null, 0, in, src, g, p, q, n)) {
                        break; // the rest in scalar, below
                    }
                    vectorAverage(out, o + q, in, src, g, p, q, n, divisor);
                }
            }
            for (; q < width; q++) {
                out[o + q] = scalarAverage(in, src, g, p, q, includePad);
            }
        }
    }

    /** Average of output columns [q, q + n) of row p, n <= lanes, all inside the input (as {@link #vectorMax}). */
    private static void vectorAverage(float[] out, int o, float[] in, int src, PoolGeometry g, int p, int q, int n,
                                      float divisor) {
        boolean strided = g.strideWidth() == 2;
        VectorMask<Float> low = F.indexInRange(0, strided ? 2 * n - 1 : n);
        VectorMask<Float> high = F.indexInRange(F.length(), 2 * n - 1);
        FloatVector sum = FloatVector.zero(F);
        int base = q * g.strideWidth() - g.padLeft();
        for (int r = 0; r < g.kernelHeight(); r++) {
            if (!rowInside(g, p, r)) {
                continue;
            }
            for (int s = 0; s < g.kernelWidth(); s++) {
                int at = rowOf(g, p, r) * g.inWidth() + base + s * g.dilationWidth();
                FloatVector v = FloatVector.fromArray(F, in, src + at, low);
                if (strided) {
                    v = EVEN.selectFrom(v, FloatVector.fromArray(F, in, src + at + F.length(), high));
                }
                sum = sum.add(v);
            }
        }
        sum.div(divisor).intoArray(out, o, F.indexInRange(0, n));
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
        PoolTasks.AvgBackward.onPool(gradIn, offGradIn, gradOut, offGradOut, g, batch, countIncludePad);
    }

    /**
     * Scatters each output's share. For a given input element and output row p, the scalar
     * order (q ascending) is the order of s descending, so the loops run s downwards and the
     * sums equal the scalar ones bit for bit; with a unit stride the q run of a tap is contiguous.
     */
    static void avgBackwardPlane(float[] gradIn, int dst, float[] gradOut, int src, PoolGeometry g,
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
        PoolTasks.Global.onPool(PoolTasks.Global.MAX_FORWARD, out, offOut, argmax, offArgmax, in, offIn, planes,
                plane);
    }

    @Override
    public void globalMaxBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int[] argmax,
                                  int offArgmax, int planes, int plane) {
        PoolTasks.Global.onPool(PoolTasks.Global.MAX_BACKWARD, gradOut, offGradOut, argmax, offArgmax, gradIn,
                offGradIn, planes, plane);
    }

    @Override
    public void globalAvgForward(float[] out, int offOut, float[] in, int offIn, int planes, int plane) {
        PoolTasks.Global.onPool(PoolTasks.Global.AVG_FORWARD, out, offOut, null, 0, in, offIn, planes, plane);
    }

    @Override
    public void globalAvgBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int planes,
                                  int plane) {
        PoolTasks.Global.onPool(PoolTasks.Global.AVG_BACKWARD, gradOut, offGradOut, null, 0, gradIn, offGradIn,
                planes, plane);
    }
}
