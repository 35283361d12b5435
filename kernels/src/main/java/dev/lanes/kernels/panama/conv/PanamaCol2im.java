package dev.lanes.kernels.panama.conv;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector col2im for {@link PanamaIm2col}: adds a column matrix back into the input image, each
 * element getting its terms in tap order, as the scalar version adds them, so the bits are the
 * same.
 *
 * <p>With a unit width stride it works in gather form ({@link #gatherRow}): every input vector
 * is loaded once, gets the runs of all the taps that reach it added in tap order, and is stored
 * once. Rows go channel by channel within each row index, and rows that fit in one vector two
 * channels at a time ({@link #gatherNarrowPair}). Other strides add element by element.
 */
final class PanamaCol2im {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    private PanamaCol2im() {
    }

    /** in += col2im(col) for output rows [pFirst, pEnd): {@link Im2colKernel#col2imAdd}. */
    static void add(float[] in, int offIn, float[] col, int offCol, int ldCol, ConvGeometry g, int pFirst,
                    int pEnd) {
        if (g.strideWidth() == 1) {
            // the input rows that output rows [pFirst, pEnd) reach
            int hFirst = Math.max(0, pFirst * g.strideHeight() - g.padTop());
            int hEnd = Math.min(g.inHeight(), (pEnd - 1) * g.strideHeight() - g.padTop()
                    + (g.kernelHeight() - 1) * g.dilationHeight() + 1);
            boolean narrow = g.inWidth() <= F.length();
            for (int h = hFirst; h < hEnd; h++) {
                int c = 0;
                while (narrow && c + 2 <= g.inChannels()
                        && gatherNarrowPair(in, offIn, col, offCol, ldCol, g, c, h, pFirst, pEnd)) {
                    c += 2;
                }
                for (; c < g.inChannels(); c++) {
                    gatherRow(in, offIn, col, offCol, ldCol, g, c, h, pFirst, pEnd);
                }
            }
            return;
        }
        int rCount = g.kernelHeight();
        int sCount = g.kernelWidth();
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = offIn + c * g.inHeight() * g.inWidth();
            for (int r = 0; r < rCount; r++) {
                for (int s = 0; s < sCount; s++) {
                    int row = offCol + ((c * rCount + r) * sCount + s) * ldCol;
                    int qStart = PanamaIm2col.firstColumn(g, s);
                    int qEnd = PanamaIm2col.endColumn(g, s);
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
     * {@link #gatherRow} for input row h of channels c and c + 1 at once, when an input row fits
     * in one vector (LeNet C3's rows of 14), false (nothing done) when the second row's vector
     * would pass the end of in. Each tap adds to the row's vector through a dependent add and
     * blend; two channels side by side give the core two independent chains, and the taps' masks
     * and offsets are made once for both.
     */
    private static boolean gatherNarrowPair(float[] in, int offIn, float[] col, int offCol, int ldCol,
                                            ConvGeometry g, int c, int h, int pFirst, int pEnd) {
        int lanes = F.length();
        int width = g.inWidth();
        int plane = g.inHeight() * width;
        int dst0 = offIn + c * plane + h * width;
        int dst1 = dst0 + plane;
        if (!PanamaTail.fits(in, dst1)) {
            return false;
        }
        int outWidth = g.outWidth();
        int rCount = g.kernelHeight();
        int sCount = g.kernelWidth();
        int channel = rCount * sCount * ldCol;
        int colLast = col.length - lanes;
        VectorMask<Float> row = VectorMask.fromLong(F, PanamaIm2col.laneBits(0, width));
        FloatVector acc0 = FloatVector.fromArray(F, in, dst0, row);
        FloatVector acc1 = FloatVector.fromArray(F, in, dst1, row);
        for (int r = 0; r < rCount; r++) {
            int p = outputRow(g, h, r, pFirst, pEnd);
            if (p < 0) {
                continue;
            }
            int tap = offCol + (c * rCount + r) * sCount * ldCol + (p - pFirst) * outWidth;
            for (int s = 0; s < sCount; s++, tap += ldCol) {
                // lane i takes output column i - shift: lanes [shift, shift + Q) within the row
                int shift = s * g.dilationWidth() - g.padLeft();
                int lo = Math.max(shift, 0);
                int hi = Math.min(shift + outWidth, width);
                if (hi <= lo) {
                    continue;
                }
                VectorMask<Float> taken = VectorMask.fromLong(F, PanamaIm2col.laneBits(lo, hi));
                int at = tap - shift;
                FloatVector v0 = at >= 0 && at <= colLast ? FloatVector.fromArray(F, col, at, taken)
                        : FloatVector.fromArray(F, PanamaTail.copyLanes(col, at, lo, hi), PanamaTail.IN0, taken);
                acc0 = acc0.blend(acc0.add(v0), taken);
                at += channel;
                FloatVector v1 = at >= 0 && at <= colLast ? FloatVector.fromArray(F, col, at, taken)
                        : FloatVector.fromArray(F, PanamaTail.copyLanes(col, at, lo, hi), PanamaTail.IN0, taken);
                acc1 = acc1.blend(acc1.add(v1), taken);
            }
        }
        acc0.intoArray(in, dst0, row);
        acc1.intoArray(in, dst1, row);
        return true;
    }

    /**
     * col2im of input row h of channel c with a unit width stride, in gather form: each vector of
     * the row loads its current value, adds the column-matrix runs of every tap (r, s) that
     * reaches it, in tap order (the scalar order, so the bits are the same), and is stored once.
     * Scattering tap by tap instead stores a vector and reloads it shifted by one element for the
     * next tap, and those loads stall on the store they overlap; this way only loads overlap.
     * {@link #add} takes the rows channel by channel within each row index, not row after row of one
     * channel: a row's last vector, when the row is not a whole number of vectors, spans the
     * start of the next row, and loading that row right after the masked store stalled as well
     * (LeNet C3's rows of 14).
     */
    private static void gatherRow(float[] in, int offIn, float[] col, int offCol, int ldCol, ConvGeometry g,
                                  int c, int h, int pFirst, int pEnd) {
        int lanes = F.length();
        int width = g.inWidth();
        int outWidth = g.outWidth();
        int rCount = g.kernelHeight();
        int sCount = g.kernelWidth();
        int plane = offIn + c * g.inHeight() * width;
        int dst = plane + h * width;
        for (int w = 0; w < width; w += lanes) {
            // a row no tap reaches is loaded and stored unchanged: cheaper than a branch on a
            // nullable vector, which C2 would box
            VectorMask<Float> inRow = F.indexInRange(w, width);
            // a last vector past the end of in goes through a copy (see PanamaTail)
            boolean inFits = w + lanes <= width || PanamaTail.fits(in, dst + w);
            FloatVector acc = inFits ? FloatVector.fromArray(F, in, dst + w, inRow) : FloatVector.fromArray(F,
                    PanamaTail.copyLanes(in, dst + w, 0, width - w), PanamaTail.IN0, inRow);
            for (int r = 0; r < rCount; r++) {
                int p = outputRow(g, h, r, pFirst, pEnd);
                if (p < 0) {
                    continue;
                }
                for (int s = 0; s < sCount; s++) {
                    // lane i reads output column q = w + i + pl - s*dw
                    int q = w + g.padLeft() - s * g.dilationWidth();
                    if (q >= outWidth || q + lanes <= 0) {
                        continue;
                    }
                    int src = offCol + ((c * rCount + r) * sCount + s) * ldCol + (p - pFirst) * outWidth + q;
                    if (q >= 0 && q + lanes <= outWidth && w + lanes <= width) {
                        acc = acc.add(FloatVector.fromArray(F, col, src));
                    } else {
                        // lanes with q + i in [0, Q) and w + i < W
                        VectorMask<Float> lanesIn =
                                VectorMask.fromLong(F, PanamaIm2col.laneBits(-q, Math.min(outWidth - q, width - w)));
                        float[] from = col;
                        int at = src;
                        if (at < 0 || !PanamaTail.fits(col, at)) { // from a copy: see PanamaTail
                            int lo = Math.max(-q, 0);
                            from = PanamaTail.copyLanes(col, at, lo,
                                    Math.max(lo, Math.min(lanes, Math.min(outWidth - q, width - w))));
                            at = PanamaTail.IN0;
                        }
                        // blend, not add(v, mask): the masked add is not intrinsified (it allocates)
                        acc = acc.blend(acc.add(FloatVector.fromArray(F, from, at, lanesIn)), lanesIn);
                    }
                }
            }
            if (inFits) {
                acc.intoArray(in, dst + w, inRow);
            } else {
                float[] copy = PanamaTail.scratch();
                acc.intoArray(copy, PanamaTail.OUT, inRow);
                PanamaTail.copyOut(copy, in, dst + w, width - w);
            }
        }
    }

    /**
     * The output row in [pFirst, pEnd) whose tap r lands on input row h, or -1 when there is none.
     * A unit height stride needs no division: with C3's short rows two integer divisions per tap
     * row were worth avoiding.
     */
    private static int outputRow(ConvGeometry g, int h, int r, int pFirst, int pEnd) {
        int offset = h + g.padTop() - r * g.dilationHeight();
        int strideHeight = g.strideHeight();
        if (offset < 0 || strideHeight != 1 && offset % strideHeight != 0) {
            return -1;
        }
        int p = strideHeight == 1 ? offset : offset / strideHeight;
        return p >= pFirst && p < pEnd ? p : -1;
    }
}
