package dev.lanes.bench.conv;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.spi.Conv2dKernel;
import dev.lanes.kernels.scalar.ScalarConv2d;
import java.util.SplittableRandom;

/**
 * The one-time checks the convolution benchmarks and the report section run before timing, so that a benchmark never
 * times a wrong answer. The unit tests hold the exact error bounds; here a relative error of
 * 1e-3 of the summed magnitudes separates rounding from a wrong result (which is off by O(1)).
 */
public final class ConvChecks {
    private static final double TOLERANCE = 1e-3;

    private ConvChecks() {
    }

    public static float[] random(SplittableRandom random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** The plan's forward pass on two images against the scalar reference. */
    public static void checkForward(ConvGeometry g, Conv2dKernel.Plan plan, float[] in, float[] weight, float[] bias) {
        float[] out = new float[2 * g.outputSize()];
        float[] twoImages = new float[2 * g.inputSize()];
        System.arraycopy(in, 0, twoImages, 0, twoImages.length);
        plan.forward(out, 0, twoImages, 0, weight, 0, bias, 0, 2, true);
        float[] expected = new float[out.length];
        new ScalarConv2d().plan(g).forward(expected, 0, twoImages, 0, weight, 0, bias, 0, 2, true);
        for (int i = 0; i < out.length; i++) {
            // inputs and weights lie in [-1, 1]: each output sums at most reductionLength() + 1 terms of size <= 1
            double scale = g.reductionLength() + 1.0;
            if (!(Math.abs(out[i] - expected[i]) <= TOLERANCE * scale)) {
                throw new IllegalStateException(g + ": forward output " + i + " is " + out[i] + ", expected "
                        + expected[i]);
            }
        }
    }

    /**
     * Both gradients through the adjoint identities on the whole batch:
     * {@code <gradOut, conv(in)> = <gradIn, in> = <gradWeight, weight>} and
     * {@code sum(gradBias) = sum(gradOut)}.
     */
    public static void checkBackward(ConvGeometry g, Conv2dKernel.Plan plan, int batch, float[] in, float[] weight,
                              float[] gradOut) {
        float[] out = new float[batch * g.outputSize()];
        plan.forward(out, 0, in, 0, weight, 0, null, 0, batch, false);
        float[] gradIn = new float[in.length];
        plan.backwardData(gradIn, 0, gradOut, 0, weight, 0, batch);
        float[] gradWeight = new float[weight.length];
        float[] gradBias = new float[g.outChannels()];
        plan.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, batch, false);
        double[] forward = dot(gradOut, out);
        double[] data = dot(gradIn, in);
        double[] weights = dot(gradWeight, weight);
        double[] biasSum = dot(gradBias, ones(gradBias.length));
        double[] outSum = dot(gradOut, ones(gradOut.length));
        agree(g + ": <gradIn, in> vs <gradOut, out>", data, forward);
        agree(g + ": <gradWeight, weight> vs <gradOut, out>", weights, forward);
        agree(g + ": sum(gradBias) vs sum(gradOut)", biasSum, outSum);
    }

    /** sgemm on the benchmark's shape against a double dot product, on a few elements of C. */
    public static void checkGemm(int m, int n, int k, float[] a, float[] b) {
        float[] c = new float[m * n];
        Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        SplittableRandom random = new SplittableRandom(7);
        for (int probe = 0; probe < 64; probe++) {
            int i = random.nextInt(m);
            int j = random.nextInt(n);
            double sum = 0;
            for (int p = 0; p < k; p++) {
                sum += (double) a[i * k + p] * b[p * n + j];
            }
            if (!(Math.abs(c[i * n + j] - sum) <= TOLERANCE * k)) {
                throw new IllegalStateException("sgemm " + m + "x" + n + "x" + k + ": C[" + i + "][" + j + "] is "
                        + c[i * n + j] + ", expected " + sum);
            }
        }
    }

    private static float[] ones(int length) {
        float[] a = new float[length];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    /** {value, sum of |terms|} of a double dot product. */
    private static double[] dot(float[] a, float[] b) {
        double sum = 0;
        double magnitude = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
            magnitude += Math.abs((double) a[i] * b[i]);
        }
        return new double[] {sum, magnitude};
    }

    private static void agree(String what, double[] x, double[] y) {
        double scale = Math.max(x[1], y[1]);
        if (!(Math.abs(x[0] - y[0]) <= TOLERANCE * scale)) {
            throw new IllegalStateException(what + ": " + x[0] + " vs " + y[0] + " (magnitude " + scale + ")");
        }
    }
}
