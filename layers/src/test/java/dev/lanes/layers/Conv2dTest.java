package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Conv2dTest {
    private static final long SEED = 0xc0171L;

    /** A random small configuration: the sizes, and the layer built from them. */
    record Config(int c, int k, int r, int s, int stride, int pad, int dilation, int groups, boolean bias, int h,
                  int w) {
        static Config random(SplittableRandom random) {
            int groups = 1 + random.nextInt(2);
            int c = groups * (1 + random.nextInt(2));
            int k = groups * (1 + random.nextInt(3));
            int r = 1 + random.nextInt(3);
            int s = 1 + random.nextInt(3);
            int dilation = 1 + random.nextInt(2);
            int pad = random.nextInt(2);
            int h = dilation * (r - 1) + 1 + random.nextInt(4);
            int w = dilation * (s - 1) + 1 + random.nextInt(4);
            return new Config(c, k, r, s, 1 + random.nextInt(2), pad, dilation, groups, random.nextBoolean(), h, w);
        }

        Conv2d layer(long seed) {
            return Conv2d.builder(c, k, r).kernel(r, s).stride(stride).padding(pad).dilation(dilation).groups(groups)
                    .bias(bias).seed(seed).build();
        }
    }

    /** The seven-loop convolution in double, straight from the definition. */
    static Tensor naive(Tensor x, Tensor weight, Tensor bias, int stride, int pad, int dilation, int groups) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int k = weight.dim(0);
        int r = weight.dim(2);
        int s = weight.dim(3);
        int p = (h + 2 * pad - dilation * (r - 1) - 1) / stride + 1;
        int q = (w + 2 * pad - dilation * (s - 1) - 1) / stride + 1;
        int perGroupIn = c / groups;
        int perGroupOut = k / groups;
        Tensor y = Tensor.zeros(n, k, p, q);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < k; o++) {
                int group = o / perGroupOut;
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b < q; b++) {
                        double sum = bias == null ? 0 : bias.get(o);
                        for (int ci = 0; ci < perGroupIn; ci++) {
                            for (int u = 0; u < r; u++) {
                                for (int v = 0; v < s; v++) {
                                    int row = a * stride - pad + u * dilation;
                                    int col = b * stride - pad + v * dilation;
                                    if (row >= 0 && row < h && col >= 0 && col < w) {
                                        sum += (double) weight.get(o, ci, u, v)
                                                * x.get(i, group * perGroupIn + ci, row, col);
                                    }
                                }
                            }
                        }
                        y.set(i, o, a, b, (float) sum);
                    }
                }
            }
        }
        return y;
    }

    @Test
    void handCase() {
        Conv2d conv = new Conv2d(1, 1, 2, SEED);
        conv.weight().value().copyFrom(Tensor.fromArray(new float[] {1, 0, 0, -1}, 1, 1, 2, 2));
        conv.bias().value().fill(0.5f);
        Tensor x = Tensor.arange(9).reshape(1, 1, 3, 3);
        // Each output is x[i][j] − x[i+1][j+1] + 0.5 = −4 + 0.5.
        assertArrayEquals(new float[] {-3.5f, -3.5f, -3.5f, -3.5f}, conv.forward(x, false).toArray());
    }

    @Test
    void forwardMatchesSevenLoopsOverRandomConfigurations() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int trial = 0; trial < 40; trial++) {
            Config config = Config.random(random);
            Conv2d conv = config.layer(SEED + trial);
            if (config.bias()) {
                conv.bias().value().copyFrom(randn(SEED + trial, config.k()));
            }
            Tensor x = randn(SEED + 100 + trial, 1 + random.nextInt(3), config.c(), config.h(), config.w());
            Tensor expected = naive(x, conv.weight().value(), config.bias() ? conv.bias().value() : null,
                    config.stride(), config.pad(), config.dilation(), config.groups());
            assertEquals(expected.shape(), conv.outputShape(x.shape()), config.toString());
            String mismatch = Tensor.mismatch(conv.forward(x, true), expected, 1e-5, 1e-5);
            assertNull(mismatch, config + " seed " + SEED + ": " + mismatch);
        }
    }

    @Test
    void finiteDifferencesOverRandomConfigurations() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int trial = 0; trial < 12; trial++) {
            Config config = Config.random(random);
            Tensor x = randn(SEED + 200 + trial, 1 + random.nextInt(2), config.c(), config.h(), config.w());
            FiniteDifference.check(config.layer(SEED + trial), x, true, SEED + trial);
        }
    }

    @Test
    void gradientsAccumulateAndWorkspacesAreKept() {
        Conv2d conv = Conv2d.builder(2, 3, 3).padding(1).seed(SEED).build();
        Tensor x = randn(SEED + 2, 2, 2, 5, 5);
        Tensor g = randn(SEED + 3, 2, 3, 5, 5);
        Tensor y = conv.forward(x, true);
        Tensor dx = conv.backward(g);
        Tensor once = conv.weight().grad().copy();
        Tensor onceBias = conv.bias().grad().copy();
        assertSame(y, conv.forward(x, true));
        assertSame(dx, conv.backward(g));
        Tensor.assertAllClose(conv.weight().grad(), once.mul(2f), 1e-6, 1e-6);
        Tensor.assertAllClose(conv.bias().grad(), onceBias.mul(2f), 1e-6, 1e-6);
        // The bias gradient is the sum of the output gradient over batch and image.
        for (int o = 0; o < 3; o++) {
            double sum = 0;
            for (int i = 0; i < 2; i++) {
                for (int a = 0; a < 5; a++) {
                    for (int b = 0; b < 5; b++) {
                        sum += g.get(i, o, a, b);
                    }
                }
            }
            assertEquals(sum, onceBias.get(o), 1e-5);
        }
        // A non-contiguous input gives the same result as its copy.
        Tensor permuted = randn(SEED + 4, 2, 2, 5, 5).permute(1, 0, 2, 3);
        float[] viaView = conv.forward(permuted, true).toArray();
        assertArrayEquals(conv.forward(permuted.copy(), true).toArray(), viaView);
    }

    @Test
    void namesShapesAndErrors() {
        Conv2d conv = Conv2d.builder(3, 8, 3).stride(2).padding(1).dilation(2).groups(1).bias(false).seed(1).build();
        assertEquals("Conv2d(3 -> 8, 3x3, stride 2, pad 1, dilation 2, no bias)", conv.name());
        assertEquals("Conv2d(4 -> 4, 3x1, groups 4)",
                Conv2d.builder(4, 4, 3).kernel(3, 1).groups(4).build().name());
        // (10 + 2 − 2·2 − 1) / 2 + 1 = 4.
        assertEquals(Shape.of(5, 8, 4, 4), conv.outputShape(Shape.of(5, 3, 10, 10)));
        assertEquals(Shape.of(8, 3, 3, 3), conv.weight().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.zeros(2, 4, 10, 10), true));
        assertEquals("Conv2d(3 -> 8, 3x3, stride 2, pad 1, dilation 2, no bias): input expected (N, 3, H, W), "
                + "got (2, 4, 10, 10)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> conv.outputShape(Shape.of(2, 3, 2, 10)));
        assertTrue(e.getMessage().contains("large enough for the kernel") && e.getMessage().endsWith("got (2, 3, 2, 10)"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> conv.backward(Tensor.zeros(5, 8, 4, 4)));
        conv.forward(Tensor.zeros(5, 3, 10, 10), true);
        e = assertThrows(IllegalArgumentException.class, () -> conv.backward(Tensor.zeros(5, 8, 4, 5)));
        assertTrue(e.getMessage().endsWith("gradOutput expected (5, 8, 4, 4), got (5, 8, 4, 5)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 4, 3).groups(2).build());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 4, 0).build());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 4, 3).padding(-1).build());
    }

    @Test
    void initialisationIsSeededHeNormal() {
        Conv2d a = Conv2d.builder(16, 64, 3).seed(9).build();
        assertArrayEquals(a.weight().value().toArray(), Conv2d.builder(16, 64, 3).seed(9).build().weight().value()
                .toArray());
        float[] w = a.weight().value().toArray();
        double squares = 0;
        for (float v : w) {
            squares += (double) v * v;
        }
        // 9216 draws, fan-in 144: the sample standard deviation is within 3% of sqrt(2/144)
        // (its relative standard error is 1/sqrt(2·9216) = 0.7%).
        assertEquals(Math.sqrt(2.0 / 144), Math.sqrt(squares / w.length), 0.03 * Math.sqrt(2.0 / 144));
    }
}
