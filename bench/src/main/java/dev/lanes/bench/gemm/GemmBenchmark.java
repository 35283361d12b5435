package dev.lanes.bench.gemm;

import dev.lanes.kernels.Parallel;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * sgemm C = A B on the benchmark shapes: Lanes' vector GEMM and its scalar-blocked twin, on one
 * thread and on all of them. Time per product; GFLOP/s = 2 m n k / time. The setup checks the
 * product once before timing. The naive reference is {@link NaiveGemmBenchmark}, the JVM peers
 * {@link PeerGemmBenchmark}.
 *
 * <p>{@code ./mvnw -q -Prun -DskipTests package -Dlanes.main=org.openjdk.jmh.Main
 * -Dlanes.args="GemmBenchmark -p impl=panama -p threads=1"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
        "32x25088x9", "64x6272x288", "128x3136x576", "256x784x1152", "64x128x3136", "64x288x6272"})
    public String shape;

    @Param({"panama", "scalar-blocked"})
    public String impl;

    /** "1" or "all" (the available processors). */
    @Param({"1", "all"})
    public String threads;

    private Runnable product;
    private int savedThreads;

    @Setup(Level.Trial)
    public void setUp() {
        savedThreads = Parallel.threads();
        Parallel.setThreads(threads(threads));
        GemmOperands operands = new GemmOperands(GemmShape.parse(shape), 42);
        product = GemmImplementation.of(impl).bind(operands);
        product.run();
        operands.verify(impl);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallel.setThreads(savedThreads);
    }

    @Benchmark
    public void sgemm() {
        product.run();
    }

    static int threads(String threads) {
        return "all".equals(threads) ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
    }
}
