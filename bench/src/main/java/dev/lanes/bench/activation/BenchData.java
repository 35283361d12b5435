package dev.lanes.bench.activation;

import java.util.SplittableRandom;

/** Inputs and setup checks shared by the kernel benchmarks. */
final class BenchData {
    private BenchData() {
    }

    /** Uniform floats in [low, high) from a fixed seed. */
    static float[] uniform(long seed, int n, double low, double high) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(low, high);
        }
        return x;
    }

    /**
     * Throws unless {@code actual} matches {@code expected} on the first {@code count} elements
     * within a relative tolerance (plus a tiny absolute one): the setup check that a benchmark
     * measures a kernel that computes the right thing.
     */
    static void check(String what, float[] expected, float[] actual, int count, double relative) {
        for (int i = 0; i < Math.min(count, expected.length); i++) {
            double e = expected[i];
            double a = actual[i];
            boolean bothNaN = Double.isNaN(e) && Double.isNaN(a);
            if (!bothNaN && !(Math.abs(e - a) <= relative * Math.abs(e) + 1e-30)) {
                throw new IllegalStateException(what + ": element " + i + " is " + a + ", expected " + e);
            }
        }
    }
}
