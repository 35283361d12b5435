package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.kernels.scalar.ScalarActivations;
import dev.lanes.kernels.scalar.ScalarKernels;
import dev.lanes.kernels.spi.ActivationKernel;
import dev.lanes.kernels.spi.ElementwiseKernel;
import dev.lanes.kernels.spi.Pool2dKernel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The loops of the scalar set (the fallback users get without the vector module) called directly,
 * so they run in every test JVM, not only in the one without the module: bias adds, the activation
 * loops and global pooling, each against an index loop written here, at offsets, with sentinels
 * around every output that must stay untouched.
 */
class ScalarSetLoopsTest {
    private final ScalarKernels scalar = new ScalarKernels();

    @Test
    void biasAddsMatchAnIndexLoop() {
        long seed = 151;
        SplittableRandom random = new SplittableRandom(seed);
        ElementwiseKernel kernel = scalar.elementwise();
        int[][] shapes = {{1, 1, 1}, {2, 3, 5}, {3, 1, 7}, {1, 4, 1}, {2, 2, 0}};
        for (int[] shape : shapes) {
            int batch = shape[0];
            int channels = shape[1];
            int spatial = shape[2];
            String what = "addBiasChannels " + Arrays.toString(shape) + " (seed " + seed + ")";
            float[] data = FloatTesting.padded(FloatTesting.uniform(random, batch * channels * spatial, -3, 3), 2, 3);
            float[] bias = FloatTesting.padded(FloatTesting.uniform(random, channels, -3, 3), 1, 2);
            float[] expected = FloatTesting.withChannelBias(data, 2, bias, 1, batch, channels, spatial);
            kernel.addBiasChannels(data, 2, bias, 1, batch, channels, spatial);
            assertSameBits(what, expected, data);

            int rows = batch * channels;
            int cols = spatial + 1;
            int ld = cols + 2;
            what = "addBiasRows rows " + rows + " cols " + cols + " ld " + ld + " (seed " + seed + ")";
            float[] matrix = FloatTesting.padded(FloatTesting.uniform(random, rows * ld, -3, 3), 1, 2);
            float[] rowBias = FloatTesting.padded(FloatTesting.uniform(random, cols, -3, 3), 3, 1);
            // the sentinels are too small to show once added to a value; a read past the bias's
            // cols would add this NaN to the gap after a row
            rowBias[3 + cols] = Float.NaN;
            float[] expectedMatrix = matrix.clone();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    expectedMatrix[1 + r * ld + j] += rowBias[3 + j];
                }
            }
            kernel.addBiasRows(matrix, 1, ld, rowBias, 3, rows, cols);
            assertSameBits(what, expectedMatrix, matrix);
        }
    }

    /** Every kind: forward and backward at offsets are the per-element definitions, rounded once. */
    @Test
    void activationLoopsApplyTheDefinitionToEveryElement() {
        long seed = 152;
        SplittableRandom random = new SplittableRandom(seed);
        ActivationKernel kernel = scalar.activations();
        Activation[] activations = {Activation.STEP, Activation.IDENTITY, Activation.SIGMOID, Activation.TANH,
            Activation.RELU, Activation.SELU, Activation.GELU_TANH, Activation.GELU_ERF, Activation.SOFTPLUS,
            Activation.SOFTSIGN, Activation.HARD_SIGMOID, Activation.HARD_SWISH, Activation.MISH,
            Activation.celu(0.5f), Activation.thresholdedRelu(0.25f), Activation.leakyRelu(0.1f),
            Activation.elu(0.75f)};
        for (Activation activation : activations) {
            for (int length : new int[] {0, 1, 2, 7, 33}) {
                String what = activation.kind() + " length " + length + " (seed " + seed + ")";
                float[] x = FloatTesting.padded(FloatTesting.sprinkleSpecials(random,
                        FloatTesting.uniform(random, length, -5, 5)), 3, 2);
                float[] y = FloatTesting.sentinels(length + 4);
                kernel.forward(activation.kind(), activation.parameter(), y, 1, x, 3, length);
                float[] expectedY = FloatTesting.sentinels(length + 4);
                for (int i = 0; i < length; i++) {
                    expectedY[1 + i] = (float) ScalarActivations.value(activation.kind(), activation.parameter(),
                            x[3 + i]);
                }
                assertSameBits("forward " + what, expectedY, y);

                float[] saved = activation.saved() == Activation.Saved.OUTPUT ? y : x;
                int offSaved = activation.saved() == Activation.Saved.OUTPUT ? 1 : 3;
                float[] g = FloatTesting.padded(FloatTesting.uniform(random, length, -2, 2), 2, 1);
                float[] dx = FloatTesting.sentinels(length + 5);
                kernel.backward(activation.kind(), activation.parameter(), dx, 4, g, 2,
                        activation.saved() == Activation.Saved.NONE ? null : saved, offSaved, length);
                float[] expectedDx = FloatTesting.sentinels(length + 5);
                for (int i = 0; i < length; i++) {
                    float s = activation.saved() == Activation.Saved.NONE ? 0f : saved[offSaved + i];
                    expectedDx[4 + i] = (float) ScalarActivations.gradient(activation.kind(), activation.parameter(),
                            g[2 + i], s);
                }
                assertSameBits("backward " + what, expectedDx, dx);
            }
        }
    }

    /**
     * The definitions at their edges, as Activation documents them, for the scalar set and the set in
     * use: the step is 0 at ±0; leaky ReLU is slope·x at ±0; thresholded ReLU is 0 at its threshold
     * and so is its gradient there;
     * GELU (both forms) and Mish give -0 at -Inf.
     */
    @Test
    void activationEdgesAreTheDocumentedValues() {
        ActivationKernel[] kernels = {scalar.activations(), KernelProvider.KERNELS.activations()};
        for (ActivationKernel kernel : kernels) {
            String who = kernel.getClass().getSimpleName();
            float[] x = {0f, -0f, 1.5f, Float.NEGATIVE_INFINITY};
            float[] y = new float[4];
            kernel.forward(Activation.Kind.STEP, 0f, y, 0, x, 0, 4);
            assertSameBits(who + " step", new float[] {0f, 0f, 1f, 0f}, y);
            kernel.forward(Activation.Kind.THRESHOLDED_RELU, 1.5f, y, 0, x, 0, 4);
            assertSameBits(who + " thresholded ReLU at 1.5", new float[] {0f, 0f, 0f, 0f}, y);
            // y = x for x > 0, slope x otherwise: a negative slope flips the sign of both zeros
            kernel.forward(Activation.Kind.LEAKY_RELU, -0.5f, y, 0, x, 0, 4);
            assertSameBits(who + " leaky ReLU, slope -0.5", new float[] {-0f, 0f, 1.5f, Float.POSITIVE_INFINITY}, y);
            float[] g = {2f, 2f, 2f, 2f};
            float[] dx = new float[4];
            kernel.backward(Activation.Kind.THRESHOLDED_RELU, 1.5f, dx, 0, g, 0, new float[] {1.5f, 1.75f, 0f, 9f},
                    0, 4);
            assertSameBits(who + " thresholded ReLU gradient at 1.5", new float[] {0f, 2f, 0f, 2f}, dx);
            for (Activation.Kind kind : new Activation.Kind[] {Activation.Kind.GELU_TANH, Activation.Kind.GELU_ERF,
                Activation.Kind.MISH}) {
                kernel.forward(kind, 0f, y, 0, x, 3, 1);
                assertSameBits(who + " " + kind + " at -Inf", new float[] {-0f}, new float[] {y[0]});
            }
        }
    }

    /** (planes, plane) at offsets: the first largest value and its index (NaN wins), the mean. */
    @Test
    void globalPoolingMatchesAnIndexLoop() {
        long seed = 153;
        SplittableRandom random = new SplittableRandom(seed);
        Pool2dKernel kernel = scalar.pool2d();
        for (int[] shape : new int[][] {{1, 1}, {3, 1}, {2, 5}, {4, 9}, {5, 17}}) {
            int planes = shape[0];
            int plane = shape[1];
            String what = "planes " + planes + " plane " + plane + " (seed " + seed + ")";
            float[] values = FloatTesting.uniform(random, planes * plane, -4, 4);
            for (int i = 0; i < values.length; i++) {
                // small integers: ties between window elements are common
                values[i] = random.nextInt(4) == 0 ? Math.round(values[i]) : values[i];
            }
            if (planes > 2 && plane > 2) {
                values[plane + 1] = Float.NaN;
            }
            float[] in = FloatTesting.padded(values, 2, 1);

            float[] max = FloatTesting.sentinels(planes + 3);
            int[] argmax = new int[planes + 3];
            Arrays.fill(argmax, -9);
            kernel.globalMaxForward(max, 1, argmax, 2, in, 2, planes, plane);
            float[] expectedMax = FloatTesting.sentinels(planes + 3);
            int[] expectedArgmax = new int[planes + 3];
            Arrays.fill(expectedArgmax, -9);
            for (int p = 0; p < planes; p++) {
                int best = 0;
                for (int j = 0; j < plane; j++) {
                    float v = values[p * plane + j];
                    if (Float.isNaN(v) && !Float.isNaN(values[p * plane + best])
                            || v > values[p * plane + best]) {
                        best = j;
                    }
                }
                expectedMax[1 + p] = values[p * plane + best];
                expectedArgmax[2 + p] = best;
            }
            assertSameBits("global max " + what, expectedMax, max);
            for (int i = 0; i < argmax.length; i++) {
                assertEquals(expectedArgmax[i], argmax[i], "global argmax at " + i + ", " + what);
            }

            float[] gradOut = FloatTesting.padded(FloatTesting.uniform(random, planes, -2, 2), 3, 1);
            float[] gradIn = FloatTesting.padded(FloatTesting.uniform(random, planes * plane, 5, 6), 1, 2);
            kernel.globalMaxBackward(gradIn, 1, gradOut, 3, argmax, 2, planes, plane);
            float[] expectedGradIn = FloatTesting.sentinels(planes * plane + 3);
            for (int p = 0; p < planes; p++) {
                for (int j = 0; j < plane; j++) {
                    expectedGradIn[1 + p * plane + j] = j == expectedArgmax[2 + p] ? gradOut[3 + p] : 0f;
                }
            }
            assertSameBits("global max backward into a dirty array, " + what, expectedGradIn, gradIn);

            float[] mean = FloatTesting.sentinels(planes + 2);
            kernel.globalAvgForward(mean, 2, in, 2, planes, plane);
            for (int p = 0; p < planes; p++) {
                double sum = 0;
                double magnitude = 0;
                for (int j = 0; j < plane; j++) {
                    sum += values[p * plane + j];
                    magnitude += Math.abs(values[p * plane + j]);
                }
                double exact = sum / plane;
                // plane - 1 float additions in any order (gamma(plane - 1) of the sum of magnitudes,
                // Higham's bound) and one division, each rounding by at most u = 2^-24
                double u = 0x1p-24;
                double gamma = (plane - 1) * u / (1 - (plane - 1) * u);
                double bound = (gamma * magnitude / plane) * (1 + u) + Math.abs(exact) * u;
                float actual = mean[2 + p];
                if (Double.isNaN(exact) != Float.isNaN(actual)
                        || !Double.isNaN(exact) && !(Math.abs(actual - exact) <= bound)) {
                    fail("global mean of plane " + p + ": " + actual + ", exact " + exact + ", " + what);
                }
            }
            assertEquals(FloatTesting.SENTINEL, mean[0], "before the means, " + what);
            assertEquals(FloatTesting.SENTINEL, mean[1], "before the means, " + what);

            float[] dirty = FloatTesting.padded(FloatTesting.uniform(random, planes * plane, 5, 6), 2, 2);
            kernel.globalAvgBackward(dirty, 2, gradOut, 3, planes, plane);
            float[] expectedShares = FloatTesting.sentinels(planes * plane + 4);
            for (int p = 0; p < planes; p++) {
                for (int j = 0; j < plane; j++) {
                    expectedShares[2 + p * plane + j] = gradOut[3 + p] / plane;
                }
            }
            assertSameBits("global average backward into a dirty array, " + what, expectedShares, dirty);
        }
    }
}
