package dev.lanes.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Laws the layers' own tests did not state: backward twice after one forward gives the same input
 * gradient and twice the parameter gradients (nothing left over from the first call); batch
 * normalisation's running statistics follow their update over several steps; dropout's masks are
 * the SplitMix64 stream its javadoc specifies, which the JDK's {@link SplittableRandom} also
 * implements, so the JDK is the oracle; an element is dropped exactly when u &lt; p.
 */
class LayerLawsTest {
    private static final long SEED = 0x1a75L;

    @Test
    void backwardTwiceGivesTheSameInputGradientAndDoubledParameterGradients() {
        Layer[] layers = {new BatchNorm2d(3), Upsample2d.nearest(2, 3), Upsample2d.bilinear(2),
            new BatchNorm2d(3, 0.1f, 1e-5f, false)};
        for (Layer layer : layers) {
            for (boolean training : new boolean[] {true, false}) {
                long seed = SEED + (training ? 1 : 0);
                Tensor x = Tensor.randn(Shape.of(2, 3, 4, 5), seed);
                Tensor y = layer.forward(x, training);
                Tensor g = Tensor.randn(y.shape(), seed + 7);
                for (Parameter parameter : layer.parameters()) {
                    parameter.zeroGrad();
                }
                float[] first = layer.backward(g).toArray();
                float[][] once = new float[layer.parameters().size()][];
                for (int i = 0; i < once.length; i++) {
                    once[i] = layer.parameters().get(i).grad().toArray();
                }
                float[] second = layer.backward(g).toArray();
                String what = layer.name() + (training ? " training" : " inference") + " (seed " + seed + ")";
                assertArrayEquals(first, second, what + ": input gradient of the second backward");
                for (int i = 0; i < once.length; i++) {
                    float[] twice = layer.parameters().get(i).grad().toArray();
                    for (int j = 0; j < twice.length; j++) {
                        assertEquals(2 * once[i][j], twice[j], what + ": gradient of "
                                + layer.parameters().get(i).name() + " at " + j + " after two backwards");
                    }
                }
            }
        }
    }

    /** A convolution fed a new image size gives the bits of a fresh layer with the same weights. */
    @Test
    void aConvolutionFedANewImageSizeActsLikeAFreshOne() {
        long seed = SEED + 20;
        Layer[][] pairs = {
            {Conv2d.builder(2, 3, 3).padding(1).seed(seed).build(), Conv2d.builder(2, 3, 3).padding(1).seed(seed).build()},
            {ConvTranspose2d.builder(2, 3, 3).stride(2).seed(seed).build(),
                ConvTranspose2d.builder(2, 3, 3).stride(2).seed(seed).build()}};
        for (Layer[] pair : pairs) {
            Layer used = pair[0];
            Layer fresh = pair[1];
            used.forward(Tensor.randn(Shape.of(2, 2, 5, 6), seed + 1), true);
            Tensor x = Tensor.randn(Shape.of(2, 2, 7, 4), seed + 2);
            String what = used.name() + " (seed " + seed + ")";
            assertArrayEquals(fresh.forward(x, true).toArray(), used.forward(x, true).toArray(), what + ": output");
            Tensor g = Tensor.randn(fresh.outputShape(x.shape()), seed + 3);
            assertArrayEquals(fresh.backward(g).toArray(), used.backward(g).toArray(), what + ": input gradient");
        }
    }

