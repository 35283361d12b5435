package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/**
 * The test oracle for convolutions: the seven defining loops in double precision, written
 * straight from the definition, plus random data and error-bound checks.
 */
final class ConvTesting {
    /** Unit roundoff of float32. */
    static final double U = 0x1p-24;

    private ConvTesting() {
    }

    /** x(n, c, h, w) of an (N, C, H, W) image array, 0 in the padding. */
    static double input(float[] in, ConvGeometry g, int n, int c, int h, int w) {
        if (h < 0 || h >= g.inHeight() || w < 0 || w >= g.inWidth()) {
            return 0;
        }
        return in[((n * g.inChannels() + c) * g.inHeight() + h) * g.inWidth() + w];
    }

    static double weight(float[] weight, ConvGeometry g, int k, int c, int r, int s) {
        return weight[((k * g.inChannelsPerGroup() + c) * g.kernelHeight() + r) * g.kernelWidth() + s];
    }

    static int inputChannel(ConvGeometry g, int k, int c) {
        return k / g.outChannelsPerGroup() * g.inChannelsPerGroup() + c;
    }

    static int row(ConvGeometry g, int p, int r) {
        return p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
    }

    static int column(ConvGeometry g, int q, int s) {
        return q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
    }

    /**
     * Forward pass in double: result[0] = outputs (N, K, P, Q), result[1] = the sum of the
     * absolute values of each output's terms (for the error bound).
     */
    static double[][] forward(ConvGeometry g, float[] in, float[] weight, float[] bias, int batch, boolean relu) {
        int plane = g.outHeight() * g.outWidth();
        double[] out = new double[batch * g.outputSize()];
        double[] magnitude = new double[out.length];
        for (int n = 0; n < batch; n++) {
            for (int k = 0; k < g.outChannels(); k++) {
                for (int p = 0; p < g.outHeight(); p++) {
                    for (int q = 0; q < g.outWidth(); q++) {
                        double sum = bias == null ? 0 : bias[k];
                        double abs = Math.abs(sum);
                        for (int c = 0; c < g.inChannelsPerGroup(); c++) {
                            for (int r = 0; r < g.kernelHeight(); r++) {
                                for (int s = 0; s < g.kernelWidth(); s++) {
                                    double term = weight(weight, g, k, c, r, s)
                                            * input(in, g, n, inputChannel(g, k, c), row(g, p, r), column(g, q, s));
                                    sum += term;
                                    abs += Math.abs(term);
                                }
                            }
                        }
                        int index = (n * g.outChannels() + k) * plane + p * g.outWidth() + q;
                        out[index] = relu ? Math.max(0, sum) : sum;
                        magnitude[index] = abs;
                    }
                }
            }
        }
        return new double[][] {out, magnitude};
    }

