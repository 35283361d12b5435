package dev.lanes.bench.activation;

import dev.lanes.kernels.panama.PanamaKernels;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.spi.ReductionKernel;
import dev.lanes.kernels.scalar.ScalarReductions;
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

/** Sum, dot, max and argmax at 1K, 64K and 16M floats (4 bytes per element read; dot 8). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class ReductionBench {
    @Param({"1024", "65536", "16777216"})
    public int size;

    @Param({"panama", "scalar"})
    public String impl;

    @Param({"1"})
    public int threads;

    private ReductionKernel kernel;
    private float[] x;
    private float[] y;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        kernel = impl.equals("panama") ? new PanamaKernels().reductions() : new ScalarReductions();
        x = BenchData.uniform(8, size, -1, 1);
        y = BenchData.uniform(9, size, -1, 1);
        double exact = new ScalarReductions().sum(x, 0, 1, size);
        double sum = kernel.sum(x, 0, 1, size);
        if (Math.abs(sum - exact) > 1e-4 * size) {
            throw new IllegalStateException("sum " + impl + " is " + sum + ", expected " + exact);
        }
    }

    @Benchmark
    public double sum() {
        return kernel.sum(x, 0, 1, size);
    }

    @Benchmark
    public double dot() {
        return kernel.dot(x, 0, 1, y, 0, 1, size);
    }

    @Benchmark
    public float max() {
        return kernel.max(x, 0, 1, size);
    }

    @Benchmark
    public int argmax() {
        return kernel.argmax(x, 0, 1, size);
    }
}
