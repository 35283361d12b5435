package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lanes.kernels.panama.conv.PanamaIm2col;
import dev.lanes.kernels.scalar.ScalarIm2col;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * im2col is a copy, so the vector version must equal the scalar one bit for bit; col2im adds in
 * the same order in both, so it must too. Checked over random geometries and row ranges, plus
 * the definition on one hand-made case and the adjoint identity.
 */
@Tag("panama")
class Im2colTest {
    private static final long SEED = 0x1c01L;

    @Test
    void vectorMatchesScalarBitForBit() {
        qt().withFixedSeed(SEED).withExamples(400).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            // half of the cases "same" geometries with unit strides, which take the flat path
            ConvGeometry g = seed % 2 == 0 ? ConvTesting.randomGeometry(random) : randomSameGeometry(random);
            float[] in = ConvTesting.random(random, g.inputSize());
            int pFirst = random.nextInt(g.outHeight());
            int pEnd = pFirst + 1 + random.nextInt(g.outHeight() - pFirst);
            int columns = (pEnd - pFirst) * g.outWidth();
            int ld = columns + random.nextInt(3);
            int rows = g.inChannels() * g.kernelHeight() * g.kernelWidth();
            float[] scalar = new float[rows * ld + 4];
            float[] vector = new float[rows * ld + 4];
            new ScalarIm2col().im2col(scalar, 2, ld, in, 0, g, pFirst, pEnd);
            new PanamaIm2col().im2col(vector, 2, ld, in, 0, g, pFirst, pEnd);
            assertArrayEquals(scalar, vector, g + " rows " + pFirst + ".." + pEnd + " seed " + seed);
            float[] col = ConvTesting.random(random, rows * ld);
            float[] scalarIn = ConvTesting.random(random, g.inputSize());
            float[] vectorIn = scalarIn.clone();
            new ScalarIm2col().col2imAdd(scalarIn, 0, col, 0, ld, g, pFirst, pEnd);
            new PanamaIm2col().col2imAdd(vectorIn, 0, col, 0, ld, g, pFirst, pEnd);
            assertArrayEquals(scalarIn, vectorIn, g + " col2im rows " + pFirst + ".." + pEnd + " seed " + seed);
        });
    }

    /**
     * No padding, unit width stride and output rows no longer than a vector (LeNet's C3), with
     * room past the operands in both arrays: the path that stores whole vectors and lets them
     * spill into the next rows of the tap. The room past the column matrix holds a sentinel, and
     * the elements past the input hold values that must not reach the matrix.
     */
    @Test
    void unpaddedNarrowRowsMatchScalarAndStayInside() {
        qt().withFixedSeed(SEED + 2).withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            int lanes = KernelProvider.vectorBits() / Float.SIZE;
            int r = 1 + random.nextInt(5);
            int s = 1 + random.nextInt(5);
            int dh = 1 + random.nextInt(2);
            int dw = 1 + random.nextInt(2);
            int q = 1 + random.nextInt(lanes);
            int h = (r - 1) * dh + 1 + random.nextInt(12);
            ConvGeometry g = ConvGeometry.builder().input(1 + random.nextInt(4), h, (s - 1) * dw + q).outChannels(1)
                    .kernel(r, s).stride(1 + random.nextInt(2), 1).dilation(dh, dw).build();
            int images = 1 + random.nextInt(3);
            int image = random.nextInt(images);
            int room = random.nextInt(2 * lanes);
            float[] in = ConvTesting.random(random, images * g.inputSize() + room);
            int pFirst = random.nextInt(g.outHeight());
            int pEnd = pFirst + 1 + random.nextInt(g.outHeight() - pFirst);
            int columns = (pEnd - pFirst) * g.outWidth();
            int ld = columns * (1 + random.nextInt(2)) + random.nextInt(3);
            int rows = g.inChannels() * g.kernelHeight() * g.kernelWidth();
            float[] scalar = new float[1 + rows * ld + random.nextInt(2 * lanes)];
            Arrays.fill(scalar, 7f);
            float[] vector = scalar.clone();
            new ScalarIm2col().im2col(scalar, 1, ld, in, image * g.inputSize(), g, pFirst, pEnd);
            new PanamaIm2col().im2col(vector, 1, ld, in, image * g.inputSize(), g, pFirst, pEnd);
            assertArrayEquals(scalar, vector, g + " image " + image + " of " + images + " rows " + pFirst + ".."
                    + pEnd + " ld " + ld + " seed " + seed);
        });
    }

    /** Unit strides and left + right padding = (S-1)*dilation, so Q == W: the flat path. */
    static ConvGeometry randomSameGeometry(SplittableRandom random) {
        int s = 1 + random.nextInt(5);
        int dw = 1 + random.nextInt(2);
        int left = random.nextInt((s - 1) * dw + 1);
        int r = 1 + random.nextInt(4);
        int dh = 1 + random.nextInt(2);
        int top = random.nextInt(3);
        int bottom = random.nextInt(3);
        int h = Math.max(1, (r - 1) * dh + 1 - top - bottom) + random.nextInt(6);
        int w = 1 + random.nextInt(30);
        return ConvGeometry.builder().input(1 + random.nextInt(3), h, w).outChannels(2).kernel(r, s)
                .padding(top, bottom, left, (s - 1) * dw - left).dilation(dh, dw).build();
    }

    @Test
    void definitionOnASmallCase() {
        // one channel 2x3, 2x2 kernel, pad 1 left only, stride 1: P = 1, Q = 3
        ConvGeometry g = ConvGeometry.builder().input(1, 2, 3).outChannels(1).kernel(2, 2).padding(0, 0, 1, 0).build();
        float[] in = {1, 2, 3, 4, 5, 6};
        float[] col = new float[(int) Im2col.columnSize(g)];
        Im2col.im2col(col, 0, in, 0, g);
        float[] expected = {
                0, 1, 2, // tap (0, 0): in[0][q - 1]
                1, 2, 3, // tap (0, 1): in[0][q]
                0, 4, 5, // tap (1, 0)
                4, 5, 6}; // tap (1, 1)
        assertArrayEquals(expected, col);
        float[] back = new float[6];
        Im2col.col2im(back, 0, col, 0, g);
        // each input element times the number of windows that take it
        assertArrayEquals(new float[] {2, 4, 3, 8, 10, 6}, back);
    }

    @Test
    void col2imIsTheAdjointOfIm2col() {
        qt().withFixedSeed(SEED + 1).withExamples(100).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            ConvGeometry g = ConvTesting.randomGeometry(random);
            float[] in = ConvTesting.random(random, g.inputSize());
            float[] col = ConvTesting.random(random, (int) Im2col.columnSize(g));
            float[] colOfIn = new float[col.length];
            Im2col.im2col(colOfIn, 0, in, 0, g);
            float[] inOfCol = new float[in.length];
            Im2col.col2im(inOfCol, 0, col, 0, g);
            double left = 0;
            double magnitude = 0;
            for (int i = 0; i < col.length; i++) {
                left += (double) col[i] * colOfIn[i];
                magnitude += Math.abs((double) col[i] * colOfIn[i]);
            }
            double right = 0;
            for (int i = 0; i < in.length; i++) {
                right += (double) inOfCol[i] * in[i];
            }
            // im2col is exact; col2im rounds each element once per added term (at most R*S of them)
            double bound = g.kernelHeight() * g.kernelWidth() * ConvTesting.U * magnitude + 1e-12;
            assertTrue(Math.abs(left - right) <= bound, g + ": " + left + " vs " + right + " seed " + seed);
        });
    }

    @Test
    void columnSizeIsRowsTimesOutputPixels() {
        ConvGeometry g = ConvGeometry.builder().input(3, 7, 9).outChannels(5).kernel(2, 3).stride(2, 1).build();
        assertEquals(3L * 2 * 3 * g.outHeight() * g.outWidth(), Im2col.columnSize(g));
    }
}
