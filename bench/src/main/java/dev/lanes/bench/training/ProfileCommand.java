package dev.lanes.bench.training;

import dev.lanes.bench.report.PeakSection;
import dev.lanes.kernels.KernelProvider;
import dev.lanes.kernels.Parallel;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Sequential;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingOptions;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.report.Progress;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.Command;
import dev.lanes.training.models.Flops;
import dev.lanes.training.models.Models;
import dev.lanes.training.optim.Adam;
import dev.lanes.training.optim.Optimizer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code lanes profile}: where the time of a training step goes. Runs training steps of a model
 * on a fixed random batch (forward in training mode, softmax cross-entropy, backward, Adam) and
 * times every layer's forward and backward pass separately, then prints per-layer milliseconds,
 * the share of the step, GFLOP/s of the convolutions and dense layers, images/s, the projected
 * time of a 60,000-image epoch, the fraction of the machine's peak, and the bytes allocated per
 * step by all threads (the JVM's per-thread allocation counters).
 */
public final class ProfileCommand implements Command {
    /** Rounds of the peak measurement when no --peak is given (about 0.1 s each). */
    private static final int PEAK_SAMPLES = 3;

    /** The service loader's constructor. */
    public ProfileCommand() {
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    public String summary() {
        return "time each layer's forward and backward pass in a training step (lanes profile --help)";
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print("""
                    usage: lanes profile [--model cnn|lenet5|mlp] [--batch-size N] [--threads N] [--steps N]
                                         [--warmup N] [--peak GFLOPS-PER-CORE]

                    Times the forward and backward pass of every layer over --steps training steps (after
                    --warmup untimed ones, default 200 and 100) on a fixed random batch, and the bytes all
                    threads allocate per step. "% of peak" compares with this machine's FP32 peak on
                    --threads threads, measured first (the loop of lanes bench's peak section, about half
                    a second), unless --peak gives it in GFLOP/s per core.
                    """);
            return 0;
        }
        Arguments parsed = Arguments.parse("profile", arguments,
                Set.of("model", "batch-size", "threads", "steps", "warmup", "peak"), Set.of());
        String modelName = parsed.choice("model", Models.NAMES, Models.DEFAULT);
        int batch = parsed.integer("batch-size", 64, 1, 65_536);
        int threads = parsed.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 1024);
        int steps = parsed.integer("steps", 200, 1, 1_000_000);
        int warmup = parsed.integer("warmup", 100, 0, 1_000_000);
        double peakPerCore = parsed.number("peak", Double.NaN, 0, false, 1e6);
        Parallel.setThreads(threads);
        double peak = Double.isNaN(peakPerCore) ? PeakSection.allThreads(threads, PEAK_SAMPLES) : peakPerCore * threads;
        String source = Double.isNaN(peakPerCore) ? "measured on " + threads + " threads" : "given by --peak";
        profile(modelName, batch, steps, warmup, peak, source, out);
        return 0;
    }

    static void profile(String modelName, int batch, int steps, int warmup, double peak, String peakSource,
            PrintStream out) {
        Model model = Models.create(modelName, 1);
        if (!(model.network() instanceof Sequential network)) {
            throw new IllegalArgumentException("profile times the layers of a Sequential model; " + modelName
                    + " is a function (TrainingStepBenchmark times its whole step)");
        }
        List<Layer> layers = network.layers();
        List<Flops.LayerFlops> flops = Flops.perLayer(network);
        int[] image = model.inputShape().dims();
        Tensor input = Tensor.randn(Shape.of(batch, image[0], image[1], image[2]), 7);
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % model.classes();
        }
        Tensor target = Tensor.fromArray(labels, batch);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Optimizer optimizer = new Adam(model.parameters(), 1e-4);
        long[] forward = new long[layers.size()];
        long[] backward = new long[layers.size()];
        long[] other = new long[1];
        var threadBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int s = 0; s < warmup; s++) {
            step(layers, input, target, loss, optimizer, null, null, null);
        }
        long allocatedBefore = threadBean.getTotalThreadAllocatedBytes();
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            step(layers, input, target, loss, optimizer, forward, backward, other);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long allocated = threadBean.getTotalThreadAllocatedBytes() - allocatedBefore;

        out.printf(Locale.ROOT, "Lanes profile: model %s, batch %d, %d threads, %d-bit vectors, %d steps after %d"
                + " warm-up%n%n", modelName, batch, Parallel.threads(), KernelProvider.vectorBits(), steps, warmup);
        out.printf(Locale.ROOT, "%-10s %-34s %10s %10s %7s %9s%n", "layer", "type", "fwd ms", "bwd ms", "share",
                "GFLOP/s");
        double totalNanos = seconds * 1e9;
        for (int i = 0; i < layers.size(); i++) {
            long nanos = forward[i] + backward[i];
            String rate = flops.get(i).forward() == 0 ? ""
                    : String.format(Locale.ROOT, "%9.1f", 3.0 * flops.get(i).forward() * batch * steps / nanos);
            out.printf(Locale.ROOT, "%-10s %-34s %10.3f %10.3f %6.1f%% %s%n", flops.get(i).name(),
                    layers.get(i).name(), forward[i] / 1e6 / steps, backward[i] / 1e6 / steps, 100 * nanos / totalNanos,
                    rate);
        }
        out.printf(Locale.ROOT, "%-45s %10.3f %10s %6.1f%%%n", "loss and optimizer step", other[0] / 1e6 / steps, "",
                100 * other[0] / totalNanos);
        double stepMillis = seconds * 1e3 / steps;
        double imagesPerSecond = batch * steps / seconds;
        double gflops = Flops.trainingPerImage(model) * imagesPerSecond / 1e9;
        out.printf(Locale.ROOT, "%nstep %.3f ms: %.0f images/s, a 60,000-image epoch in %.1f s%n", stepMillis,
                imagesPerSecond, 60_000 / imagesPerSecond);
        out.printf(Locale.ROOT, "FLOPs per image: %.2f M forward, %.2f M per training step: %.1f GFLOP/s, %.1f%% of"
                + " the %.0f GFLOP/s peak (%s)%n", Flops.forwardPerImage(model) / 1e6,
                Flops.trainingPerImage(model) / 1e6, gflops, 100 * gflops / peak, peak, peakSource);
        out.printf(Locale.ROOT, "allocated per step (all threads): %.0f bytes%n", (double) allocated / steps);
        trainerEpochs(modelName, batch, steps, out);
    }

    /**
     * The same model trained by {@link Trainer#fit} for two epochs of {@code steps} batches of
     * random images: the second epoch's images/s and bytes allocated per step, which include the
     * data loader, the metrics and the per-epoch bookkeeping.
     */
    static void trainerEpochs(String modelName, int batch, int steps, PrintStream out) {
        Model model = Models.create(modelName, 2);
        int[] image = model.inputShape().dims();
        int count = batch * steps;
        Tensor pixels = Tensor.randn(Shape.of(count, image[0], image[1], image[2]), 9);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % model.classes();
        }
        Dataset data = Dataset.of(pixels.toArray(), labels, image[0], image[1], image[2], model.classes(), null);
        DataLoader loader = new DataLoader(data, batch, true, false, 3, Augmentation.NONE);
        var threadBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[3];
        double[] seconds = new double[3];
        TrainingOptions options = new TrainingOptions().epochs(2).log(null).progress((task, total) -> {
            int epoch = task.startsWith("epoch 1") ? 1 : 2;
            allocated[epoch] = threadBean.getTotalThreadAllocatedBytes();
            seconds[epoch] = System.nanoTime() / 1e9;
            return new Progress() {
                @Override
                public void advance(long images) {
                }

                @Override
                public void message(String text) {
                }

                @Override
                public void close() {
                    allocated[epoch] = threadBean.getTotalThreadAllocatedBytes() - allocated[epoch];
                    seconds[epoch] = System.nanoTime() / 1e9 - seconds[epoch];
                }
            };
        });
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.parameters(), 1e-4), options);
        try {
            trainer.fit(loader, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.printf(Locale.ROOT, "Trainer.fit, second epoch of %d steps: %.0f images/s, %.0f bytes allocated per step"
                + " (all threads, loader and metrics included)%n", steps, count / seconds[2],
                (double) allocated[2] / steps);
    }

    /** One training step, layer by layer; times go into the arrays when they are not null. */
    private static void step(List<Layer> layers, Tensor input, Tensor target, SoftmaxCrossEntropy loss,
                             Optimizer optimizer, long[] forward, long[] backward, long[] other) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            long t = System.nanoTime();
            x = layers.get(i).forward(x, true);
            if (forward != null) {
                forward[i] += System.nanoTime() - t;
            }
        }
        long t = System.nanoTime();
        loss.forward(x, target);
        Tensor gradient = loss.backward();
        long lossNanos = System.nanoTime() - t;
        for (int i = layers.size() - 1; i >= 0; i--) {
            t = System.nanoTime();
            gradient = layers.get(i).backward(gradient);
            if (backward != null) {
                backward[i] += System.nanoTime() - t;
            }
        }
        t = System.nanoTime();
        optimizer.step();
        if (other != null) {
            other[0] += lossNanos + System.nanoTime() - t;
        }
    }
}
