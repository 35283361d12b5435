package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.kernels.panama.conv.PanamaIm2col;
import dev.lanes.kernels.scalar.ScalarIm2col;
import dev.lanes.kernels.spi.Im2colKernel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * im2col of both kernel sets against its definition written here as an index loop, on arrays with
 * no room past the operands (the input ends with the last image, the column matrix with its last
 * row): output rows from one element to a few vectors wide, with and without padding, unit and
 * larger strides and dilations, so every path of the vector kernel meets the ends of its arrays.
 * col2im is checked against the same definition, in double, within the rounding of its sums.
 */
@Tag("panama")
class Im2colOracleTest {
    private static final long SEED = 0x1c02L;

    @Test
    void im2colMatchesItsDefinitionOnExactArrays() {
        SplittableRandom random = new SplittableRandom(SEED);
        int lanes = FloatTesting.lanes();
        Im2colKernel[] kernels = {new ScalarIm2col(), new PanamaIm2col()};
        for (int example = 0; example < 1500; example++) {
            ConvGeometry g = geometry(random, lanes);
            int images = 1 + random.nextInt(2);
            int image = random.nextInt(images) == 0 ? images - 1 : 0;
            float[] in = FloatTesting.uniform(random, images * g.inputSize(), -4, 4);
            int offIn = image * g.inputSize();
            int pFirst = random.nextInt(3) == 0 ? 0 : random.nextInt(g.outHeight());
            int pEnd = random.nextInt(2) == 0 ? g.outHeight() : pFirst + 1 + random.nextInt(g.outHeight() - pFirst);
            int columns = (pEnd - pFirst) * g.outWidth();
            int ld = random.nextInt(3) == 0 ? columns + random.nextInt(3) : columns;
            int offCol = random.nextInt(3);
            String where = g + " image " + image + " of " + images + " rows " + pFirst + ".." + pEnd + " ld " + ld
                    + " offCol " + offCol + " (seed " + SEED + ", example " + example + ")";
            assertIm2col(kernels, where, g, in, offIn, pFirst, pEnd, ld, offCol);
        }
    }

    /**
     * Flat geometries (unit strides, output as wide as the input) whose first taps lie wholly in the
     * left padding, below rows of top padding: such a tap's rows inside the input are zeroed as one
     * range, which the random geometries above seldom make. Every range of output rows.
     */
    @Test
    void im2colZeroesTapsWhollyInThePadding() {
        long seed = SEED + 2;
        SplittableRandom random = new SplittableRandom(seed);
        Im2colKernel[] kernels = {new ScalarIm2col(), new PanamaIm2col()};
        ConvGeometry[] geometries = {
            ConvGeometry.builder().input(2, 3, 2).outChannels(1).kernel(5, 5).padding(2).build(),
            ConvGeometry.builder().input(1, 4, 3).outChannels(1).kernel(3, 7).padding(1, 1, 3, 3).build(),
            ConvGeometry.builder().input(1, 3, 2).outChannels(1).kernel(3, 3).padding(1, 1, 2, 0).build(),
        };
        for (ConvGeometry g : geometries) {
            float[] in = FloatTesting.uniform(random, g.inputSize(), -4, 4);
            for (int pFirst = 0; pFirst < g.outHeight(); pFirst++) {
                for (int pEnd = pFirst + 1; pEnd <= g.outHeight(); pEnd++) {
                    int columns = (pEnd - pFirst) * g.outWidth();
                    assertIm2col(kernels, g + " rows " + pFirst + ".." + pEnd + " (seed " + seed + ")", g, in, 0,
                            pFirst, pEnd, columns, 1);
                }
            }
        }
    }

