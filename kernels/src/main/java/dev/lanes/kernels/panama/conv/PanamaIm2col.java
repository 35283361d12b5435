package dev.lanes.kernels.panama.conv;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import dev.lanes.kernels.spi.Im2colKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector im2col, and col2im through {@link PanamaCol2im}.
 *
 * <p>A "same" convolution with unit strides (Q == W, the common 3x3 pad 1 layer) has a flat
 * shortcut: for a tap (c, r, s), consecutive output rows read consecutive input rows, so the
 * whole column-matrix row is one shifted copy of the input plane, after which the one or two
 * columns per row that fell in the padding are zeroed (they picked up the neighbouring row's
 * edge). That replaces P short copies by one long one.
 *
 * <p>Otherwise, with a unit width stride, each row segment is a shifted copy of an input row, a
 * vector at a time; the lanes in the padding are masked off the load (masked-off lanes read as
 * zero and may lie outside the array). Without padding and with rows no longer than a vector
 * (LeNet's C3) each row is one full vector ({@link #narrowUnpadded}). Other strides copy element
 * by element: a gather is no faster for these short rows.
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
        if (!flat && narrowUnpadded(col, offCol, ldCol, in, offIn, g, pFirst, pEnd)) {
            return;
        }
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
                        if (g.outWidth() <= F.length()) {
                            narrowRows(col, row, in, plane, g, r, s, pFirst, pEnd, qStart, qEnd);
                        } else {
                            rowsUnitStride(col, row, in, plane, g, r, s, pFirst, pEnd, qStart, qEnd);
                        }
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
        VectorMask<Float> headLoad = VectorMask.fromLong(F, laneBits(qStart, qEnd));
        VectorMask<Float> tailLoad = VectorMask.fromLong(F, laneBits(qStart - last, qEnd - last));
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
                            : q == last ? tailLoad : VectorMask.fromLong(F, laneBits(qStart - q, qEnd - q));
                    float[] from = in;
                    int at = src + q;
                    if (at < 0 || !PanamaTail.fits(in, at)) { // a vector outside in: from a copy (see PanamaTail)
                        from = PanamaTail.copyLanes(in, at, Math.clamp(qStart - q, 0, lanes),
                                Math.clamp(qEnd - q, 0, lanes));
                        at = PanamaTail.IN0;
                    }
                    v = FloatVector.fromArray(F, from, at, inside);
                }
                if (q != last || last + lanes == width) {
                    v.intoArray(col, dst + q);
                } else if (PanamaTail.fits(col, dst + q)) {
                    v.intoArray(col, dst + q, tailStore);
                } else { // not past the end of col: through the scratch, as in narrowRows (see PanamaTail)
                    float[] scratch = PanamaTail.scratch();
                    v.intoArray(scratch, PanamaTail.OUT, tailStore);
                    PanamaTail.copyOut(scratch, col, dst + q, width - q);
                }
            }
        }
    }

    /**
     * The whole column matrix of one image when no tap reads padding (no padding, unit width
     * stride), an output row is no longer than a vector, and every vector lies inside in and
     * col: LeNet's C3 (Q = 10) but for the last image's last rows. Else false, and the taps go one
     * by one. Each output row is a full vector load and a full vector store. The lanes past the
     * row spill into the next rows of the tap, which are stored after it; only the last rows,
     * whose full vector would pass the tap's end, store masked. Per tap the indices just step.
     * {@link #narrowRows}, with a masked load and store and its checks for every row and its
     * masks and bounds made per tap, is about twice as slow on C3's taps of ten rows.
     */
    private static boolean narrowUnpadded(float[] col, int offCol, int ldCol, float[] in, int offIn, ConvGeometry g,
                                          int pFirst, int pEnd) {
        int lanes = F.length();
        int width = g.outWidth();
        int rows = pEnd - pFirst;
        if (g.strideWidth() != 1 || width > lanes || rows <= 0 || g.padTop() != 0 || g.padBottom() != 0
                || g.padLeft() != 0 || g.padRight() != 0) {
            return false;
        }
        int channels = g.inChannels();
        int kernelHeight = g.kernelHeight();
        int kernelWidth = g.kernelWidth();
        int plane = g.inHeight() * g.inWidth();
        int tapRow = g.dilationHeight() * g.inWidth();
        int tapColumn = g.dilationWidth();
        int step = g.strideHeight() * g.inWidth();
        int first = offIn + pFirst * step; // tap (0, 0, 0), output row pFirst, column 0
        // the greatest index read and written: the last tap's last row, a whole vector
        long lastLoad = first + (long) (channels - 1) * plane + (long) (kernelHeight - 1) * tapRow
                + (long) (kernelWidth - 1) * tapColumn + (long) (rows - 1) * step;
        long lastStore = offCol + ((long) channels * kernelHeight * kernelWidth - 1) * ldCol
                + (long) (rows - 1) * width;
        if (lastLoad > in.length - lanes || lastStore > col.length - lanes) {
            return false;
        }
        int full = Math.max(0, Math.floorDiv(rows * width - lanes, width) + 1); // vector inside the tap's rows
        VectorMask<Float> last = VectorMask.fromLong(F, laneBits(0, width));
        int row = offCol;
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < kernelHeight; r++) {
                int src = first + c * plane + r * tapRow;
                for (int s = 0; s < kernelWidth; s++, src += tapColumn, row += ldCol) {
                    for (int p = 0; p < full; p++) {
                        FloatVector.fromArray(F, in, src + p * step).intoArray(col, row + p * width);
                    }
                    for (int p = full; p < rows; p++) {
                        FloatVector.fromArray(F, in, src + p * step).intoArray(col, row + p * width, last);
                    }
                }
            }
        }
        return true;
    }

    /**
     * The column-matrix row of tap (r, s), unit width stride, when an output row fits in one
     * vector and {@link #narrowUnpadded} cannot take the image: one masked load and one masked
     * store per output row, with the masks made and the input row, output row and source index
     * stepped once per tap instead of recomputed per row. Over the rows of C3 (6 channels, 5x5
     * taps, 10 output rows per tap) the general {@link #rowsUnitStride}, built for rows of several
     * vectors, spent about 3.5 ns a row on that bookkeeping. A vector that starts before in or
     * ends past it loads from a copy, and one that would end past col stores through the scratch
     * (see PanamaTail).
     */
    private static void narrowRows(float[] col, int row, float[] in, int plane, ConvGeometry g, int r, int s,
                                   int pFirst, int pEnd, int qStart, int qEnd) {
        int width = g.outWidth();
        VectorMask<Float> load = VectorMask.fromLong(F, laneBits(qStart, qEnd));
        VectorMask<Float> store = VectorMask.fromLong(F, laneBits(0, width));
        FloatVector zero = FloatVector.zero(F);
        int strideHeight = g.strideHeight();
        int inHeight = g.inHeight();
        int step = strideHeight * g.inWidth();
        int lastLoad = in.length - F.length(); // a vector starting at or before this lies inside in
        int lastStore = col.length - F.length();
        int h = pFirst * strideHeight - g.padTop() + r * g.dilationHeight();
        int src = plane + h * g.inWidth() - g.padLeft() + s * g.dilationWidth();
        int dst = row;
        for (int p = pFirst; p < pEnd; p++, h += strideHeight, src += step, dst += width) {
            FloatVector v;
            if (h < 0 || h >= inHeight) {
                v = zero;
            } else if (src >= 0 && src <= lastLoad) {
                v = FloatVector.fromArray(F, in, src, load);
            } else {
                v = FloatVector.fromArray(F, PanamaTail.copyLanes(in, src, qStart, qEnd), PanamaTail.IN0, load);
            }
            if (dst <= lastStore) {
                v.intoArray(col, dst, store);
            } else {
                float[] scratch = PanamaTail.scratch();
                v.intoArray(scratch, PanamaTail.OUT, store);
                PanamaTail.copyOut(scratch, col, dst, width);
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

    /**
     * The bits of lanes [lo, hi), clamped to the vector, for {@link VectorMask#fromLong}.
     * {@code indexInRange} with a negative offset takes a slow path in JDK 25 that C2 does not
     * intrinsify (it allocates), and the first lanes of a row in the padding need one.
     */
    static long laneBits(int lo, int hi) {
        int first = Math.max(lo, 0);
        int end = Math.min(hi, F.length());
        return end <= first ? 0L : (-1L >>> (64 - (end - first))) << first;
    }

    private static void zero(float[] a, int from, int length) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(length); i < bound; i += F.length()) {
            zero.intoArray(a, from + i);
        }
        if (i < length && PanamaTail.fits(a, from + i)) {
            zero.intoArray(a, from + i, F.indexInRange(i, length));
        } else { // no masked store past the end of a: see PanamaTail
            for (; i < length; i++) {
                a[from + i] = 0f;
            }
        }
    }

    @Override
    public void col2imAdd(float[] in, int offIn, float[] col, int offCol, int ldCol, ConvGeometry g,
                          int pFirst, int pEnd) {
        PanamaCol2im.add(in, offIn, col, offCol, ldCol, g, pFirst, pEnd);
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
