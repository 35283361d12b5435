package dev.lanes.recurrent.cli;

import dev.lanes.kernels.Parallel;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.recurrent.Lstm;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.Command;
import dev.lanes.training.optim.Adam;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code lanes rnn-speed}: training steps per second of an LSTM classifier, the workload of the
 * PyTorch peer script {@code recurrent/src/test/python/torch_lstm_step.py} (same shapes, loss and
 * optimizer), printed in the same format so the two can be compared in one sitting.
 */
public final class RnnSpeedCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("batch", "steps", "input", "hidden", "threads", "seconds",
            "samples");

    @Override
    public String name() {
        return "rnn-speed";
    }

    @Override
    public String summary() {
        return "LSTM training steps per second (the workload of the PyTorch peer script)";
    }

    private static String help() {
        return """
                usage: lanes rnn-speed [OPTIONS]

                Times training steps of Lstm(input, hidden) over (batch, steps, input) random sequences,
                its final state into Dense(hidden, 10), softmax cross-entropy on random labels and Adam
                1e-3: forward, backward and optimizer step, over four batches in turn. Warms up for two
                seconds, then prints the median sequences per second over the samples (with min and
                max), like recurrent/src/test/python/torch_lstm_step.py for PyTorch.

                  --batch N      (default 64)      --steps T     (default 28)
                  --input F      (default 28)      --hidden H    (default 128)
                  --threads N    kernel threads (default 1)
                  --seconds S    per sample (default 2)
                  --samples K    (default 5)
                """;
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Arguments parsed = Arguments.parse(name(), arguments, OPTIONS, Set.of());
        int batch = parsed.integer("batch", 64, 1, 1 << 16);
        int steps = parsed.integer("steps", 28, 1, 1 << 16);
        int input = parsed.integer("input", 28, 1, 1 << 16);
        int hidden = parsed.integer("hidden", 128, 1, 1 << 16);
        int threads = parsed.integer("threads", 1, 1, 1024);
        double seconds = parsed.number("seconds", 2, 0, false, 3600);
        int samples = parsed.integer("samples", 5, 1, 1000);
        Parallel.setThreads(threads);

        Lstm lstm = new Lstm(input, hidden, 1);
        Dense head = new Dense(hidden, 10, 2);
        List<Parameter> parameters = new ArrayList<>(lstm.parameters());
        parameters.addAll(head.parameters());
        Adam adam = new Adam(parameters, 1e-3);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor[] inputs = new Tensor[4];
        Tensor[] labels = new Tensor[4];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Tensor.randn(Shape.of(batch, steps, input), 10 + i);
            float[] classes = new float[batch];
            for (int n = 0; n < batch; n++) {
                classes[n] = (n * 7 + i) % 10;
            }
            labels[i] = Tensor.wrap(classes, batch);
        }
        Runnable round = () -> {
            for (int i = 0; i < inputs.length; i++) {
                loss.forward(head.forward(lstm.forward(inputs[i], true), true), labels[i]);
                lstm.backward(head.backward(loss.backward()));
                adam.step();
            }
        };
        out.printf(Locale.ROOT, "# lanes threads=%d batch=%d steps=%d input=%d hidden=%d kernels=%s%n", threads,
                batch, steps, input, hidden, dev.lanes.kernels.RecurrentCells.implementation());
        double[] rates = measure(round, seconds, samples, (double) batch * inputs.length);
        int m = rates.length / 2;
        out.printf(Locale.ROOT, "lanes\t%d\ttrain sequences/s\t%.0f\t(min %.0f max %.0f)\t%.2f ms/step%n", threads,
                rates[m], rates[0], rates[rates.length - 1], 1000.0 * batch / rates[m]);
        return 0;
    }

    /** Sorted rates (sequences per second) of the samples, after a two-second warm-up. */
    private static double[] measure(Runnable round, double seconds, int samples, double sequencesPerRound) {
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < 2_000_000_000L) {
            round.run();
        }
        double[] rates = new double[samples];
        for (int s = 0; s < samples; s++) {
            long start = System.nanoTime();
            int rounds = 0;
            while (System.nanoTime() - start < seconds * 1e9) {
                round.run();
                rounds++;
            }
            rates[s] = rounds * sequencesPerRound / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        return rates;
    }
}
