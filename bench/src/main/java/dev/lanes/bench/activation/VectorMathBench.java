package dev.lanes.bench.activation;

import dev.lanes.kernels.panama.PanamaKernels;
import dev.lanes.kernels.scalar.ScalarMath;
import dev.lanes.kernels.spi.MathKernel;
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
 * exp, log and tanh over 64K floats: Lanes' own polynomial code (impl=lanes), the Vector API's
 * lanewise EXP/LOG/TANH (impl=lanewise; SVML on x86 HotSpot) and the scalar StrictMath reference.
 * The measurement behind using our own code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class VectorMathBench {
    @Param({"65536"})
    public int size;

    @Param({"lanes", "lanewise", "scalar"})
    public String impl;

    private final MathKernel lanes = new PanamaKernels().math();
    private final PanamaLanewiseMath lanewise = new PanamaLanewiseMath();
    private final ScalarMath scalar = new ScalarMath();
    private float[] in;
    private float[] positive;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        in = BenchData.uniform(10, size, -20, 20);
        positive = BenchData.uniform(11, size, 1e-3, 1e3);
        out = new float[size];
        float[] expected = new float[size];
        scalar.exp(expected, 0, in, 0, size);
        exp();
        BenchData.check("exp " + impl, expected, out, size, 1e-6);
    }

    @Benchmark
    public float[] exp() {
        switch (impl) {
            case "lanes" -> lanes.exp(out, 0, in, 0, size);
            case "lanewise" -> lanewise.exp(out, 0, in, 0, size);
            default -> scalar.exp(out, 0, in, 0, size);
        }
        return out;
    }

    @Benchmark
    public float[] log() {
        switch (impl) {
            case "lanes" -> lanes.log(out, 0, positive, 0, size);
            case "lanewise" -> lanewise.log(out, 0, positive, 0, size);
            default -> scalar.log(out, 0, positive, 0, size);
        }
        return out;
    }

    @Benchmark
    public float[] tanh() {
        switch (impl) {
            case "lanes" -> lanes.tanh(out, 0, in, 0, size);
            case "lanewise" -> lanewise.tanh(out, 0, in, 0, size);
            default -> scalar.tanh(out, 0, in, 0, size);
        }
        return out;
    }
}
