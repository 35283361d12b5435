package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** MaxPool2d, AvgPool2d, GlobalMaxPool2d and GlobalAvgPool2d against loops written from the definitions. */
class PoolingTest {
    private static final long SEED = 0x9001L;

    /** A window configuration, square for brevity but with every option. */
    record Config(int kernel, int stride, int pad, int dilation, boolean ceil, int h, int w) {
        PoolWindow window() {
            return PoolWindow.of(kernel).stride(stride).padding(pad).dilation(dilation).ceilMode(ceil);
        }

        int outSize(int in) {
            int span = in + 2 * pad - dilation * (kernel - 1) - 1;
            int out = (ceil ? Math.ceilDiv(span, stride) : span / stride) + 1;
            if (ceil && (out - 1) * stride >= in + pad) {
                out--;
            }
            return out;
        }

        /** A random valid configuration: drawn again while the kernels would reject it. */
        static Config random(SplittableRandom random) {
            while (true) {
                int kernel = 1 + random.nextInt(3);
                int dilation = 1 + random.nextInt(2);
                Config c = new Config(kernel, 1 + random.nextInt(3), random.nextInt(kernel / 2 + 1), dilation,
                        random.nextBoolean(), dilation * (kernel - 1) + 1 + random.nextInt(4),
                        dilation * (kernel - 1) + 1 + random.nextInt(4));
                try {
                    c.window().geometry(1, c.h, c.w);
                    return c;
                } catch (IllegalArgumentException e) {
                    // a window entirely in the padding: draw again
                }
            }
        }
    }

