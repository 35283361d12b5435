package dev.lanes.kernels.panama.pointwise;

import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LT;

import dev.lanes.kernels.panama.support.Chunks;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import dev.lanes.kernels.scalar.ScalarElementwise;
import dev.lanes.kernels.spi.ElementwiseKernel;
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
            ElementwiseTasks.Copy.onPool(out, offOut, in, offIn, length);
        }
    }

    static void copySpan(float[] out, int offOut, float[] in, int offIn, int length) {
        int head = PanamaTail.inPlace(length, out, offOut, in, offIn, null, 0);
        if (head < length) { // the last, partial vector on copies, inside the arrays (see PanamaTail)
            float[] tail = PanamaTail.copyIn(length - head, in, offIn + head, null, 0);
            copySpan(tail, PanamaTail.OUT, tail, PanamaTail.IN0, length - head);
            PanamaTail.copyOut(tail, out, offOut + head, length - head);
            length = head;
        }
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
            ElementwiseTasks.Binary.onPool(op, out, offOut, a, offA, b, offB, length);
        }
    }

    static void binarySpan(Binary op, float[] out, int offOut, float[] a, int offA, float[] b, int offB,
                           int length) {
        int head = PanamaTail.inPlace(length, out, offOut, a, offA, b, offB);
        if (head < length) { // the last, partial vector on copies, inside the arrays (see PanamaTail)
            float[] tail = PanamaTail.copyIn(length - head, a, offA + head, b, offB + head);
            binarySpan(op, tail, PanamaTail.OUT, tail, PanamaTail.IN0, tail, PanamaTail.IN1, length - head);
            PanamaTail.copyOut(tail, out, offOut + head, length - head);
            length = head;
        }
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
            ElementwiseTasks.Unary.onPool(op, out, offOut, in, offIn, length);
        }
    }

    static void unarySpan(Unary op, float[] out, int offOut, float[] in, int offIn, int length) {
        int head = PanamaTail.inPlace(length, out, offOut, in, offIn, null, 0);
        if (head < length) { // the last, partial vector on copies, inside the arrays (see PanamaTail)
            float[] tail = PanamaTail.copyIn(length - head, in, offIn + head, null, 0);
            unarySpan(op, tail, PanamaTail.OUT, tail, PanamaTail.IN0, length - head);
            PanamaTail.copyOut(tail, out, offOut + head, length - head);
            length = head;
        }
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
            ElementwiseTasks.Scale.onPool(out, offOut, alpha, in, offIn, length);
        }
    }

    static void scaleSpan(float[] out, int offOut, float alpha, float[] in, int offIn, int length) {
        int head = PanamaTail.inPlace(length, out, offOut, in, offIn, null, 0);
        if (head < length) { // the last, partial vector on copies, inside the arrays (see PanamaTail)
            float[] tail = PanamaTail.copyIn(length - head, in, offIn + head, null, 0);
            scaleSpan(tail, PanamaTail.OUT, alpha, tail, PanamaTail.IN0, length - head);
            PanamaTail.copyOut(tail, out, offOut + head, length - head);
            length = head;
        }
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
            ElementwiseTasks.Axpy.onPool(y, offY, alpha, x, offX, length);
        }
    }

    static void axpySpan(float[] y, int offY, float alpha, float[] x, int offX, int length) {
        int head = PanamaTail.inPlace(length, y, offY, x, offX, null, 0);
        if (head < length) { // the last, partial vector on copies, inside the arrays (see PanamaTail)
            float[] tail = PanamaTail.copyIn(length - head, x, offX + head, y, offY + head);
            axpySpan(tail, PanamaTail.IN1, alpha, tail, PanamaTail.IN0, length - head);
            System.arraycopy(tail, PanamaTail.IN1, y, offY + head, length - head);
            length = head;
        }
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
            ElementwiseTasks.Clip.onPool(out, offOut, in, offIn, min, max, length);
        }
    }

    /**
     * Math.min(Math.max(x, min), max) as two compare-and-blend steps, about half the instructions
     * of lanewise MAX and MIN with their Java semantics on x86: x below min takes min, x above max
     * takes max, and NaN fails both tests. Signed zeros: where a bound is a zero of the other sign
     * Math.max/min would pick, the comparison includes equality (x <= +0 takes +0 as the minimum,
     * x >= -0 takes -0 as the maximum), which gives exactly Math's results.
     */
    static void clipSpan(float[] out, int offOut, float[] in, int offIn, float min, float max, int length) {
        int head = PanamaTail.inPlace(length, out, offOut, in, offIn, null, 0);
        if (head < length) { // the last, partial vector on copies, inside the arrays (see PanamaTail)
            float[] tail = PanamaTail.copyIn(length - head, in, offIn + head, null, 0);
            clipSpan(tail, PanamaTail.OUT, tail, PanamaTail.IN0, min, max, length - head);
            PanamaTail.copyOut(tail, out, offOut + head, length - head);
            length = head;
        }
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
        PanamaBias.channels(data, offData, bias, offBias, batch, channels, spatial);
    }

    @Override
    public void addBiasRows(float[] data, int offData, int ld, float[] bias, int offBias, int rows, int cols) {
        PanamaBias.rows(data, offData, ld, bias, offBias, rows, cols);
    }
}
