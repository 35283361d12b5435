package dev.lanes.training.cli;

import dev.lanes.layers.Sequential;
import dev.lanes.training.data.DataSource;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.FashionMnist;
import dev.lanes.training.metrics.Metrics;
import dev.lanes.training.perceptron.DecisionBoundary;
import dev.lanes.training.perceptron.Perceptron;
import dev.lanes.training.perceptron.PerceptronTraining;
import dev.lanes.training.perceptron.Xor;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code lanes perceptron}: the perceptron part of the curriculum. The perceptron rule on XOR
 * (it does not converge), the decks' threshold network (it solves XOR), 2-2-1 networks trained by
 * backpropagation from many random initialisations (the share that solves XOR, for sigmoid and
 * tanh hidden units, and a PNG of their decision boundaries), and one-vs-rest perceptrons on
 * Fashion-MNIST (their test accuracy).
 */
public final class PerceptronCommand implements Command {
    static final Set<String> OPTIONS = Set.of("data", "epochs", "runs", "xor-epochs", "xor-lr", "seed", "output");
    /** The decision-boundary chart. */
    static final String BOUNDARY_CHART = "xor_boundary.png";

    /** The command, for the {@code lanes} program (found by its service loader). */
    public PerceptronCommand() {
    }

    @Override
    public String name() {
        return "perceptron";
    }

    @Override
    public String summary() {
        return "the perceptron rule, XOR (one layer fails, 2-2-1 backprop), one-vs-rest perceptrons on Fashion-MNIST";
    }

    static String help() {
        return String.format("""
                usage: lanes perceptron [OPTIONS]

                The perceptron rule of the lecture decks (w = 0, examples scaled to length 1, predict
                positive iff w.x > 0, add y.x on a mistake) on XOR, where it never converges; the decks'
                threshold network, which computes XOR; 2-2-1 networks trained by backpropagation from
                many random initialisations (the share that solves XOR for sigmoid and tanh hidden units,
                and %s with their decision boundaries); and ten one-vs-rest perceptrons
                on the Fashion-MNIST pixels, with their test accuracy.

                  --data DIR           a folder with the IDX files, or 'bundled'; default %s
                                       when present, else the bundled subset
                  --epochs N           passes of the perceptron rule over Fashion-MNIST (default 10)
                  --runs N             random initialisations per hidden unit for XOR (default 100)
                  --xor-epochs N       full-batch gradient-descent steps per XOR run (default 5000)
                  --xor-lr X           their learning rate (default 2)
                  --seed N             seeds the order of the Fashion-MNIST examples (default 42)
                  --output DIR         output folder (default runs/perceptron)
                """, BOUNDARY_CHART, FashionMnist.SYSTEM_DIRECTORY);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Arguments parsed = Arguments.parse(name(), arguments, OPTIONS, Set.of());
        int epochs = parsed.integer("epochs", 10, 1, 10_000);
        int runs = parsed.integer("runs", 100, 1, 1_000_000);
        int xorEpochs = parsed.integer("xor-epochs", 5000, 1, 10_000_000);
        double xorRate = parsed.number("xor-lr", 2, 0, false, 1000);
        long seed = parsed.longValue("seed", 42);
        Path output = parsed.path("output");
        output = output == null ? Path.of("runs", "perceptron") : output;
        DataSource source = TrainSettings.dataSource(parsed.path("data"));
        Files.createDirectories(output);

        xor(out, runs, xorEpochs, xorRate, output);
        fashionMnist(out, source, epochs, seed);
        return 0;
    }

    private static void xor(PrintStream out, int runs, int epochs, double rate, Path output) throws Exception {
        out.println("XOR, one perceptron with a bias (the decks' rule): " + Xor.perceptron(100).describe());
        Sequential threshold = Xor.thresholdNetwork();
        out.println("XOR, the decks' threshold network (h1 = x1 OR x2, h2 = x1 AND x2, y = h1 AND NOT h2): "
                + (Xor.solves(threshold) ? "solves XOR" : "FAILS"));
        out.printf(Locale.ROOT, "XOR, 2-2-1 networks by backpropagation (%d steps of full-batch gradient descent, "
                + "lr %s, squared error of a sigmoid output), %d random initialisations each:%n", epochs,
                rate, runs);
        List<DecisionBoundary.Panel> panels = new ArrayList<>();
        panels.add(new DecisionBoundary.Panel("threshold units (the decks' weights)", threshold));
        for (Xor.Hidden hidden : Xor.Hidden.values()) {
            Xor.SuccessShare share = Xor.successShare(hidden, runs, epochs, rate);
            String name = hidden.name().toLowerCase(Locale.ROOT);
            out.printf(Locale.ROOT, "  %-7s hidden units: %d of %d solve XOR (%.0f%%)%n", name, share.solved(),
                    share.runs(), 100 * share.share());
            if (share.firstSolvedSeed() >= 0) {
                Sequential network = Xor.network(hidden, share.firstSolvedSeed());
                Xor.train(network, epochs, rate);
                panels.add(new DecisionBoundary.Panel(name + " hidden units, initialisation "
                        + share.firstSolvedSeed(), network));
            }
        }
        DecisionBoundary.write(output.resolve(BOUNDARY_CHART), panels);
        out.println("decision boundaries (the threshold network, then a solving network of each kind): "
                + output.resolve(BOUNDARY_CHART));
    }

    private static void fashionMnist(PrintStream out, DataSource source, int epochs, long seed) throws Exception {
        Dataset train = source.train();
        Dataset test = source.test();
        out.printf(Locale.ROOT, "%s: %d one-vs-rest perceptrons on the %d pixels in [0, 1] and a bias, %d epochs "
                + "of the rule in a seeded order%n", source.description(), train.classes(), train.imageSize(), epochs);
        Perceptron perceptron = Perceptron.multiOutput(train.imageSize(), train.classes(), true);
        long start = System.nanoTime();
        PerceptronTraining training = perceptron.train(pixels(train), Perceptron.oneVsRest(train.labels(),
                train.classes()), epochs, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "  training: %s in %.1f s (%d examples x %d outputs per epoch)%n",
                training.describe(), seconds, train.count(), train.classes());
        out.printf(Locale.ROOT, "  training accuracy %.2f%%, test accuracy %.2f%% (%d test images)%n",
                100 * accuracy(perceptron, train), 100 * accuracy(perceptron, test), test.count());
    }

    private static double accuracy(Perceptron perceptron, Dataset data) {
        return Metrics.accuracy(data.labels(), perceptron.predictClass(pixels(data)), data.count());
    }

    private static float[] pixels(Dataset data) {
        float[] pixels = new float[data.count() * data.imageSize()];
        for (int i = 0; i < data.count(); i++) {
            data.copyImage(i, pixels, i * data.imageSize());
        }
        return pixels;
    }
}