    /** Max (mode 0), average with padding counted (1) or not (2), in double, straight from the definition. */
    static Tensor naive(Tensor x, Config c, int mode) {
        int p = c.outSize(x.dim(2));
        int q = c.outSize(x.dim(3));
        Tensor y = Tensor.zeros(x.dim(0), x.dim(1), p, q);
        for (int n = 0; n < x.dim(0); n++) {
            for (int ch = 0; ch < x.dim(1); ch++) {
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b < q; b++) {
                        double max = Double.NEGATIVE_INFINITY;
                        double sum = 0;
                        int inside = 0;
                        int padded = 0;
                        for (int u = 0; u < c.kernel(); u++) {
                            for (int v = 0; v < c.kernel(); v++) {
                                int row = a * c.stride() - c.pad() + u * c.dilation();
                                int col = b * c.stride() - c.pad() + v * c.dilation();
                                if (row < x.dim(2) + c.pad() && col < x.dim(3) + c.pad()) {
                                    padded++;
                                }
                                if (row >= 0 && row < x.dim(2) && col >= 0 && col < x.dim(3)) {
                                    max = Math.max(max, x.get(n, ch, row, col));
                                    sum += x.get(n, ch, row, col);
                                    inside++;
                                }
                            }
                        }
                        y.set(n, ch, a, b, (float) (mode == 0 ? max : sum / (mode == 1 ? padded : inside)));
                    }
                }
            }
        }
        return y;
    }

    /** Distinct values 0.1 apart, shuffled: no ties in any window, even after a ±0.01 step. */
    static Tensor distinct(long seed, int... dims) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = Shape.of(dims).size();
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = 0.1f * (i - size / 2);
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        return Tensor.fromArray(values, dims);
    }

    @Test
    void handCases() {
        Tensor x = Tensor.fromArray(new float[] {1, 5, 2, 0, 3, 4, 7, 1, 0, 2, 9, 6, 8, 1, 3, 2}, 1, 1, 4, 4);
        assertArrayEquals(new float[] {5, 7, 8, 9}, new MaxPool2d(2).forward(x, false).toArray());
        assertArrayEquals(new float[] {13 / 4f, 10 / 4f, 11 / 4f, 20 / 4f}, new AvgPool2d(2).forward(x, false).toArray());
        MaxPool2d max = new MaxPool2d(2);
        max.forward(x, true);
        Tensor dx = max.backward(Tensor.fromArray(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 3, 0, 0, 0}, dx.toArray());
        // Padding 1 with a 2x2 window and stride 2 on 2x2: four windows of one input element each,
        // averaged over 4 positions with count-include-pad, over 1 without.
        Tensor small = Tensor.fromArray(new float[] {4, 8, 12, 16}, 1, 1, 2, 2);
        PoolWindow padded = PoolWindow.of(2).padding(1);
        assertArrayEquals(new float[] {1, 2, 3, 4}, new AvgPool2d(padded, true).forward(small, false).toArray());
        assertArrayEquals(new float[] {4, 8, 12, 16}, new AvgPool2d(padded, false).forward(small, false).toArray());
        assertArrayEquals(new float[] {9, 10}, new GlobalAvgPool2d().forward(Tensor.fromArray(
                new float[] {8, 10, 9, 6, 10, 14}, 1, 2, 1, 3), false).toArray());
    }

    @Test
    void tiesPickTheFirstAndNaNPropagates() {
        Tensor x = Tensor.fromArray(new float[] {3, 3, 3, 3}, 1, 1, 2, 2);
        MaxPool2d max = new MaxPool2d(2);
        max.forward(x, true);
        assertArrayEquals(new float[] {7, 0, 0, 0}, max.backward(Tensor.fromArray(new float[] {7}, 1, 1, 1, 1))
                .toArray());
        GlobalMaxPool2d global = new GlobalMaxPool2d();
        global.forward(x, true);
        assertArrayEquals(new float[] {7, 0, 0, 0}, global.backward(Tensor.fromArray(new float[] {7}, 1, 1))
                .toArray());
        Tensor withNaN = Tensor.fromArray(new float[] {1, Float.NaN, 5, 2}, 1, 1, 2, 2);
        assertEquals(Float.NaN, max.forward(withNaN, false).item());
        assertEquals(Float.NaN, global.forward(withNaN, false).item());
    }

    @Test
    void windowedPoolsMatchTheDefinitionOverRandomConfigurations() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int trial = 0; trial < 60; trial++) {
            Config c = Config.random(random);
            Tensor x = randn(SEED + trial, 1 + random.nextInt(2), 1 + random.nextInt(3), c.h(), c.w());
            Layer[] layers = {new MaxPool2d(c.window()), new AvgPool2d(c.window(), true),
                new AvgPool2d(c.window(), false)};
            for (int mode = 0; mode < 3; mode++) {
                Tensor expected = naive(x, c, mode);
                assertEquals(expected.shape(), layers[mode].outputShape(x.shape()), c.toString());
                String mismatch = Tensor.mismatch(layers[mode].forward(x, true), expected, 1e-6, 1e-6);
                assertNull(mismatch, layers[mode].name() + " " + c + " seed " + SEED + ": " + mismatch);
            }
        }
    }

    @Test
    void globalPoolsMatchTheDefinition() {
        Tensor x = randn(SEED + 1, 3, 4, 2, 5);
        Tensor max = new GlobalMaxPool2d().forward(x, true);
        Tensor avg = new GlobalAvgPool2d().forward(x, true);
        assertEquals(Shape.of(3, 4), max.shape());
        for (int n = 0; n < 3; n++) {
            for (int c = 0; c < 4; c++) {
                double m = Double.NEGATIVE_INFINITY;
                double sum = 0;
                for (int h = 0; h < 2; h++) {
                    for (int w = 0; w < 5; w++) {
                        m = Math.max(m, x.get(n, c, h, w));
                        sum += x.get(n, c, h, w);
                    }
                }
                assertEquals(m, max.get(n, c), 0);
                assertEquals(sum / 10, avg.get(n, c), 1e-6);
            }
        }
    }

    @Test
    void finiteDifferencesOverRandomConfigurations() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int trial = 0; trial < 10; trial++) {
            Config c = Config.random(random);
            Tensor x = distinct(SEED + trial, 2, 2, c.h(), c.w());
            FiniteDifference.check(new MaxPool2d(c.window()), x, true, SEED + trial);
            FiniteDifference.check(new AvgPool2d(c.window(), trial % 2 == 0), x, true, SEED + trial);
        }
        FiniteDifference.check(new GlobalMaxPool2d(), distinct(SEED, 2, 3, 3, 2), true, SEED);
        FiniteDifference.check(new GlobalAvgPool2d(), randn(SEED, 2, 3, 3, 2), true, SEED);
    }

    @Test
    void namesShapesAndErrors() {
        MaxPool2d max = new MaxPool2d(PoolWindow.of(3).stride(2).padding(1).ceilMode(true));
        assertEquals("MaxPool2d(3x3, stride 2, pad 1, ceil)", max.name());
        assertEquals("AvgPool2d[exclude pad](2x2, stride 1)", new AvgPool2d(PoolWindow.of(2).stride(1), false).name());
        // ceil((5 + 2 − 3) / 2) + 1 = 3.
        assertEquals(Shape.of(2, 4, 3, 3), max.outputShape(Shape.of(2, 4, 5, 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(2).forward(Tensor.zeros(2, 3, 4), true));
        assertEquals("MaxPool2d(2x2, stride 2): input expected (N, C, H, W), got (2, 3, 4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(4).outputShape(Shape.of(1, 1, 3, 3)));
        assertTrue(e.getMessage().startsWith("AvgPool2d(4x4, stride 4): input expected (N, C, H, W) that the window "
                + "fits ("), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new MaxPool2d(2).backward(Tensor.zeros(1, 1, 1, 1)));
        MaxPool2d pool = new MaxPool2d(2);
        pool.forward(Tensor.zeros(1, 1, 4, 4), true);
        e = assertThrows(IllegalArgumentException.class, () -> pool.backward(Tensor.zeros(1, 1, 2, 3)));
        assertEquals("MaxPool2d(2x2, stride 2): gradOutput expected (1, 1, 2, 2), got (1, 1, 2, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GlobalAvgPool2d().forward(Tensor.zeros(2, 3), true));
        assertEquals("GlobalAvgPool2d: input expected (N, C, H, W) with C, H, W >= 1, got (2, 3)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> new GlobalMaxPool2d().backward(Tensor.zeros(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> PoolWindow.of(0));
        assertThrows(IllegalArgumentException.class, () -> PoolWindow.of(2).padding(-1));
        assertThrows(IllegalArgumentException.class, () -> PoolWindow.of(2).stride(0));
    }

    @Test
    void workspacesAreKeptWhileTheShapeStays() {
        // The kernels' own steady state is allocation-free (KernelAllocationTest); what the layers
        // own is checked here: the same output and gradient tensors come back.
        Tensor x = randn(SEED + 3, 4, 3, 8, 8);
        Tensor g = randn(SEED + 4, 4, 3, 4, 4);
        Tensor gGlobal = randn(SEED + 5, 4, 3);
        Layer[] layers = {new MaxPool2d(2), new AvgPool2d(2), new GlobalMaxPool2d(), new GlobalAvgPool2d()};
        for (Layer layer : layers) {
            Tensor gradient = layer instanceof Pooling2d ? g : gGlobal;
            Tensor y = layer.forward(x, true);
            Tensor dx = layer.backward(gradient);
            assertTrue(y == layer.forward(x, true) && dx == layer.backward(gradient), layer.name());
        }
    }
}
