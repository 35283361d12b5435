package dev.lanes.bench.conv;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.spi.Conv2dKernel;
import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.kernels.scalar.ScalarConv2d;
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
 * Convolution passes on real layers, next to {@code Gemm.sgemm} on the equivalent GEMM shape
 * (M = K, N = batch*P*Q, K = C*R*S) in the same run: the acceptance is the ratio of the two.
 * Setup checks each pass once: the forward pass against the scalar reference on the first
 * image, both gradients through the adjoint identities on the whole batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class ConvBenchmark {
    @Param({"LENET_C1", "LENET_C3", "MNIST_C1", "C32_64_14", "C64_128_56"})
    public String layer;

    @Param({"1", "2"})
    public int threads;

    /** chosen (what Conv2d picks), gemm, direct, or scalar. */
    @Param({"chosen"})
    public String impl;

    private ConvLayers shape;
    private Conv2dKernel.Plan plan;
    private float[] in;
    private float[] weight;
    private float[] bias;
    private float[] out;
    private float[] gradOut;
    private float[] gradIn;
    private float[] gradWeight;
    private float[] gradBias;
    private float[] gemmB;
    private float[] gemmC;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        shape = ConvLayers.valueOf(layer);
        ConvGeometry g = shape.geometry;
        plan = plan(impl, g);
        SplittableRandom random = new SplittableRandom(42);
        in = ConvChecks.random(random, shape.batch * g.inputSize());
        weight = ConvChecks.random(random, g.weightSize());
        bias = ConvChecks.random(random, g.outChannels());
        out = new float[shape.batch * g.outputSize()];
        gradOut = ConvChecks.random(random, out.length);
        gradIn = new float[in.length];
        gradWeight = new float[g.weightSize()];
        gradBias = new float[g.outChannels()];
        gemmB = ConvChecks.random(random, shape.gemmK() * shape.gemmN());
        gemmC = new float[shape.gemmM() * shape.gemmN()];
        ConvChecks.checkForward(g, plan, in, weight, bias);
        ConvChecks.checkBackward(g, plan, shape.batch, in, weight, gradOut);
        ConvChecks.checkGemm(shape.gemmM(), shape.gemmN(), shape.gemmK(), weight, gemmB);
    }

    static Conv2dKernel.Plan plan(String impl, ConvGeometry g) {
        return switch (impl) {
            case "chosen" -> new PanamaConv2d().plan(g);
            case "gemm" -> PanamaConv2d.gemmPlan(g);
            case "direct" -> PanamaConv2d.directPlan(g);
            case "scalar" -> new ScalarConv2d().plan(g);
            default -> throw new IllegalArgumentException("impl must be chosen, gemm, direct or scalar, got " + impl);
        };
    }

    @Benchmark
    public float[] forward() {
        plan.forward(out, 0, in, 0, weight, 0, bias, 0, shape.batch, false);
        return out;
    }

    @Benchmark
    public float[] backwardData() {
        plan.backwardData(gradIn, 0, gradOut, 0, weight, 0, shape.batch);
        return gradIn;
    }

    @Benchmark
    public float[] backwardWeights() {
        plan.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, shape.batch, false);
        return gradWeight;
    }

    /** The equivalent GEMM: weight (K, C*R*S) times a (C*R*S, N*P*Q) matrix. */
    @Benchmark
    public float[] gemm() {
        Gemm.sgemm(false, false, shape.gemmM(), shape.gemmN(), shape.gemmK(), 1f, weight, 0, shape.gemmK(),
                gemmB, 0, shape.gemmN(), 0f, gemmC, 0, shape.gemmN());
        return gemmC;
    }
}
