package dev.lanes.bench.training;

import dev.lanes.kernels.Parallel;
import dev.lanes.layers.Layer;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.Model;
import dev.lanes.training.models.Models;
import dev.lanes.training.optim.Adam;
import dev.lanes.training.optim.Optimizer;
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
 * One training step of a {@code lanes train} model on a fixed batch: forward (training mode),
 * softmax cross-entropy, backward, Adam. Run with {@code -prof gc} for the bytes allocated per
 * step (gc.alloc.rate.norm, all threads):
 * {@code ./mvnw -q -Prun -DskipTests package -Dlanes.main=org.openjdk.jmh.Main
 * -Dlanes.args="TrainingStepBenchmark -prof gc"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TrainingStepBenchmark {
    @Param({"cnn", "cnn-autodiff"})
    public String model;

    @Param({"64"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private Layer network;
    private Tensor input;
    private Tensor target;
    private SoftmaxCrossEntropy loss;
    private Optimizer optimizer;

    /** Builds the model and the batch, and checks that a step gives a finite, falling loss. */
    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        Model built = Models.create(model, 1);
        network = built.network();
        int[] image = built.inputShape().dims();
        input = Tensor.randn(Shape.of(batch, image[0], image[1], image[2]), 7);
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % built.classes();
        }
        target = Tensor.fromArray(labels, batch);
        loss = new SoftmaxCrossEntropy();
        optimizer = new Adam(built.parameters(), 1e-3);
        float first = step();
        float later = first;
        for (int i = 0; i < 20; i++) {
            later = step();
        }
        if (!(Float.isFinite(first) && later < first)) {
            throw new IllegalStateException("training steps do not reduce the loss: " + first + " -> " + later);
        }
    }

    /** One step; returns the loss. */
    @Benchmark
    public float step() {
        float value = loss.forward(network.forward(input, true), target);
        network.backward(loss.backward());
        optimizer.step();
        return value;
    }
}
