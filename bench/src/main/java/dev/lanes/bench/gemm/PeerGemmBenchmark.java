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
 * The JVM peers on the same shapes, single-threaded: EJML ({@code CommonOps_FDRM.mult}) and
 * netlib's pure-Java BLAS (its VectorBLAS; the setup fails if another class was picked).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class PeerGemmBenchmark {
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
        "32x25088x9", "64x6272x288", "128x3136x576", "256x784x1152", "64x128x3136", "64x288x6272"})
    public String shape;

    @Param({"netlib", "ejml"})
    public String peer;

    private Runnable product;

    @Setup(Level.Trial)
    public void setUp() {
        if ("netlib".equals(peer) && !GemmImplementation.netlibClass().endsWith(".VectorBLAS")) {
            throw new IllegalStateException("netlib resolved to " + GemmImplementation.netlibClass()
                    + ", not its Vector-API implementation; is --add-modules jdk.incubator.vector set?");
        }
        GemmOperands operands = new GemmOperands(GemmShape.parse(shape), 42);
        product = GemmImplementation.of(peer).bind(operands);
        product.run();
        operands.verify(peer);
    }

    @Benchmark
    public void sgemm() {
        product.run();
    }
}
