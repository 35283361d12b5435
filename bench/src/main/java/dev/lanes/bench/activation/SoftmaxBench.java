package dev.lanes.bench.activation;

import dev.lanes.kernels.panama.PanamaKernels;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.scalar.ScalarSoftmax;
import dev.lanes.kernels.spi.SoftmaxKernel;
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

/** Softmax and log-softmax, forward and backward, on (4096, 1000): Panama against its scalar twin. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class SoftmaxBench {
    @Param({"4096"})
    public int rows;

    @Param({"1000"})
    public int cols;

    @Param({"panama", "scalar"})
    public String impl;

    @Param({"1"})
    public int threads;

    private SoftmaxKernel kernel;
    private float[] in;
    private float[] out;
    private float[] logOut;
    private float[] gradOut;
    private float[] gradIn;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        kernel = impl.equals("panama") ? new PanamaKernels().softmax() : new ScalarSoftmax();
        in = BenchData.uniform(6, rows * cols, -10, 10);
        out = new float[rows * cols];
        logOut = new float[rows * cols];
        gradOut = BenchData.uniform(7, rows * cols, -1, 1);
        gradIn = new float[rows * cols];
        kernel.softmax(false, out, 0, cols, in, 0, cols, rows, cols);
        kernel.softmax(true, logOut, 0, cols, in, 0, cols, rows, cols);
        float[] expected = new float[cols];
        new ScalarSoftmax().softmax(false, expected, 0, cols, in, 0, cols, 1, cols);
        BenchData.check("softmax " + impl, expected, out, cols, 1e-4);
    }

    @Benchmark
    public float[] softmax() {
        kernel.softmax(false, out, 0, cols, in, 0, cols, rows, cols);
        return out;
    }

    @Benchmark
    public float[] logSoftmax() {
        kernel.softmax(true, logOut, 0, cols, in, 0, cols, rows, cols);
        return logOut;
    }

    @Benchmark
    public float[] softmaxBackward() {
        kernel.backward(false, gradIn, 0, cols, gradOut, 0, cols, out, 0, cols, rows, cols);
        return gradIn;
    }

    @Benchmark
    public float[] logSoftmaxBackward() {
        kernel.backward(true, gradIn, 0, cols, gradOut, 0, cols, logOut, 0, cols, rows, cols);
        return gradIn;
    }
}
