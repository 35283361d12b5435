package dev.lanes.bench.conv;

import dev.lanes.kernels.panama.PanamaKernels;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.PoolGeometry;
import dev.lanes.kernels.spi.Pool2dKernel;
import dev.lanes.kernels.scalar.ScalarPool2d;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 2x2 stride-2 max pooling (and the average) after the benchmark's conv layers: the vector
 * implementation and its scalar twin. Setup checks the implementation against the scalar one
 * (they agree bit for bit, argmax included).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class PoolBenchmark {
    /** channels x size x size, batch: LeNet C1's output, the MNIST 3x3 layer's, and a 56x56 layer's. */
    @Param({"6x28x28x64", "32x28x28x64", "64x56x56x8"})
    public String input;

    @Param({"1", "2"})
    public int threads;

    @Param({"panama", "scalar"})
    public String impl;

    private Pool2dKernel kernel;
    private PoolGeometry geometry;
    private int batch;
    private float[] in;
    private float[] out;
    private int[] argmax;
    private float[] gradOut;
    private float[] gradIn;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        String[] sizes = input.split("x");
        int channels = Integer.parseInt(sizes[0]);
        batch = Integer.parseInt(sizes[3]);
        geometry = PoolGeometry.builder().input(channels, Integer.parseInt(sizes[1]), Integer.parseInt(sizes[2]))
                .kernel(2, 2).stride(2, 2).build();
        kernel = switch (impl) {
            case "panama" -> new PanamaKernels().pool2d();
            case "scalar" -> new ScalarPool2d();
            default -> throw new IllegalArgumentException("impl must be panama or scalar, got " + impl);
        };
        SplittableRandom random = new SplittableRandom(42);
        in = ConvChecks.random(random, batch * geometry.inputSize());
        out = new float[batch * geometry.outputSize()];
        argmax = new int[out.length];
        gradOut = ConvChecks.random(random, out.length);
        gradIn = new float[in.length];
        check();
    }

    private void check() {
        float[] expected = new float[out.length];
        int[] expectedArgmax = new int[out.length];
        new ScalarPool2d().maxForward(expected, 0, expectedArgmax, 0, in, 0, geometry, batch);
        kernel.maxForward(out, 0, argmax, 0, in, 0, geometry, batch);
        if (!Arrays.equals(expected, out) || !Arrays.equals(expectedArgmax, argmax)) {
            throw new IllegalStateException(impl + " max pooling differs from the scalar reference on " + geometry);
        }
        float[] expectedGrad = new float[in.length];
        new ScalarPool2d().maxBackward(expectedGrad, 0, gradOut, 0, argmax, 0, geometry, batch);
        kernel.maxBackward(gradIn, 0, gradOut, 0, argmax, 0, geometry, batch);
        if (!Arrays.equals(expectedGrad, gradIn)) {
            throw new IllegalStateException(impl + " max pooling backward differs from the scalar reference");
        }
        new ScalarPool2d().avgForward(expected, 0, in, 0, geometry, batch, true);
        kernel.avgForward(out, 0, in, 0, geometry, batch, true);
        if (!Arrays.equals(expected, out)) {
            throw new IllegalStateException(impl + " average pooling differs from the scalar reference");
        }
    }

    @Benchmark
    public float[] maxForward() {
        kernel.maxForward(out, 0, argmax, 0, in, 0, geometry, batch);
        return out;
    }

    @Benchmark
    public float[] maxBackward() {
        kernel.maxBackward(gradIn, 0, gradOut, 0, argmax, 0, geometry, batch);
        return gradIn;
    }

    @Benchmark
    public float[] avgForward() {
        kernel.avgForward(out, 0, in, 0, geometry, batch, true);
        return out;
    }
}
