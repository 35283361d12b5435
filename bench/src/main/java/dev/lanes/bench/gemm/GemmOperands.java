package dev.lanes.bench.gemm;

import java.util.SplittableRandom;

/**
 * Operands of one benchmark shape, and the check every benchmark runs once before it is timed:
 * a sample of elements of C against the product computed in double precision.
 */
public final class GemmOperands {
    /** The shape. */
    public final GemmShape shape;
    /** A (m, k) row-major, uniform in [-1, 1). */
    public final float[] a;
    /** B (k, n) row-major, uniform in [-1, 1). */
    public final float[] b;
    /** C (m, n) row-major. */
    public final float[] c;

    public GemmOperands(GemmShape shape, long seed) {
        this.shape = shape;
        SplittableRandom random = new SplittableRandom(seed);
        a = uniform(random, shape.m() * shape.k());
        b = uniform(random, shape.k() * shape.n());
        c = new float[shape.m() * shape.n()];
    }

    private static float[] uniform(SplittableRandom random, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    /**
     * Throws unless C holds A * B on 256 sampled elements (every corner included), within a
     * float32 bound that grows with k.
     *
     * @param who named in the message
     */
    public void verify(String who) {
        int m = shape.m();
        int n = shape.n();
        int k = shape.k();
        SplittableRandom random = new SplittableRandom(7);
        for (int s = 0; s < 256; s++) {
            // the four corners, then random elements
            int i = s < 4 ? (s / 2) * (m - 1) : random.nextInt(m);
            int j = s < 4 ? (s % 2) * (n - 1) : random.nextInt(n);
            double exact = 0;
            double magnitude = 0;
            for (int p = 0; p < k; p++) {
                double product = (double) a[i * k + p] * b[p * n + j];
                exact += product;
                magnitude += Math.abs(product);
            }
            double bound = 2 * (k + 2) * 0x1p-24 * magnitude + 1e-30;
            float actual = c[i * n + j];
            if (!(Math.abs(actual - exact) <= bound)) {
                throw new IllegalStateException(who + " computes a wrong product for " + shape.key() + ": C[" + i
                        + "][" + j + "] = " + actual + ", expected " + exact + " (bound " + bound + ")");
            }
        }
    }
}
