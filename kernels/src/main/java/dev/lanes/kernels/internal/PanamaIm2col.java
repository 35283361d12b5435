package dev.lanes.kernels.internal;

import dev.lanes.kernels.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector im2col and col2im. With a unit width stride every column-matrix row segment is a
 * shifted copy of an input row, moved a vector at a time; the lanes that fall in the padding are
 * masked off the load (masked-off lanes read as zero and may lie outside the array). Other
 * strides copy element by element: a gather is no faster for these short rows.
 */
public final class PanamaIm2col implements Im2colKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    @Override
    public void im2col(float[] col, int offCol, int ldCol, float[] in, int offIn, ConvGeometry g,
                       int pFirst, int pEnd) {
        int rCount = g.kernelHeight();
        int sCount = g.kernelWidth();
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = offIn + c * g.inHeight() * g.inWidth();
            for (int r = 0; r < rCount; r++) {
                for (int s = 0; s < sCount; s++) {
                    int row = offCol + ((c * rCount + r) * sCount + s) * ldCol;
                    int qStart = firstColumn(g, s);
                    int qEnd = endColumn(g, s);
                    for (int p = pFirst; p < pEnd; p++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        int dst = row + (p - pFirst) * g.outWidth();
                        if (h < 0 || h >= g.inHeight()) {
                            zero(col, dst, g.outWidth());
                        } else {
                            // source index of output column q = 0 (it may lie in the padding)
                            int src = plane + h * g.inWidth() - g.padLeft() + s * g.dilationWidth();
                            copyRow(col, dst, in, src, g.strideWidth(), g.outWidth(), qStart, qEnd);
                        }
                    }
                }
            }
        }
    }

    /** col[dst + q] = in[src + q*stride] for q in [qStart, qEnd), zero elsewhere in [0, width). */
    private static void copyRow(float[] col, int dst, float[] in, int src, int stride, int width, int qStart, int qEnd) {
        if (stride != 1) {
            for (int q = 0; q < width; q++) {
                col[dst + q] = q >= qStart && q < qEnd ? in[src + q * stride] : 0f;
            }
            return;
        }
        int lanes = F.length();
        for (int q = 0; q < width; q += lanes) {
            FloatVector v;
            if (q >= qStart && q + lanes <= qEnd) {
                v = FloatVector.fromArray(F, in, src + q);
            } else {
                VectorMask<Float> inside = F.indexInRange(q - qStart, qEnd - qStart);
                v = FloatVector.fromArray(F, in, src + q, inside);
            }
            if (q + lanes <= width) {
                v.intoArray(col, dst + q);
            } else {
                v.intoArray(col, dst + q, F.indexInRange(q, width));
            }
        }
    }

    private static void zero(float[] a, int from, int length) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            zero.intoArray(a, from + i);
        }
        if (i < length) {
            zero.intoArray(a, from + i, F.indexInRange(i, length));
        }
    }

    @Override
    public void col2imAdd(float[] in, int offIn, float[] col, int offCol, int ldCol, ConvGeometry g,
                          int pFirst, int pEnd) {
        int rCount = g.kernelHeight();
        int sCount = g.kernelWidth();
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = offIn + c * g.inHeight() * g.inWidth();
            for (int r = 0; r < rCount; r++) {
                for (int s = 0; s < sCount; s++) {
                    int row = offCol + ((c * rCount + r) * sCount + s) * ldCol;
                    int qStart = firstColumn(g, s);
                    int qEnd = endColumn(g, s);
                    for (int p = pFirst; p < pEnd; p++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        if (h >= 0 && h < g.inHeight()) {
                            int dst = plane + h * g.inWidth() - g.padLeft() + s * g.dilationWidth();
                            addRow(in, dst, col, row + (p - pFirst) * g.outWidth(), g.strideWidth(), qStart, qEnd);
                        }
                    }
                }
            }
        }
    }

    /** in[dst + q*stride] += col[src + q] for q in [qStart, qEnd). */
    private static void addRow(float[] in, int dst, float[] col, int src, int stride, int qStart, int qEnd) {
        if (stride != 1) {
            for (int q = qStart; q < qEnd; q++) {
                in[dst + q * stride] += col[src + q];
            }
            return;
        }
        int lanes = F.length();
        int q = qStart;
        for (; q + lanes <= qEnd; q += lanes) {
            FloatVector.fromArray(F, in, dst + q).add(FloatVector.fromArray(F, col, src + q)).intoArray(in, dst + q);
        }
        if (q < qEnd) {
            VectorMask<Float> tail = F.indexInRange(q, qEnd);
            FloatVector.fromArray(F, in, dst + q, tail).add(FloatVector.fromArray(F, col, src + q, tail))
                    .intoArray(in, dst + q, tail);
        }
    }

    /** The first output column whose tap s lies inside the input (may equal endColumn: none). */
    static int firstColumn(ConvGeometry g, int s) {
        int first = Math.max(0, Math.ceilDiv(g.padLeft() - s * g.dilationWidth(), g.strideWidth()));
        return Math.min(first, g.outWidth());
    }

    /** One past the last output column whose tap s lies inside the input, at least firstColumn. */
    static int endColumn(ConvGeometry g, int s) {
        int end = Math.floorDiv(g.inWidth() - 1 + g.padLeft() - s * g.dilationWidth(), g.strideWidth()) + 1;
        return Math.max(firstColumn(g, s), Math.min(end, g.outWidth()));
    }
}
