package dev.lanes.bench.activation;

import dev.lanes.kernels.panama.PanamaKernels;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.spi.ElementwiseKernel;
import dev.lanes.kernels.spi.ElementwiseKernel.Binary;
import dev.lanes.kernels.scalar.ScalarElementwise;
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
 * The cheap elementwise kernels at 1K, 64K and 16M floats, and the bandwidth anchors: copy (the
 * STREAM copy c[i] = a[i] as a vector load/store loop, or the scalar loop for impl=scalar) and
 * System.arraycopy. Bytes moved per element: copy, arraycopy, scale, clip, bias 8; add, mul,
 * axpy 12.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class ElementwiseBench {
    /** Channels of the bias benchmark: data is (1, 64, size / 64). */
    private static final int CHANNELS = 64;

    @Param({"1024", "65536", "16777216"})
    public int size;

    @Param({"panama", "scalar"})
    public String impl;

    @Param({"1"})
    public int threads;

    private ElementwiseKernel kernel;
    private float[] a;
    private float[] b;
    private float[] out;
    private float[] bias;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        kernel = impl.equals("panama") ? new PanamaKernels().elementwise() : new ScalarElementwise();
        a = BenchData.uniform(3, size, -2, 2);
        b = BenchData.uniform(4, size, -2, 2);
        out = new float[size];
        bias = BenchData.uniform(5, CHANNELS, -1, 1);
        float[] expected = new float[size];
        new ScalarElementwise().binary(Binary.MUL, expected, 0, 1, a, 0, 1, b, 0, 1, size);
        kernel.binary(Binary.MUL, out, 0, 1, a, 0, 1, b, 0, 1, size);
        BenchData.check("mul " + impl, expected, out, size, 0);
    }

    @Benchmark
    public float[] copy() {
        kernel.copy(out, 0, 1, a, 0, 1, size);
        return out;
    }

    @Benchmark
    public float[] arraycopy() {
        System.arraycopy(a, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public float[] add() {
        kernel.binary(Binary.ADD, out, 0, 1, a, 0, 1, b, 0, 1, size);
        return out;
    }

    @Benchmark
    public float[] mul() {
        kernel.binary(Binary.MUL, out, 0, 1, a, 0, 1, b, 0, 1, size);
        return out;
    }

    @Benchmark
    public float[] scale() {
        kernel.scale(out, 0, 1, 0.5f, a, 0, 1, size);
        return out;
    }

    @Benchmark
    public float[] axpy() {
        // Alternating signs keep the values bounded over millions of calls.
        kernel.axpy(out, 0, 1, -0.5f, a, 0, 1, size);
        kernel.axpy(out, 0, 1, 0.5f, a, 0, 1, size);
        return out;
    }

    @Benchmark
    public float[] clip() {
        kernel.clip(out, 0, 1, a, 0, 1, -1f, 1f, size);
        return out;
    }

    @Benchmark
    public float[] bias() {
        kernel.addBiasChannels(out, 0, bias, 0, 1, CHANNELS, size / CHANNELS);
        return out;
    }
}
