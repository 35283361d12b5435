package dev.lanes.bench.activation;

import dev.lanes.kernels.panama.PanamaKernels;
import dev.lanes.kernels.Activation;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.spi.ActivationKernel;
import dev.lanes.kernels.scalar.ScalarActivations;
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
 * Every activation forward and backward at 1K, 64K and 16M floats: the Panama kernel, its scalar
 * twin (the double-precision reference, one element at a time) and, for sigmoid, tanh, GELU-tanh
 * and ReLU, a plain Java float loop on Math.exp/Math.tanh ("java") as a fairer scalar baseline.
 * Forward moves 8 bytes per element, backward 12; ElementwiseBench.copy is the bandwidth anchor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class ActivationBench {
    @Param({"1024", "65536", "16777216"})
    public int size;

    @Param({"STEP", "IDENTITY", "SIGMOID", "TANH", "RELU", "LEAKY_RELU", "ELU", "SELU", "GELU_TANH", "GELU_ERF",
        "SOFTPLUS", "SOFTSIGN", "HARD_SIGMOID", "HARD_SWISH", "MISH", "CELU", "THRESHOLDED_RELU"})
    public String activation;

    @Param({"panama", "scalar"})
    public String impl;

    @Param({"1"})
    public int threads;

    private Activation.Kind kind;
    private float parameter;
    private ActivationKernel kernel;
    private float[] in;
    private float[] out;
    private float[] gradOut;
    private float[] gradIn;
    private float[] saved;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        Activation a = switch (activation) {
            case "LEAKY_RELU" -> Activation.LEAKY_RELU;
            case "ELU" -> Activation.ELU;
            default -> constant(activation);
        };
        kind = a.kind();
        parameter = a.parameter();
        kernel = switch (impl) {
            case "panama" -> new PanamaKernels().activations();
            case "scalar" -> new ScalarActivations();
            case "java" -> new JavaLoopActivations();
            default -> throw new IllegalArgumentException("impl " + impl);
        };
        in = BenchData.uniform(1, size, -8, 8);
        out = new float[size];
        gradOut = BenchData.uniform(2, size, -1, 1);
        gradIn = new float[size];
        kernel.forward(kind, parameter, out, 0, in, 0, size);
        saved = a.saved() == Activation.Saved.OUTPUT ? out.clone() : in;
        // The setup check: this kernel agrees with the scalar reference on the first 4096 elements.
        float[] expected = new float[Math.min(size, 4096)];
        new ScalarActivations().forward(kind, parameter, expected, 0, in, 0, expected.length);
        BenchData.check(activation + " " + impl, expected, out, expected.length, 2e-5);
    }

    private static Activation constant(String name) {
        try {
            return (Activation) Activation.class.getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no activation " + name, e);
        }
    }

    @Benchmark
    public float[] forward() {
        kernel.forward(kind, parameter, out, 0, in, 0, size);
        return out;
    }

    @Benchmark
    public float[] backward() {
        kernel.backward(kind, parameter, gradIn, 0, gradOut, 0, saved, 0, size);
        return gradIn;
    }
}
