package dev.lanes.kernels.internal;

import dev.lanes.kernels.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector im2col and col2im.
 *
 * <p>A "same" convolution with unit strides (Q == W, the common 3x3 pad 1 layer) has a flat
 * shortcut: for a tap (c, r, s), consecutive output rows read consecutive input rows, so the
 * whole column-matrix row is one shifted copy of the input plane, after which the one or two
 * columns per row that fell in the padding are zeroed (they picked up the neighbouring row's
 * edge). That replaces P short copies by one long one. col2im does the reverse, with the
 * padding columns of its (scratch) column matrix first set to -0, which adds nothing to any
 * value, -0 included.
 *
 * <p>Otherwise, with a unit width stride, each row segment is a shifted copy of an input row, a
 * vector at a time; the lanes in the padding are masked off the load (masked-off lanes read as
 * zero and may lie outside the array). Other strides copy element by element: a gather is no
 * faster for these short rows.
 */
public final class PanamaIm2col implements Im2colKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    /** Whether consecutive output rows of a tap read consecutive input rows: unit strides and Q == W. */
    static boolean flat(ConvGeometry g) {
        return g.strideWidth() == 1 && g.strideHeight() == 1 && g.outWidth() == g.inWidth();
    }

    @Override
    public void im2col(float[] col, int offCol, int ldCol, float[] in, int offIn, ConvGeometry g,
                       int pFirst, int pEnd) {
        int rCount = g.kernelHeight();
        int sCount = g.kernelWidth();
        boolean flat = flat(g);
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = offIn + c * g.inHeight() * g.inWidth();
            for (int r = 0; r < rCount; r++) {
                for (int s = 0; s < sCount; s++) {
                    int row = offCol + ((c * rCount + r) * sCount + s) * ldCol;
                    int qStart = firstColumn(g, s);
                    int qEnd = endColumn(g, s);
                    if (flat) {
                        flatCopy(col, row, in, plane, g, r, s, pFirst, pEnd, qStart, qEnd);
                        continue;
                    }
                    if (g.strideWidth() == 1) {
                        rowsUnitStride(col, row, in, plane, g, r, s, pFirst, pEnd, qStart, qEnd);
                        continue;
                    }
                    for (int p = pFirst; p < pEnd; p++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        int dst = row + (p - pFirst) * g.outWidth();
                        if (h < 0 || h >= g.inHeight()) {
                            zero(col, dst, g.outWidth());
                            continue;
                        }
                        // source index of output column q = 0 (it may lie in the padding)
                        int src = plane + h * g.inWidth() - g.padLeft() + s * g.dilationWidth();
                        for (int q = 0; q < g.outWidth(); q++) {
                            col[dst + q] = q >= qStart && q < qEnd ? in[src + q * g.strideWidth()] : 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * The column-matrix row of tap (r, s), unit width stride: per output row, shifted vector
     * copies of the input row, the lanes in the padding masked off the load (they read as zero
     * and may lie outside the array). The masks of the first and last vector are made once per
     * tap, not per row: with rows shorter than a vector (Q = 10 in LeNet), making them per row
     * cost more than the copy.
     */
    private static void rowsUnitStride(float[] col, int row, float[] in, int plane, ConvGeometry g,
                                       int r, int s, int pFirst, int pEnd, int qStart, int qEnd) {
        int lanes = F.length();
        int width = g.outWidth();
        int last = (width - 1) / lanes * lanes;
        VectorMask<Float> headLoad = F.indexInRange(-qStart, qEnd - qStart);
        VectorMask<Float> tailLoad = F.indexInRange(last - qStart, qEnd - qStart);
        VectorMask<Float> tailStore = F.indexInRange(last, width);
        for (int p = pFirst; p < pEnd; p++) {
            int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
            int dst = row + (p - pFirst) * width;
            if (h < 0 || h >= g.inHeight()) {
                zero(col, dst, width);
                continue;
            }
            int src = plane + h * g.inWidth() - g.padLeft() + s * g.dilationWidth();
            for (int q = 0; q < width; q += lanes) {
                FloatVector v;
                if (q >= qStart && q + lanes <= qEnd) {
                    v = FloatVector.fromArray(F, in, src + q);
                } else {
                    VectorMask<Float> inside = q == 0 ? headLoad
                            : q == last ? tailLoad : F.indexInRange(q - qStart, qEnd - qStart);
                    v = FloatVector.fromArray(F, in, src + q, inside);
                }
                if (q != last || last + lanes == width) {
                    v.intoArray(col, dst + q);
                } else {
                    v.intoArray(col, dst + q, tailStore);
                }
            }
        }
    }

    /**
     * The column-matrix row of tap (r, s) for output rows [pFirst, pEnd) of a flat geometry: one
     * copy of the input rows those output rows read, then zeros over the rows outside the input
     * and the columns outside [qStart, qEnd).
     */
    private static void flatCopy(float[] col, int row, float[] in, int plane, ConvGeometry g, int r, int s,
                                 int pFirst, int pEnd, int qStart, int qEnd) {
        int width = g.outWidth();
        int rowShift = r * g.dilationHeight() - g.padTop();
        // output rows whose input row p + rowShift lies inside the input
        int pa = Math.min(pEnd, Math.max(pFirst, -rowShift));
        int pb = Math.max(pa, Math.min(pEnd, g.inHeight() - rowShift));
        zero(col, row, (pa - pFirst) * width);
        zero(col, row + (pb - pFirst) * width, (pEnd - pb) * width);
        if (pa == pb || qStart == qEnd) {
            zero(col, row + (pa - pFirst) * width, (pb - pa) * width);
            return;
        }
        // col index (p - pFirst)*Q + q reads in[plane + (p + rowShift)*W + q + s*dw - pl]: one shift, as Q == W
        int from = (pa - pFirst) * width + qStart;
        int to = (pb - 1 - pFirst) * width + qEnd;
        int shift = plane + (pFirst + rowShift) * width + s * g.dilationWidth() - g.padLeft();
        System.arraycopy(in, shift + from, col, row + from, to - from);
        for (int p = pa; p < pb; p++) {
            int start = row + (p - pFirst) * width;
            for (int q = 0; q < qStart; q++) {
                col[start + q] = 0f;
            }
            for (int q = qEnd; q < width; q++) {
                col[start + q] = 0f;
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
                          int pFirst, int pEnd, boolean scratch) {
        int rCount = g.kernelHeight();
        int sCount = g.kernelWidth();
        boolean flat = scratch && flat(g);
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = offIn + c * g.inHeight() * g.inWidth();
            for (int r = 0; r < rCount; r++) {
                for (int s = 0; s < sCount; s++) {
                    int row = offCol + ((c * rCount + r) * sCount + s) * ldCol;
                    int qStart = firstColumn(g, s);
                    int qEnd = endColumn(g, s);
                    if (flat) {
                        flatAdd(in, plane, col, row, g, r, s, pFirst, pEnd, qStart, qEnd);
                        continue;
                    }
                    if (g.strideWidth() == 1) {
                        addRowsUnitStride(in, plane, col, row, g, r, s, pFirst, pEnd, qStart, qEnd);
                        continue;
                    }
                    for (int p = pFirst; p < pEnd; p++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        if (h >= 0 && h < g.inHeight()) {
                            int dst = plane + h * g.inWidth() - g.padLeft() + s * g.dilationWidth();
                            int src = row + (p - pFirst) * g.outWidth();
                            for (int q = qStart; q < qEnd; q++) {
                                in[dst + q * g.strideWidth()] += col[src + q];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The reverse of {@link #flatCopy}: sets the padding columns of the tap's rows in col to -0,
     * then adds the whole run into the input in one pass.
     */
    private static void flatAdd(float[] in, int plane, float[] col, int row, ConvGeometry g, int r, int s,
                                int pFirst, int pEnd, int qStart, int qEnd) {
        int width = g.outWidth();
        int rowShift = r * g.dilationHeight() - g.padTop();
        int pa = Math.min(pEnd, Math.max(pFirst, -rowShift));
        int pb = Math.max(pa, Math.min(pEnd, g.inHeight() - rowShift));
        if (pa == pb || qStart == qEnd) {
            return;
        }
        for (int p = pa; p < pb; p++) {
            int start = row + (p - pFirst) * width;
            for (int q = 0; q < qStart; q++) {
                col[start + q] = -0f;
            }
            for (int q = qEnd; q < width; q++) {
                col[start + q] = -0f;
            }
        }
        int from = (pa - pFirst) * width + qStart;
        int to = (pb - 1 - pFirst) * width + qEnd;
        int shift = plane + (pFirst + rowShift) * width + s * g.dilationWidth() - g.padLeft();
        addRow(in, shift, col, row, from, to);
    }

    /** in[dst + q*stride] += col[src + q] for q in [qStart, qEnd). */
    private static void addRow(float[] in, int dst, float[] col, int src, int qStart, int qEnd) {
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

    /**
     * in rows += the column-matrix row of tap (r, s), unit width stride, output row by output row;
     * the tail mask is made once per tap (see {@link #rowsUnitStride}).
     */
    private static void addRowsUnitStride(float[] in, int plane, float[] col, int row, ConvGeometry g, int r, int s,
                                          int pFirst, int pEnd, int qStart, int qEnd) {
        int lanes = F.length();
        int tailStart = qStart + (qEnd - qStart) / lanes * lanes;
        VectorMask<Float> tail = F.indexInRange(tailStart, qEnd);
        for (int p = pFirst; p < pEnd; p++) {
            int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
            if (h < 0 || h >= g.inHeight()) {
                continue;
            }
            int dst = plane + h * g.inWidth() - g.padLeft() + s * g.dilationWidth();
            int src = row + (p - pFirst) * g.outWidth();
            for (int q = qStart; q < tailStart; q += lanes) {
                FloatVector.fromArray(F, in, dst + q).add(FloatVector.fromArray(F, col, src + q)).intoArray(in, dst + q);
            }
            if (tailStart < qEnd) {
                FloatVector.fromArray(F, in, dst + tailStart, tail).add(FloatVector.fromArray(F, col, src + tailStart, tail))
                        .intoArray(in, dst + tailStart, tail);
            }
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