    /** Input gradient in double, as {@link #forward}: result[0] values (N, C, H, W), result[1] magnitudes. */
    static double[][] backwardData(ConvGeometry g, float[] gradOut, float[] weight, int batch) {
        double[] gradIn = new double[batch * g.inputSize()];
        double[] magnitude = new double[gradIn.length];
        int plane = g.outHeight() * g.outWidth();
        // scatter form: every (n, k, p, q, c, r, s) term goes to the input element it multiplied
        for (int n = 0; n < batch; n++) {
            for (int k = 0; k < g.outChannels(); k++) {
                for (int p = 0; p < g.outHeight(); p++) {
                    for (int q = 0; q < g.outWidth(); q++) {
                        double dy = gradOut[(n * g.outChannels() + k) * plane + p * g.outWidth() + q];
                        for (int c = 0; c < g.inChannelsPerGroup(); c++) {
                            for (int r = 0; r < g.kernelHeight(); r++) {
                                for (int s = 0; s < g.kernelWidth(); s++) {
                                    int h = row(g, p, r);
                                    int w = column(g, q, s);
                                    if (h < 0 || h >= g.inHeight() || w < 0 || w >= g.inWidth()) {
                                        continue;
                                    }
                                    int index = ((n * g.inChannels() + inputChannel(g, k, c)) * g.inHeight() + h)
                                            * g.inWidth() + w;
                                    double term = weight(weight, g, k, c, r, s) * dy;
                                    gradIn[index] += term;
                                    magnitude[index] += Math.abs(term);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {gradIn, magnitude};
    }

    /**
     * Weight and bias gradients in double: result[0] = gradWeight (K, C/G, R, S), result[1] its
     * magnitudes, result[2] = gradBias (K), result[3] its magnitudes.
     */
    static double[][] backwardWeights(ConvGeometry g, float[] gradOut, float[] in, int batch) {
        double[] gradWeight = new double[g.weightSize()];
        double[] weightMagnitude = new double[gradWeight.length];
        double[] gradBias = new double[g.outChannels()];
        double[] biasMagnitude = new double[gradBias.length];
        int plane = g.outHeight() * g.outWidth();
        for (int n = 0; n < batch; n++) {
            for (int k = 0; k < g.outChannels(); k++) {
                for (int p = 0; p < g.outHeight(); p++) {
                    for (int q = 0; q < g.outWidth(); q++) {
                        double dy = gradOut[(n * g.outChannels() + k) * plane + p * g.outWidth() + q];
                        gradBias[k] += dy;
                        biasMagnitude[k] += Math.abs(dy);
                        for (int c = 0; c < g.inChannelsPerGroup(); c++) {
                            for (int r = 0; r < g.kernelHeight(); r++) {
                                for (int s = 0; s < g.kernelWidth(); s++) {
                                    int index = ((k * g.inChannelsPerGroup() + c) * g.kernelHeight() + r)
                                            * g.kernelWidth() + s;
                                    double term = dy * input(in, g, n, inputChannel(g, k, c), row(g, p, r), column(g, q, s));
                                    gradWeight[index] += term;
                                    weightMagnitude[index] += Math.abs(term);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {gradWeight, weightMagnitude, gradBias, biasMagnitude};
    }

    /**
     * Asserts |actual - expected| <= (terms + extra) * U * magnitude + tiny for every element: the
     * classic bound for a float sum of {@code terms} products in any order (each product and each
     * addition rounds once; FMA only does better), with {@code extra} roundings for bias, partials
     * and the like.
     */
    static void assertWithinBound(String what, double[] expected, double[] magnitude, float[] actual, int offset,
                                  long terms, long extra) {
        for (int i = 0; i < expected.length; i++) {
            double bound = (terms + extra) * U * magnitude[i] + Float.MIN_NORMAL;
            double got = actual[offset + i];
            if (!(Math.abs(got - expected[i]) <= bound)) {
                fail(what + ": element " + i + " is " + got + ", expected " + expected[i] + " within " + bound);
            }
        }
    }

    /** Floats uniform in [-1, 1). */
    static float[] random(SplittableRandom random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** A copy of {@code a} placed at {@code offset} in a longer array whose other elements are {@code sentinel}. */
    static float[] padded(float[] a, int offset, int after, float sentinel) {
        float[] b = new float[offset + a.length + after];
        java.util.Arrays.fill(b, sentinel);
        System.arraycopy(a, 0, b, offset, a.length);
        return b;
    }

    /** A random valid geometry from {@code random}: small sizes, every feature possible. */
    static ConvGeometry randomGeometry(SplittableRandom random) {
        int groups = 1 + random.nextInt(3);
        int cg = 1 + random.nextInt(3);
        int kg = 1 + random.nextInt(6);
        int r = 1 + random.nextInt(4);
        int s = 1 + random.nextInt(4);
        int dh = 1 + random.nextInt(2);
        int dw = 1 + random.nextInt(2);
        int[] pad = {random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3)};
        int h = Math.max(1, (r - 1) * dh + 1 - pad[0] - pad[1]) + random.nextInt(8);
        int w = Math.max(1, (s - 1) * dw + 1 - pad[2] - pad[3]) + random.nextInt(20);
        return ConvGeometry.builder().input(groups * cg, h, w).outChannels(groups * kg).kernel(r, s)
                .stride(1 + random.nextInt(3), 1 + random.nextInt(3)).padding(pad[0], pad[1], pad[2], pad[3])
                .dilation(dh, dw).groups(groups).build();
    }
}
