package dev.lanes.kernels.internal;

import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector elementwise kernels for contiguous operands (every stride 1); strided calls run the
 * scalar loops of {@link ScalarElementwise}: a gather costs about as much per element as a scalar
 * load, so vectors would not pay there. The results equal the scalar ones bit for bit. Arrays of
 * {@link Chunks#MEMORY_PARALLEL} elements or more are split into fixed chunks on the kernel pool.
 */
public final class PanamaElementwise implements ElementwiseKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final ScalarElementwise STRIDED = new ScalarElementwise();

    /**
     * A vector load/store loop rather than System.arraycopy: it is the STREAM-style copy the
     * benchmarks use as the bandwidth anchor for the other elementwise kernels.
     */
    @Override
    public void copy(float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn, int length) {
        if (strideOut != 1 || strideIn != 1) {
            STRIDED.copy(out, offOut, strideOut, in, offIn, strideIn, length);
        } else if (length < Chunks.MEMORY_PARALLEL) {
            copySpan(out, offOut, in, offIn, length);
        } else {
            ChunkCall call = ChunkCall.get(COPY_CHUNK, null, out, offOut, in, offIn, length);
            call.start(Chunks.count(length));
        }
    }

    // The work of one task of a long call, reading the arguments from the reused ChunkCall: no
    // capturing lambda, so a call allocates nothing.
    private static final ChunkCall.Body COPY_CHUNK = (c, chunk) -> copySpan(c.out, c.offOut + Chunks.start(chunk),
            c.in, c.offIn + Chunks.start(chunk), Chunks.length(chunk, c.length));
    private static final ChunkCall.Body BINARY_CHUNK = (c, chunk) -> binarySpan((Binary) c.op,
            c.out, c.offOut + Chunks.start(chunk), c.in, c.offIn + Chunks.start(chunk), c.other,
            c.offOther + Chunks.start(chunk), Chunks.length(chunk, c.length));
    private static final ChunkCall.Body UNARY_CHUNK = (c, chunk) -> unarySpan((Unary) c.op,
            c.out, c.offOut + Chunks.start(chunk), c.in, c.offIn + Chunks.start(chunk), Chunks.length(chunk, c.length));
    private static final ChunkCall.Body SCALE_CHUNK = (c, chunk) -> scaleSpan(c.out, c.offOut + Chunks.start(chunk),
            c.p0, c.in, c.offIn + Chunks.start(chunk), Chunks.length(chunk, c.length));
    private static final ChunkCall.Body AXPY_CHUNK = (c, chunk) -> axpySpan(c.out, c.offOut + Chunks.start(chunk),
            c.p0, c.in, c.offIn + Chunks.start(chunk), Chunks.length(chunk, c.length));
    private static final ChunkCall.Body CLIP_CHUNK = (c, chunk) -> clipSpan(c.out, c.offOut + Chunks.start(chunk),
            c.in, c.offIn + Chunks.start(chunk), c.p0, c.p1, Chunks.length(chunk, c.length));
    /** planes per task in size, spatial in ld, channels in offOther. */
    private static final ChunkCall.Body BIAS_PLANES = (c, task) -> biasPlanes(c.out, c.offOut, c.in, c.offIn,
            c.offOther, c.ld, task * c.size, Math.min(c.length, task * c.size + c.size));
    /** rows per task in size, cols in offOther. */
    private static final ChunkCall.Body BIAS_ROWS = (c, task) -> biasRows(c.out, c.offOut, c.ld, c.in, c.offIn,
            task * c.size, Math.min(c.length, task * c.size + c.size), c.offOther);

    private static void copySpan(float[] out, int offOut, float[] in, int offIn, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, in, offIn + i).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, in, offIn + i, m).intoArray(out, offOut + i, m);
        }
    }

    @Override
    public void binary(Binary op, float[] out, int offOut, int strideOut, float[] a, int offA, int strideA,
                       float[] b, int offB, int strideB, int length) {
        if (strideOut != 1 || strideA != 1 || strideB != 1) {
            STRIDED.binary(op, out, offOut, strideOut, a, offA, strideA, b, offB, strideB, length);
        } else if (length < Chunks.MEMORY_PARALLEL) {
            binarySpan(op, out, offOut, a, offA, b, offB, length);
        } else {
            ChunkCall call = ChunkCall.get(BINARY_CHUNK, op, out, offOut, a, offA, length);
            call.other = b;
            call.offOther = offB;
            call.start(Chunks.count(length));
        }
    }

    private static void binarySpan(Binary op, float[] out, int offOut, float[] a, int offA, float[] b, int offB,
                                   int length) {
        switch (op) {
            case ADD -> add(out, offOut, a, offA, b, offB, length);
            case SUB -> sub(out, offOut, a, offA, b, offB, length);
            case MUL -> mul(out, offOut, a, offA, b, offB, length);
            case DIV -> div(out, offOut, a, offA, b, offB, length);
            case MAX -> max(out, offOut, a, offA, b, offB, length);
            case MIN -> min(out, offOut, a, offA, b, offB, length);
        }
    }

    private static void add(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, offA + i).add(FloatVector.fromArray(F, b, offB + i)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, a, offA + i, m).add(FloatVector.fromArray(F, b, offB + i, m))
                    .intoArray(out, offOut + i, m);
        }
    }

    private static void sub(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, offA + i).sub(FloatVector.fromArray(F, b, offB + i)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, a, offA + i, m).sub(FloatVector.fromArray(F, b, offB + i, m))
                    .intoArray(out, offOut + i, m);
        }
    }

    private static void mul(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, offA + i).mul(FloatVector.fromArray(F, b, offB + i)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, a, offA + i, m).mul(FloatVector.fromArray(F, b, offB + i, m))
                    .intoArray(out, offOut + i, m);
        }
    }

    private static void div(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, offA + i).div(FloatVector.fromArray(F, b, offB + i)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            // The masked-off lanes divide 0 by 0; they are never stored.
            FloatVector.fromArray(F, a, offA + i, m).div(FloatVector.fromArray(F, b, offB + i, m))
                    .intoArray(out, offOut + i, m);
        }
    }

    /** Lanewise MAX is Math.max per lane: NaN propagates and +0 ranks above -0. */
    private static void max(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, offA + i).max(FloatVector.fromArray(F, b, offB + i)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, a, offA + i, m).max(FloatVector.fromArray(F, b, offB + i, m))
                    .intoArray(out, offOut + i, m);
        }
    }

    /** Lanewise MIN is Math.min per lane: NaN propagates and -0 ranks below +0. */
    private static void min(float[] out, int offOut, float[] a, int offA, float[] b, int offB, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, offA + i).min(FloatVector.fromArray(F, b, offB + i)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, a, offA + i, m).min(FloatVector.fromArray(F, b, offB + i, m))
                    .intoArray(out, offOut + i, m);
        }
    }

    @Override
    public void unary(Unary op, float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn,
                      int length) {
        if (strideOut != 1 || strideIn != 1) {
            STRIDED.unary(op, out, offOut, strideOut, in, offIn, strideIn, length);
        } else if (length < Chunks.MEMORY_PARALLEL) {
            unarySpan(op, out, offOut, in, offIn, length);
        } else {
            ChunkCall call = ChunkCall.get(UNARY_CHUNK, op, out, offOut, in, offIn, length);
            call.start(Chunks.count(length));
        }
    }

    private static void unarySpan(Unary op, float[] out, int offOut, float[] in, int offIn, int length) {
        switch (op) {
            case ABS -> abs(out, offOut, in, offIn, length);
            case SQRT -> sqrt(out, offOut, in, offIn, length);
        }
    }

    /** Lanewise ABS clears the sign bit, as Math.abs does (-0 becomes +0, NaN stays NaN). */
    private static void abs(float[] out, int offOut, float[] in, int offIn, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, in, offIn + i).abs().intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, in, offIn + i, m).abs().intoArray(out, offOut + i, m);
        }
    }

    /** Lanewise SQRT is the IEEE square root, correctly rounded (sqrt(-0) = -0, negative gives NaN). */
    private static void sqrt(float[] out, int offOut, float[] in, int offIn, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, in, offIn + i).sqrt().intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, in, offIn + i, m).sqrt().intoArray(out, offOut + i, m);
        }
    }

    @Override
    public void scale(float[] out, int offOut, int strideOut, float alpha, float[] in, int offIn, int strideIn,
                      int length) {
        if (strideOut != 1 || strideIn != 1) {
            STRIDED.scale(out, offOut, strideOut, alpha, in, offIn, strideIn, length);
        } else if (length < Chunks.MEMORY_PARALLEL) {
            scaleSpan(out, offOut, alpha, in, offIn, length);
        } else {
            ChunkCall call = ChunkCall.get(SCALE_CHUNK, null, out, offOut, in, offIn, length);
            call.p0 = alpha;
            call.start(Chunks.count(length));
        }
    }

    private static void scaleSpan(float[] out, int offOut, float alpha, float[] in, int offIn, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, in, offIn + i).mul(alpha).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, in, offIn + i, m).mul(alpha).intoArray(out, offOut + i, m);
        }
    }

    @Override
    public void axpy(float[] y, int offY, int strideY, float alpha, float[] x, int offX, int strideX, int length) {
        if (strideY != 1 || strideX != 1) {
            STRIDED.axpy(y, offY, strideY, alpha, x, offX, strideX, length);
        } else if (length < Chunks.MEMORY_PARALLEL) {
            axpySpan(y, offY, alpha, x, offX, length);
        } else {
            ChunkCall call = ChunkCall.get(AXPY_CHUNK, null, y, offY, x, offX, length);
            call.p0 = alpha;
            call.start(Chunks.count(length));
        }
    }

    private static void axpySpan(float[] y, int offY, float alpha, float[] x, int offX, int length) {
        FloatVector a = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, offX + i).fma(a, FloatVector.fromArray(F, y, offY + i)).intoArray(y, offY + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, x, offX + i, m).fma(a, FloatVector.fromArray(F, y, offY + i, m))
                    .intoArray(y, offY + i, m);
        }
    }

    @Override
    public void clip(float[] out, int offOut, int strideOut, float[] in, int offIn, int strideIn, float min, float max,
                     int length) {
        if (strideOut != 1 || strideIn != 1) {
            STRIDED.clip(out, offOut, strideOut, in, offIn, strideIn, min, max, length);
        } else if (length < Chunks.MEMORY_PARALLEL) {
            clipSpan(out, offOut, in, offIn, min, max, length);
        } else {
            ChunkCall call = ChunkCall.get(CLIP_CHUNK, null, out, offOut, in, offIn, length);
            call.p0 = min;
            call.p1 = max;
            call.start(Chunks.count(length));
        }
    }

    /**
     * Math.min(Math.max(x, min), max) as two compare-and-blend steps, about half the instructions
     * of lanewise MAX and MIN with their Java semantics on x86: x below min takes min, x above max
     * takes max, and NaN fails both tests. Signed zeros: where a bound is a zero of the other sign
     * Math.max/min would pick, the comparison includes equality (x <= +0 takes +0 as the minimum,
     * x >= -0 takes -0 as the maximum), which gives exactly Math's results.
     */
    private static void clipSpan(float[] out, int offOut, float[] in, int offIn, float min, float max, int length) {
        FloatVector low = FloatVector.broadcast(F, min);
        FloatVector high = FloatVector.broadcast(F, max);
        VectorOperators.Comparison below = isPositiveZero(min) ? LE : LT;
        VectorOperators.Comparison above = isNegativeZero(max) ? GE : GT;
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, in, offIn + i);
            x.blend(low, x.compare(below, low)).blend(high, x.compare(above, high)).intoArray(out, offOut + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector x = FloatVector.fromArray(F, in, offIn + i, m);
            x.blend(low, x.compare(below, low)).blend(high, x.compare(above, high)).intoArray(out, offOut + i, m);
        }
    }

    private static boolean isPositiveZero(float value) {
        return Float.floatToRawIntBits(value) == 0;
    }

    private static boolean isNegativeZero(float value) {
        return Float.floatToRawIntBits(value) == 0x80000000;
    }

    @Override
    public void addBiasChannels(float[] data, int offData, float[] bias, int offBias, int batch, int channels,
                                int spatial) {
        if (spatial == 1) {
            addBiasRows(data, offData, channels, bias, offBias, batch, channels);
            return;
        }
        int planes = batch * channels;
        int planesPerTask = Math.max(1, Chunks.SIZE / spatial);
        int tasks = (planes + planesPerTask - 1) / planesPerTask;
        if ((long) planes * spatial < Chunks.MEMORY_PARALLEL || tasks == 1) {
            biasPlanes(data, offData, bias, offBias, channels, spatial, 0, planes);
            return;
        }
        ChunkCall call = ChunkCall.get(BIAS_PLANES, null, data, offData, bias, offBias, planes);
        call.size = planesPerTask;
        call.ld = spatial;
        call.offOther = channels;
        call.start(tasks);
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

    /** Planes of {@code vectors} whole vectors each, from channel {@code channel} on. */
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
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, data, start + i, m).add(b).intoArray(data, start + i, m);
        }
    }

    private static void addScalar(float[] data, int offset, float value, int length) {
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, data, offset + i).add(value).intoArray(data, offset + i);
        }
        if (i < length) {
            VectorMask<Float> m = F.indexInRange(i, length);
            FloatVector.fromArray(F, data, offset + i, m).add(value).intoArray(data, offset + i, m);
        }
    }

    @Override
    public void addBiasRows(float[] data, int offData, int ld, float[] bias, int offBias, int rows, int cols) {
        int rowsPerTask = Math.max(1, Chunks.SIZE / cols);
        int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
        if ((long) rows * cols < Chunks.MEMORY_PARALLEL || tasks == 1) {
            biasRows(data, offData, ld, bias, offBias, 0, rows, cols);
            return;
        }
        ChunkCall call = ChunkCall.get(BIAS_ROWS, null);
        call.out = data;
        call.offOut = offData;
        call.ld = ld;
        call.in = bias;
        call.offIn = offBias;
        call.length = rows;
        call.size = rowsPerTask;
        call.offOther = cols;
        call.start(tasks);
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
            if (j < cols) {
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector.fromArray(F, data, row + j, m).add(FloatVector.fromArray(F, bias, offBias + j, m))
                        .intoArray(data, row + j, m);
            }
        }
    }
}