    /**
     * mean <- (1 - m) mean + m batchMean and var <- (1 - m) var + m unbiasedBatchVar, from 0 and 1,
     * over three batches, against the update computed here in double.
     */
    @Test
    void runningStatisticsFollowTheirUpdateOverSeveralSteps() {
        float momentum = 0.3f;
        BatchNorm1d norm = new BatchNorm1d(2, momentum, 1e-5f, true);
        double[] mean = {0, 0};
        double[] variance = {1, 1};
        for (int step = 0; step < 3; step++) {
            long seed = SEED + 10 + step;
            Tensor x = Tensor.randn(Shape.of(5, 2), 1.5f, 2f, seed);
            norm.forward(x, true);
            for (int c = 0; c < 2; c++) {
                double sum = 0;
                for (int i = 0; i < 5; i++) {
                    sum += x.get(i, c);
                }
                double batchMean = sum / 5;
                double squares = 0;
                for (int i = 0; i < 5; i++) {
                    squares += (x.get(i, c) - batchMean) * (x.get(i, c) - batchMean);
                }
                mean[c] = (1 - momentum) * mean[c] + momentum * batchMean;
                variance[c] = (1 - momentum) * variance[c] + momentum * squares / 4;
                String what = "channel " + c + " after step " + step + " (seed " + seed + ")";
                assertEquals(mean[c], norm.runningMean().get(c), 1e-5 * (1 + Math.abs(mean[c])), "mean, " + what);
                assertEquals(variance[c], norm.runningVar().get(c), 1e-5 * variance[c], "variance, " + what);
            }
        }
    }

    /** The mask of call c: key = the (c+1)-th long of SplittableRandom(seed), u_i from SplittableRandom(key). */
    @Test
    void dropoutMasksAreTheSpecifiedSplitMix64Stream() {
        for (long seed : new long[] {0L, SEED, -5L}) {
            for (long call : new long[] {0L, 1L, 6L}) {
                float p = 0.375f;
                int size = 257;
                float[] m = new float[size + 3];
                Dropout.mask(m, size, p, seed, call);
                SplittableRandom keys = new SplittableRandom(seed);
                long key = 0;
                for (long c = 0; c <= call; c++) {
                    key = keys.nextLong();
                }
                SplittableRandom stream = new SplittableRandom(key);
                for (int i = 0; i < size; i++) {
                    float u = (stream.nextLong() >>> 40) * 0x1.0p-24f;
                    float expected = u >= p ? 1f / (1f - p) : 0f;
                    assertEquals(expected, m[i], "element " + i + " of call " + call + " (seed " + seed + ")");
                }
                for (int i = size; i < m.length; i++) {
                    assertEquals(0f, m[i], "past the mask, element " + i + " (seed " + seed + ")");
                }
            }
        }
    }

    /** p equal to an element's own u keeps that element (dropped only when u < p). */
    @Test
    void anElementWhoseDrawEqualsPIsKept() {
        long seed = SEED + 3;
        float[] m = new float[16];
        long key = new SplittableRandom(seed).nextLong();
        float u = (new SplittableRandom(key).nextLong() >>> 40) * 0x1.0p-24f;
        Dropout.mask(m, m.length, u, seed, 0);
        assertEquals(1f / (1f - u), m[0], "u = p = " + u + " (seed " + seed + ")");
        Dropout.mask(m, 0, 0.5f, seed, 0);
        float[] none = new float[0];
        Dropout.mask(none, 0, 0.5f, seed, 0);
    }

    /** Training output: x / (1 - p) where kept, 0 where dropped, the mask of call 0 then of call 1. */
    @Test
    void dropoutScalesTheKeptElements() {
        long seed = SEED + 4;
        float p = 0.4f;
        Dropout dropout = new Dropout(p, seed);
        Tensor x = Tensor.randn(Shape.of(3, 50), seed + 1);
        for (long call = 0; call < 2; call++) {
            float[] y = dropout.forward(x, true).toArray();
            float[] m = new float[150];
            Dropout.mask(m, 150, p, seed, call);
            int kept = 0;
            for (int i = 0; i < 150; i++) {
                float expected = x.toArray()[i] * (m[i] == 0f ? 0f : 1f / (1f - p));
                assertEquals(expected, y[i], "element " + i + " of call " + call + " (seed " + seed + ")");
                kept += m[i] == 0f ? 0 : 1;
            }
            assertTrue(kept > 0 && kept < 150, "call " + call + " kept " + kept + " (seed " + seed + ")");
        }
        assertEquals(2L, dropout.calls());
    }
}
