package dev.lanes.bench.gemm;

import java.util.List;

/**
 * A GEMM shape of the benchmarks: C (m, n) = A (m, k) * B (k, n), all row-major and untransposed.
 *
 * @param name what the shape is (a square size or the convolution it comes from)
 * @param key the form JMH's {@code shape} parameter takes: {@code MxNxK}
 */
public record GemmShape(String name, String key, int m, int n, int k) {
    /** The square shapes, then the im2col and fully-connected shapes of CNN training. */
    public static final List<GemmShape> ALL = List.of(
            square(64), square(128), square(256), square(512), square(1024), square(2048),
            of("conv1 MNIST b32 (1->32, 3x3, 28x28)", 32, 25088, 9),
            of("conv2 MNIST b32 (32->64, 3x3, 14x14)", 64, 6272, 288),
            of("VGG 64->128 3x3 56x56", 128, 3136, 576),
            of("VGG 128->256 3x3 28x28", 256, 784, 1152),
            of("FC b64 3136->128", 64, 128, 3136),
            of("conv2 dW b32 (long K)", 64, 288, 6272));

    /** Floating-point operations of one product: 2 m n k. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /** Parses {@code MxNxK}. */
    public static GemmShape parse(String key) {
        for (GemmShape shape : ALL) {
            if (shape.key.equals(key)) {
                return shape;
            }
        }
        String[] parts = key.split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("shape must be MxNxK, got '" + key + "'");
        }
        return of(key, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    private static GemmShape square(int n) {
        return of("square " + n, n, n, n);
    }

    private static GemmShape of(String name, int m, int n, int k) {
        return new GemmShape(name, m + "x" + n + "x" + k, m, n, k);
    }
}
