package dev.lanes.kernels.internal;

import dev.lanes.kernels.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector im2col and col2im.
 *
 * <p>Unit strides with a pitch of W (output rows laid out W columns apart, so Q == W for the
 * common 3x3 pad 1 layer, and W - Q columns of zeros per row otherwise) have a flat shortcut:
 * for a tap (c, r, s), consecutive output rows read consecutive input rows, so the whole
 * column-matrix row is one shifted copy of the input plane, after which the columns that fell
 * in the padding or past Q are zeroed (they picked up the neighbouring row's edge). That
 * replaces P short copies by one long one; for 14 x 14 images it makes im2col several times
 * cheaper. col2im does the reverse, with those columns of its (scratch) column matrix first set
 * to -0, which adds nothing to any value, -0 included.
 *
 * <p>Otherwise, with a unit width stride, each row segment is a shifted copy of an input row, a
 * vector at a time; the lanes in the padding are masked off the load (masked-off lanes read as
 * zero and may lie outside the array). Other strides copy element by element: a gather is no
 * faster for these short rows.
 */
public final class PanamaIm2col implements Im2colKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    /** Whether a layout of this pitch takes the flat path: unit strides and a pitch of W. */
    static boolean flat(ConvGeometry g, int pitch) {
        return g.strideWidth() == 1 && g.strideHeight() == 1 && pitch == g.inWidth();
    }

    /**
     * The pitch the convolution plans use: W for unit strides (Q <= W then, unless the padding
     * exceeds the kernel), so that im2col copies whole runs, when the GEMM work wasted on the W - Q
     * extra columns per row, 2*K*(W - Q) flops, costs less than the short row copies it saves
     * (about 5 ns, some 400 flops); else Q.
     */
    static int pitch(ConvGeometry g, int outChannels) {
        int extra = g.inWidth() - g.outWidth();
        boolean wide = g.strideWidth() == 1 && g.strideHeight() == 1 && extra >= 0 && (long) outChannels * extra <= 200;
        return wide ? g.inWidth() : g.outWidth();
    }

    @Override
    public void im2col(float[] col, int offCol, int ldCol, int pitch, float[] in, int offIn, ConvGeometry g,
                       int pFirst, int pEnd) {
        int rCount = g.kernelHeight();
        int sCount = g.kernelWidth();
        boolean flat = flat(g, pitch);
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
                    for (int p = pFirst; p < pEnd; p++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        int dst = row + (p - pFirst) * pitch;
                        if (h < 0 || h >= g.inHeight()) {
                            zero(col, dst, pitch);
                        } else {
                            // source index of output column q = 0 (it may lie in the padding)
                            int src = plane + h * g.inWidth() - g.padLeft() + s * g.dilationWidth();
                            copyRow(col, dst, in, src, g.strideWidth(), g.outWidth(), qStart, qEnd);
                            zero(col, dst + g.outWidth(), pitch - g.outWidth());
                        }
                    }
                }
            }
        }
    }

    /**
     * The column-matrix row of tap (r, s) for output rows [pFirst, pEnd) with a pitch of W: one
     * copy of the input rows those output rows read, then zeros over the rows outside the input
     * and the columns outside [qStart, qEnd).
     */
    private static void flatCopy(float[] col, int row, float[] in, int plane, ConvGeometry g, int r, int s,
                                 int pFirst, int pEnd, int qStart, int qEnd) {
        int width = g.inWidth();
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
        // col index (p - pFirst)*W + q reads in[plane + (p + rowShift)*W + q + s*dw - pl]: one shift
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
    public void col2imAdd(float[] in, int offIn, float[] col, int offCol, int ldCol, int pitch, ConvGeometry g,
                          int pFirst, int pEnd, boolean scratch) {
        int rCount = g.kernelHeight();
        int sCount = g.kernelWidth();
        boolean flat = scratch && flat(g, pitch);
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
                    for (int p = pFirst; p < pEnd; p++) {
                        int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                        if (h >= 0 && h < g.inHeight()) {
                            int dst = plane + h * g.inWidth() - g.padLeft() + s * g.dilationWidth();
                            addRow(in, dst, col, row + (p - pFirst) * pitch, g.strideWidth(), qStart, qEnd);
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
        int width = g.inWidth();
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
        addRow(in, shift, col, row, 1, from, to);
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
