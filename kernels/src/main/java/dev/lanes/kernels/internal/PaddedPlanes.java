package dev.lanes.kernels.internal;

import dev.lanes.kernels.ConvGeometry;
import java.util.Arrays;

/**
 * A zero-padded copy of some input channels and rows, split by the width stride into phases, so
 * that every kernel tap of the direct convolution reads a contiguous run of output columns.
 *
 * <p>Padded row y is input row {@code y - padTop}; padded column x = j*strideW + phase is input
 * column {@code x - padLeft}. Buffer element {@code ((c*strideW + phase)*paddedHeight + y)*rowLength + j}
 * holds padded (y, x) of channel c of the copy (a copy may fill only some rows). Tap (r, s) of output (p, q) is then at
 * {@code y = p*strideH + r*dilationH}, phase {@code (s*dilationW) % strideW},
 * {@code j = q + (s*dilationW) / strideW}. Rows are long enough (zero-filled past the padded width)
 * for whole vectors of {@code vectorLanes} columns starting at any q below Q.
 */
final class PaddedPlanes {
    final int strideW;
    final int rowLength;
    final int paddedHeight;
    private final ConvGeometry g;

    PaddedPlanes(ConvGeometry g, int vectorLanes) {
        this.g = g;
        strideW = g.strideWidth();
        paddedHeight = g.inHeight() + g.padTop() + g.padBottom();
        int paddedWidth = g.inWidth() + g.padLeft() + g.padRight();
        int maxShift = (g.kernelWidth() - 1) * g.dilationWidth() / strideW;
        int columns = Math.ceilDiv(g.outWidth(), vectorLanes) * vectorLanes;
        rowLength = Math.max(Math.ceilDiv(paddedWidth, strideW), columns + maxShift);
    }

    /** Floats of a copy of {@code channels} channels. */
    int size(int channels) {
        return channels * strideW * paddedHeight * rowLength;
    }

    /** Index of (channel, phase, padded row y). */
    int rowIndex(int channel, int phase, int y) {
        return ((channel * strideW + phase) * paddedHeight + y) * rowLength;
    }

    /**
     * buf = padded rows [yFirst, yEnd) of channels [cFirst, cFirst + channels) of the image at
     * {@code offImage} of {@code in} (C, H, W).
     */
    void fill(float[] buf, float[] in, int offImage, int cFirst, int channels, int yFirst, int yEnd) {
        for (int c = 0; c < channels; c++) {
            int plane = offImage + (cFirst + c) * g.inHeight() * g.inWidth();
            for (int phase = 0; phase < strideW; phase++) {
                for (int y = yFirst; y < yEnd; y++) {
                    int dst = rowIndex(c, phase, y);
                    int h = y - g.padTop();
                    if (h < 0 || h >= g.inHeight()) {
                        Arrays.fill(buf, dst, dst + rowLength, 0f);
                    } else {
                        fillRow(buf, dst, in, plane + h * g.inWidth(), phase);
                    }
                }
            }
        }
    }

    private void fillRow(float[] buf, int dst, float[] in, int src, int phase) {
        if (strideW == 1) {
            int left = Math.min(g.padLeft(), rowLength);
            Arrays.fill(buf, dst, dst + left, 0f);
            System.arraycopy(in, src, buf, dst + left, g.inWidth());
            Arrays.fill(buf, dst + left + g.inWidth(), dst + rowLength, 0f);
            return;
        }
        for (int j = 0; j < rowLength; j++) {
            int w = j * strideW + phase - g.padLeft();
            buf[dst + j] = w >= 0 && w < g.inWidth() ? in[src + w] : 0f;
        }
    }

    /**
     * out (channels, H, W) at offImage, channel cFirst on = the interior of a copy: the inverse
     * of {@link #fill}, dropping the padding.
     */
    void extract(float[] out, int offImage, int cFirst, int channels, float[] buf) {
        for (int c = 0; c < channels; c++) {
            int plane = offImage + (cFirst + c) * g.inHeight() * g.inWidth();
            for (int h = 0; h < g.inHeight(); h++) {
                int y = h + g.padTop();
                int dst = plane + h * g.inWidth();
                if (strideW == 1) {
                    System.arraycopy(buf, rowIndex(c, 0, y) + g.padLeft(), out, dst, g.inWidth());
                    continue;
                }
                for (int w = 0; w < g.inWidth(); w++) {
                    int x = w + g.padLeft();
                    out[dst + w] = buf[rowIndex(c, x % strideW, y) + x / strideW];
                }
            }
        }
    }
}