    /** im2col of every kernel into a column matrix of exactly its size past offCol, filled with sentinels. */
    private static void assertIm2col(Im2colKernel[] kernels, String where, ConvGeometry g, float[] in, int offIn,
                                     int pFirst, int pEnd, int ld, int offCol) {
        int columns = (pEnd - pFirst) * g.outWidth();
        int rows = g.inChannels() * g.kernelHeight() * g.kernelWidth();
        int colLength = offCol + (rows - 1) * ld + columns;
        float[] expected = FloatTesting.sentinels(colLength);
        forEachTap(g, offCol, ld, offIn, pFirst, pEnd, (at, input) -> expected[at] = input < 0 ? 0f : in[input]);
        for (Im2colKernel kernel : kernels) {
            float[] col = FloatTesting.sentinels(colLength);
            String what = kernel.getClass().getSimpleName() + " " + where;
            try {
                kernel.im2col(col, offCol, ld, in, offIn, g, pFirst, pEnd);
            } catch (RuntimeException e) {
                throw new AssertionError(what + ": " + e, e);
            }
            for (int i = 0; i < colLength; i++) {
                if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(col[i])) {
                    fail(what + ": col[" + i + "] = " + col[i] + ", expected " + expected[i]);
                }
            }
        }
    }

    @Test
    void col2imAddsEveryTapIntoItsInputElement() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int lanes = FloatTesting.lanes();
        Im2colKernel[] kernels = {new ScalarIm2col(), new PanamaIm2col()};
        for (int example = 0; example < 800; example++) {
            ConvGeometry g = geometry(random, lanes);
            int images = 1 + random.nextInt(2);
            int image = random.nextInt(images) == 0 ? images - 1 : 0;
            int offIn = image * g.inputSize();
            int pFirst = random.nextInt(g.outHeight());
            int pEnd = random.nextInt(2) == 0 ? g.outHeight() : pFirst + 1 + random.nextInt(g.outHeight() - pFirst);
            int columns = (pEnd - pFirst) * g.outWidth();
            int ld = random.nextInt(3) == 0 ? columns + random.nextInt(3) : columns;
            int rows = g.inChannels() * g.kernelHeight() * g.kernelWidth();
            int offCol = random.nextInt(3);
            float[] col = FloatTesting.uniform(random, offCol + (rows - 1) * ld + columns, -2, 2);
            float[] start = FloatTesting.uniform(random, images * g.inputSize(), -2, 2);
            double[] exact = new double[start.length];
            double[] magnitude = new double[start.length];
            int[] terms = new int[start.length];
            for (int i = 0; i < start.length; i++) {
                exact[i] = start[i];
                magnitude[i] = Math.abs(start[i]);
            }
            forEachTap(g, offCol, ld, offIn, pFirst, pEnd, (from, at) -> {
                if (at >= 0) {
                    exact[at] += col[from];
                    magnitude[at] += Math.abs(col[from]);
                    terms[at]++;
                }
            });
            for (Im2colKernel kernel : kernels) {
                float[] in = start.clone();
                String what = kernel.getClass().getSimpleName() + " col2im " + g + " image " + image + " of "
                        + images + " rows " + pFirst + ".." + pEnd + " ld " + ld + " offCol " + offCol + " (seed "
                        + (SEED + 1) + ", example " + example + ")";
                try {
                    kernel.col2imAdd(in, offIn, col, offCol, ld, g, pFirst, pEnd);
                } catch (RuntimeException e) {
                    throw new AssertionError(what + ": " + e, e);
                }
                for (int i = 0; i < in.length; i++) {
                    // one rounding per added term in any order: gamma(terms) of the sum of magnitudes
                    double gamma = terms[i] * ConvTesting.U / (1 - terms[i] * ConvTesting.U);
                    double bound = gamma * magnitude[i];
                    if (!(Math.abs(in[i] - exact[i]) <= bound)) {
                        fail(what + ": in[" + i + "] = " + in[i] + ", exact " + exact[i] + " (" + terms[i]
                                + " terms)");
                    }
                }
            }
        }
    }

    /**
     * Small geometries around the vector width: output rows of 1 to 2 vectors and a few, padding on
     * none, some or all sides (also wide enough to empty a tap's columns), strides and dilations 1 to 3.
     */
    private static ConvGeometry geometry(SplittableRandom random, int lanes) {
        int r = 1 + random.nextInt(3);
        int s = 1 + random.nextInt(4);
        int dh = 1 + random.nextInt(2);
        int dw = random.nextInt(4) == 0 ? 3 : 1 + random.nextInt(2);
        int sh = 1 + random.nextInt(2);
        int sw = random.nextInt(3) == 0 ? 2 + random.nextInt(2) : 1;
        boolean padded = random.nextBoolean();
        int top = padded ? random.nextInt(3) : 0;
        int bottom = padded ? random.nextInt(3) : 0;
        int left = padded ? random.nextInt(s * dw + 1) : 0;
        int right = padded ? random.nextInt(s * dw + 1) : 0;
        int q = 1 + random.nextInt(2 * lanes + 2);
        int w = Math.max(1, (q - 1) * sw + (s - 1) * dw + 1 - left - right);
        int h = Math.max(1, (r - 1) * dh + 1 - top - bottom) + random.nextInt(5);
        return ConvGeometry.builder().input(1 + random.nextInt(3), h, w).outChannels(1).kernel(r, s)
                .stride(sh, sw).padding(top, bottom, left, right).dilation(dh, dw).build();
    }

    /** Receives one column entry and the input element it holds, or -1 for padding. */
    @FunctionalInterface
    private interface Tap {
        void accept(int column, int input);
    }

    /**
     * The definition of the column layout: every column entry of output rows pFirst..pEnd, with
     * the index of the input element under its tap (or -1 where the tap is on padding).
     */
    private static void forEachTap(ConvGeometry g, int offCol, int ld, int offIn, int pFirst, int pEnd, Tap tap) {
        for (int c = 0; c < g.inChannels(); c++) {
            for (int r = 0; r < g.kernelHeight(); r++) {
                for (int s = 0; s < g.kernelWidth(); s++) {
                    int row = offCol + ((c * g.kernelHeight() + r) * g.kernelWidth() + s) * ld;
                    for (int p = pFirst; p < pEnd; p++) {
                        for (int q = 0; q < g.outWidth(); q++) {
                            int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                            int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                            boolean inside = h >= 0 && h < g.inHeight() && w >= 0 && w < g.inWidth();
                            tap.accept(row + (p - pFirst) * g.outWidth() + q,
                                    inside ? offIn + (c * g.inHeight() + h) * g.inWidth() + w : -1);
                        }
                    }
                }
            }
        }
    }
}
