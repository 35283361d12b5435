package dev.lanes.bench;

import dev.lanes.kernels.ConvGeometry;

/** The convolution layers the benchmarks and the report measure, by name, with their batch. */
public enum ConvLayers {
    /** LeNet-5 C1: 1 -> 6, 5x5 on 28x28 with pad 2, batch 64. */
    LENET_C1(64, ConvGeometry.builder().input(1, 28, 28).outChannels(6).kernel(5, 5).padding(2).build()),
    /** LeNet-5 C3: 6 -> 16, 5x5 on 14x14, batch 64. */
    LENET_C3(64, ConvGeometry.builder().input(6, 14, 14).outChannels(16).kernel(5, 5).build()),
    /** 1 -> 32, 3x3 on 28x28, pad 1, batch 64 (a first MNIST layer). */
    MNIST_C1(64, ConvGeometry.builder().input(1, 28, 28).outChannels(32).kernel(3, 3).padding(1).build()),
    /** 32 -> 64, 3x3 on 14x14, pad 1, batch 64. */
    C32_64_14(64, ConvGeometry.builder().input(32, 14, 14).outChannels(64).kernel(3, 3).padding(1).build()),
    /** 64 -> 128, 3x3 on 56x56, pad 1, batch 8. */
    C64_128_56(8, ConvGeometry.builder().input(64, 56, 56).outChannels(128).kernel(3, 3).padding(1).build());

    public final int batch;
    public final ConvGeometry geometry;

    ConvLayers(int batch, ConvGeometry geometry) {
        this.batch = batch;
        this.geometry = geometry;
    }

    /** M of the equivalent GEMM: the output channels. */
    public int gemmM() {
        return geometry.outChannels();
    }

    /** N of the equivalent GEMM: batch * P * Q. */
    public int gemmN() {
        return batch * geometry.outHeight() * geometry.outWidth();
    }

    /** K of the equivalent GEMM: C * R * S (per group). */
    public int gemmK() {
        return geometry.reductionLength();
    }

    /** Floating-point operations of one pass (forward, or either gradient): 2 * M * N * K. */
    public double flops() {
        return geometry.flops(batch);
    }
}
