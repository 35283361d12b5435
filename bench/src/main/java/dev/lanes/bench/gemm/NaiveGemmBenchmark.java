package dev.lanes.bench.gemm;

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
 * The naive three-loop reference (single-threaded) on the shapes where it finishes in reasonable
 * time: up to about a GFLOP per product.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class NaiveGemmBenchmark {
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "32x25088x9", "64x128x3136"})
    public String shape;

    private Runnable product;

    @Setup(Level.Trial)
    public void setUp() {
        GemmOperands operands = new GemmOperands(GemmShape.parse(shape), 42);
        product = GemmImplementation.NAIVE.bind(operands);
        product.run();
        operands.verify("naive");
    }

    @Benchmark
    public void sgemm() {
        product.run();
    }
}
