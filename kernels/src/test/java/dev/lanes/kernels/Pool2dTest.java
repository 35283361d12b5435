package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;

import dev.lanes.kernels.panama.pool.PanamaPool2d;
import dev.lanes.kernels.scalar.ScalarPool2d;
import dev.lanes.kernels.spi.Pool2dKernel;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Pooling against the definitions (max and argmax exactly, averages within their rounding bound),
 * and the vector implementation against the scalar one bit for bit (it sums in the same order),
 * on shapes that hit the vector interior, the borders and every tail, with special values.
 */
@Tag("panama")
class Pool2dTest {
    private static final long SEED = 0x9001L;
    private static final Pool2dKernel SCALAR = new ScalarPool2d();
    private static final Pool2dKernel PANAMA = new PanamaPool2d();
    private static final float[] SPECIALS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f};

    static PoolGeometry.Builder pool(int c, int h, int w, int r, int s) {
        return PoolGeometry.builder().input(c, h, w).kernel(r, s);
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("2x2 stride 2 (LeNet)", pool(6, 28, 28, 2, 2).build(), 3),
                Arguments.of("2x2 stride 2 wide", pool(2, 6, 75, 2, 2).build(), 2),
                Arguments.of("3x3 stride 2 pad 1", pool(3, 17, 70, 3, 3).stride(2, 2).padding(1).build(), 2),
                Arguments.of("3x3 stride 1 pad 1", pool(2, 9, 40, 3, 3).stride(1, 1).padding(1).build(), 2),
                Arguments.of("ceil mode", pool(3, 11, 37, 2, 2).ceilMode(true).build(), 2),
                Arguments.of("ceil mode 3x3 stride 2 pad 1", pool(2, 10, 36, 3, 3).stride(2, 2).padding(1).ceilMode(true).build(), 2),
                Arguments.of("dilation 2", pool(2, 12, 50, 3, 2).stride(1, 1).dilation(2, 2).padding(1, 0, 2, 1).build(), 2),
                Arguments.of("stride 3", pool(2, 9, 60, 2, 3).stride(3, 3).build(), 1),
                Arguments.of("1x1 image", pool(5, 1, 1, 1, 1).build(), 1),
                Arguments.of("window as large as the padded input", pool(2, 5, 6, 7, 8).padding(1).build(), 3),
                Arguments.of("asymmetric window and padding", pool(3, 20, 33, 4, 2).stride(2, 1).padding(2, 0, 1, 1).build(), 2),
                // no column whose whole window lies inside the row: every window reaches the padding
                Arguments.of("window wider than the row", pool(3, 10, 2, 3, 3).stride(1, 1).padding(1).build(), 2),
                Arguments.of("window one past the row, stride 2",
                        pool(3, 8, 4, 2, 5).stride(2, 2).padding(0, 0, 0, 1).build(), 2));
    }

    private static float[] data(SplittableRandom random, int length, boolean specials) {
        float[] a = ConvTesting.random(random, length);
        for (int i = 0; i < length; i++) {
            if (random.nextInt(10) == 0) {
                // ties: a few values repeat
                a[i] = a[random.nextInt(i + 1)];
            }
            if (specials && random.nextInt(25) == 0) {
                a[i] = SPECIALS[random.nextInt(SPECIALS.length)];
            }
        }
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void namedShapes(String name, PoolGeometry g, int batch) {
        check(name, g, batch, name.hashCode());
    }

    static Gen<PoolGeometry> geometries() {
        return source -> {
            int r = (int) source.next(Constraint.between(1, 4));
            int s = (int) source.next(Constraint.between(1, 4));
            int dh = (int) source.next(Constraint.between(1, 2));
            int dw = (int) source.next(Constraint.between(1, 2));
            int h = (r - 1) * dh + 1 + (int) source.next(Constraint.between(0, 8));
            int w = (s - 1) * dw + 1 + (int) source.next(Constraint.between(0, 60));
            int[] pad = new int[4];
            for (int i = 0; i < 4; i++) {
                pad[i] = (int) source.next(Constraint.between(0, 2));
            }
            PoolGeometry.Builder b = pool((int) source.next(Constraint.between(1, 3)), h, w, r, s)
                    .stride((int) source.next(Constraint.between(1, 3)), (int) source.next(Constraint.between(1, 3)))
                    .dilation(dh, dw).ceilMode(source.next(Constraint.between(0, 1)) == 1)
                    .padding(pad[0], pad[1], pad[2], pad[3]);
            try {
                return b.build();
            } catch (IllegalArgumentException windowInPadding) {
                return b.padding(0).build();
            }
        };
    }

    @Test
    void generatedShapes() {
        qt().withFixedSeed(SEED).withExamples(250).forAll(geometries()).checkAssert(g -> check(g + " seed " + SEED, g, 2, g.hashCode()));
    }

    private static void check(String name, PoolGeometry g, int batch, long seed) {
        for (boolean specials : new boolean[] {false, true}) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] in = data(random, batch * g.inputSize(), specials);
            float[] gradOut = data(random, batch * g.outputSize(), false);
            String what = name + (specials ? " with specials" : "");
            checkMax(what, g, batch, in, gradOut);
            for (boolean includePad : new boolean[] {false, true}) {
                checkAverage(what + " includePad " + includePad, g, batch, in, gradOut, includePad);
            }
        }
    }

    private static void checkMax(String what, PoolGeometry g, int batch, float[] in, float[] gradOut) {
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.inHeight() * g.inWidth();
        float[] out = new float[batch * g.outputSize()];
        int[] argmax = new int[out.length];
        PANAMA.maxForward(out, 0, argmax, 0, in, 0, g, batch);
        double[] expectedGrad = new double[in.length];
        for (int plane = 0; plane < batch * g.channels(); plane++) {
            for (int p = 0; p < g.outHeight(); p++) {
                for (int q = 0; q < g.outWidth(); q++) {
                    int o = plane * outPlane + p * g.outWidth() + q;
                    int index = PoolTesting.maxIndex(in, plane * inPlane, PoolTesting.window(g, p, q));
                    if (argmax[o] != index || Float.floatToRawIntBits(out[o]) != Float.floatToRawIntBits(in[plane * inPlane + index])) {
                        fail(what + ": output " + o + " is " + out[o] + " at " + argmax[o] + ", expected "
                                + in[plane * inPlane + index] + " at " + index);
                    }
                    expectedGrad[plane * inPlane + index] += gradOut[o];
                }
            }
        }
        float[] scalarOut = new float[out.length];
        int[] scalarArgmax = new int[out.length];
        SCALAR.maxForward(scalarOut, 0, scalarArgmax, 0, in, 0, g, batch);
        assertArrayEquals(scalarArgmax, argmax, what + ": argmax, vector vs scalar");
        for (int i = 0; i < out.length; i++) {
            assertEquals(Float.floatToRawIntBits(scalarOut[i]), Float.floatToRawIntBits(out[i]),
                    what + ": max, vector vs scalar, element " + i);
        }
        float[] gradIn = new float[in.length];
        PANAMA.maxBackward(gradIn, 0, gradOut, 0, argmax, 0, g, batch);
        float[] scalarGradIn = new float[in.length];
        SCALAR.maxBackward(scalarGradIn, 0, gradOut, 0, argmax, 0, g, batch);
        assertSameBits(what + ": max backward, vector vs scalar", scalarGradIn, gradIn);
        for (Pool2dKernel kernel : new Pool2dKernel[] {SCALAR, PANAMA}) {
            float[] dirty = dirty(in.length);
            kernel.maxBackward(dirty, 0, gradOut, 0, argmax, 0, g, batch);
            assertSameBits(what + ": " + kernel.getClass().getSimpleName() + " max backward into a dirty array",
                    gradIn, dirty);
        }
        // an input element gets at most R*S windows' gradients
        double bound = g.kernelHeight() * g.kernelWidth() * ConvTesting.U * 2;
        for (int i = 0; i < in.length; i++) {
            assertTrue(Math.abs(gradIn[i] - expectedGrad[i]) <= bound, what + ": max backward at " + i);
        }
    }

    private static void checkAverage(String what, PoolGeometry g, int batch, float[] in, float[] gradOut,
                                     boolean includePad) {
        int outPlane = g.outHeight() * g.outWidth();
        int inPlane = g.inHeight() * g.inWidth();
        float[] out = new float[batch * g.outputSize()];
        PANAMA.avgForward(out, 0, in, 0, g, batch, includePad);
        double[] expectedGrad = new double[in.length];
        for (int plane = 0; plane < batch * g.channels(); plane++) {
            for (int p = 0; p < g.outHeight(); p++) {
                for (int q = 0; q < g.outWidth(); q++) {
                    int o = plane * outPlane + p * g.outWidth() + q;
                    int[] window = PoolTesting.window(g, p, q);
                    int count = PoolTesting.count(g, p, q, includePad);
                    double sum = 0;
                    double magnitude = 0;
                    for (int position : window) {
                        sum += in[plane * inPlane + position];
                        magnitude += Math.abs(in[plane * inPlane + position]);
                        expectedGrad[plane * inPlane + position] += (double) gradOut[o] / count;
                    }
                    double expected = sum / count;
                    boolean special = Double.isNaN(expected) || Double.isInfinite(expected);
                    double bound = (window.length + 1) * ConvTesting.U * magnitude / count + Float.MIN_VALUE;
                    if (special ? !(Double.isNaN(expected) ? Float.isNaN(out[o]) : out[o] == expected)
                            : !(Math.abs(out[o] - expected) <= bound)) {
                        fail(what + ": average " + o + " is " + out[o] + ", expected " + expected);
                    }
                }
            }
        }
        float[] scalarOut = new float[out.length];
        SCALAR.avgForward(scalarOut, 0, in, 0, g, batch, includePad);
        assertSameBits(what + ": average, vector vs scalar", scalarOut, out);
        float[] gradIn = new float[in.length];
        PANAMA.avgBackward(gradIn, 0, gradOut, 0, g, batch, includePad);
        float[] scalarGradIn = new float[in.length];
        SCALAR.avgBackward(scalarGradIn, 0, gradOut, 0, g, batch, includePad);
        assertSameBits(what + ": average backward, vector vs scalar", scalarGradIn, gradIn);
        for (Pool2dKernel kernel : new Pool2dKernel[] {SCALAR, PANAMA}) {
            float[] dirty = dirty(in.length);
            kernel.avgBackward(dirty, 0, gradOut, 0, g, batch, includePad);
            assertSameBits(what + ": " + kernel.getClass().getSimpleName() + " average backward into a dirty array",
                    gradIn, dirty);
        }
        // each share rounds once, each addition once; |gradOut| <= 1
        double bound = 2 * g.kernelHeight() * g.kernelWidth() * ConvTesting.U * 1.0 + Float.MIN_VALUE;
        for (int i = 0; i < in.length; i++) {
            assertTrue(Math.abs(gradIn[i] - expectedGrad[i]) <= bound,
                    what + ": average backward at " + i + " is " + gradIn[i] + ", expected " + expectedGrad[i]);
        }
    }

    /**
     * Global pooling backward writes every element of gradIn ("0 elsewhere" for max): into an array
     * full of other values, NaN and infinities among them, it gives what it gives into zeros.
     */
    @Test
    void globalBackwardOverwritesADirtyArray() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int plane : new int[] {1, 2, 7, 16, 17, 49, 100}) {
            int planes = 2 * 3;
            float[] in = data(random, planes * plane, true);
            float[] gradOut = data(random, planes, false);
            float[] out = new float[planes];
            int[] argmax = new int[planes];
            Pool2d.globalMaxForward(out, 0, argmax, 0, in, 0, 2, 3, plane);
            for (Pool2dKernel kernel : new Pool2dKernel[] {SCALAR, PANAMA}) {
                String what = kernel.getClass().getSimpleName() + " plane " + plane + " (seed " + SEED + ")";
                float[] clean = new float[in.length];
                float[] dirty = dirty(in.length);
                kernel.globalMaxBackward(clean, 0, gradOut, 0, argmax, 0, planes, plane);
                kernel.globalMaxBackward(dirty, 0, gradOut, 0, argmax, 0, planes, plane);
                assertSameBits(what + ": global max backward into a dirty array", clean, dirty);
                for (int i = 0; i < in.length; i++) {
                    float expected = argmax[i / plane] == i % plane ? gradOut[i / plane] : 0f;
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(clean[i]),
                            what + ": global max backward at " + i);
                }
                clean = new float[in.length];
                dirty = dirty(in.length);
                kernel.globalAvgBackward(clean, 0, gradOut, 0, planes, plane);
                kernel.globalAvgBackward(dirty, 0, gradOut, 0, planes, plane);
                assertSameBits(what + ": global average backward into a dirty array", clean, dirty);
            }
        }
    }

    /** An array of garbage: random values, NaN, infinities. */
    private static float[] dirty(int length) {
        float[] a = ConvTesting.random(new SplittableRandom(length), length);
        for (int i = 0; i < length; i += 5) {
            a[i] = SPECIALS[i % 3];
        }
        return a;
    }
}
