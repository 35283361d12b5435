package dev.lanes.unsupervised.cli;

import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Sequential;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingOptions;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.Command;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.FashionMnist;
import dev.lanes.training.optim.Adam;
import dev.lanes.training.random.SplitMix64;
import dev.lanes.training.report.Charts;
import dev.lanes.training.report.Progress;
import dev.lanes.unsupervised.DeepBeliefNet;
import dev.lanes.unsupervised.RbmTrainingOptions;
import dev.lanes.unsupervised.VisibleUnits;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * {@code lanes features}: a linear classifier (softmax regression) on the hidden probabilities of
 * an RBM and of a two-layer DBN against one on the raw pixels; and the DBN fine-tuned as a
 * classifier with few labels against the same network trained from random weights.
 */
public final class FeaturesCommand implements Command {
    @Override
    public String name() {
        return "features";
    }

    @Override
    public String summary() {
        return "linear classifiers on RBM/DBN features vs pixels; a DBN fine-tuned with few labels";
    }

    private static String help() {
        return """
                usage: lanes features [OPTIONS]

                On pixels thresholded at 0.5: pretrains a DBN 784-H-H greedily with CD-1 on the
                training images (no labels). Its first layer is an RBM with H hidden units: a linear
                classifier (Dense to 10 classes, softmax cross-entropy, Adam 1e-3, batches of 100) is
                trained on the RBM's P(h | v), on the DBN's top layer and on the raw pixels of all the
                training images, and tested. Then the DBN becomes a classifier (sigmoid layers and a
                softmax layer) fine-tuned on the first --labels training images only, against the
                same network from random (He-normal) weights trained the same way. Writes the test
                accuracies as a bar chart, features.png.

                  --hidden H        units per hidden layer (default 500)
                  --epochs E        CD-1 epochs per layer (default 5)
                  --linear-epochs E epochs of the linear classifiers (default 10)
                  --labels N        labelled images for fine-tuning (default 1000)
                  --tune-epochs E   fine-tuning epochs (default 50)
                """ + Programs.commonHelp("runs/features", 60000, 10000);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Set<String> options = new HashSet<>(Programs.COMMON);
        options.addAll(List.of("hidden", "epochs", "linear-epochs", "labels", "tune-epochs"));
        Arguments parsed = Arguments.parse(name(), arguments, options, Set.of());
        int hidden = parsed.integer("hidden", 500, 1, 1 << 16);
        int epochs = parsed.integer("epochs", 5, 1, 100000);
        int linearEpochs = parsed.integer("linear-epochs", 10, 1, 100000);
        int labels = parsed.integer("labels", 1000, 10, 1 << 24);
        int tuneEpochs = parsed.integer("tune-epochs", 50, 1, 100000);
        long seed = parsed.longValue("seed", 1);
        Programs.Data data = Programs.load(parsed, 60000, 10000, out);
        Path folder = Programs.outputFolder(parsed, "runs/features");
        float[] train = data.train().binary();
        float[] test = data.test().binary();
        int trainCount = data.train().count();
        int testCount = data.test().count();
        labels = Math.min(labels, trainCount);

        long start = System.nanoTime();
        DeepBeliefNet dbn = new DeepBeliefNet(new int[] {Programs.PIXELS, hidden, hidden}, VisibleUnits.BERNOULLI,
                seed);
        RbmTrainingOptions rbmOptions = new RbmTrainingOptions().epochs(epochs).learningRate(0.05f)
                .annealLearningRate(true).seed(seed).log(out);
        out.println("# " + dbn + ": greedy pretraining, " + rbmOptions.describe());
        dbn.pretrain(train, trainCount, rbmOptions);
        out.printf(Locale.ROOT, "# pretrained in %.0f s%n", Programs.seconds(start));

        int[] trainLabels = data.train().labels();
        int[] testLabels = data.test().labels();
        double pixels = linear(out, "raw pixels", train, trainLabels, trainCount, test, testLabels, testCount,
                Programs.PIXELS, linearEpochs, seed);
        double rbm = linear(out, "RBM features", dbn.transform(train, trainCount, 1), trainLabels, trainCount,
                dbn.transform(test, testCount, 1), testLabels, testCount, hidden, linearEpochs, seed);
        double top = linear(out, "DBN top-layer features", dbn.transform(train, trainCount, 2), trainLabels,
                trainCount, dbn.transform(test, testCount, 2), testLabels, testCount, hidden, linearEpochs, seed);

        float[] few = java.util.Arrays.copyOf(train, labels * Programs.PIXELS);
        int[] fewLabels = java.util.Arrays.copyOf(trainLabels, labels);
        Shape image = Shape.of(1, Programs.SIDE, Programs.SIDE);
        double pretrained = tune(out, "DBN fine-tuned", dbn.classifier(image, 10, SplitMix64.derive(seed, 5)), few,
                fewLabels, labels, test, testLabels, testCount, tuneEpochs, seed);
        Sequential random = Sequential.builder(image).add("flatten", new Flatten())
                .add("dense1", new Dense(Programs.PIXELS, hidden, SplitMix64.derive(seed, 6)))
                .add("sigmoid1", ActivationLayer.sigmoid())
                .add("dense2", new Dense(hidden, hidden, SplitMix64.derive(seed, 7)))
                .add("sigmoid2", ActivationLayer.sigmoid())
                .add("output", new Dense(hidden, 10, SplitMix64.derive(seed, 5))).build();
        double scratch = tune(out, "same net, random weights", random, few, fewLabels, labels, test, testLabels,
                testCount, tuneEpochs, seed);

        out.println();
        out.println("| classifier | training labels | test accuracy |");
        out.println("|---|---|---|");
        out.printf(Locale.ROOT, "| linear on raw pixels | %d | %.2f%% |%n", trainCount, 100 * pixels);
        out.printf(Locale.ROOT, "| linear on RBM features (%d) | %d | %.2f%% |%n", hidden, trainCount, 100 * rbm);
        out.printf(Locale.ROOT, "| linear on DBN top-layer features (%d) | %d | %.2f%% |%n", hidden, trainCount,
                100 * top);
        out.printf(Locale.ROOT, "| DBN 784-%d-%d-10, pretrained, fine-tuned | %d | %.2f%% |%n", hidden, hidden,
                labels, 100 * pretrained);
        out.printf(Locale.ROOT, "| same network from random weights | %d | %.2f%% |%n", labels, 100 * scratch);
        Path png = folder.resolve("features.png");
        chart(png, String.format(Locale.ROOT, "DBN 784-%d-%d features (CD-1, %d epochs per layer), Fashion-MNIST "
                + "binarised: %,d training / %,d test images", hidden, hidden, epochs, trainCount, testCount),
                hidden, trainCount, labels,
                new double[] {pixels, rbm, top}, new double[] {pretrained, scratch});
        out.println("# figure " + png);
        return 0;
    }

    /**
     * A bar chart of the test accuracies: the three linear classifiers (trained on all the
     * training labels) and the two fine-tuned networks (few labels), each bar labelled with its
     * figure.
     */
    private static void chart(Path png, String title, int hidden, int trainCount, int labels, double[] linear,
                              double[] tuned) throws IOException {
        List<String> categories = List.of("raw pixels", "RBM features", "DBN top layer", "DBN pretrained",
                "random weights");
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(650).title(title)
                .yAxisTitle("test accuracy (%)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.BLACK);
        chart.getStyler().setDecimalPattern("0.00");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.addSeries(String.format(Locale.ROOT, "linear classifier (softmax), %,d labels", trainCount), categories,
                percentages(linear[0], linear[1], linear[2], Double.NaN, Double.NaN));
        chart.addSeries(String.format(Locale.ROOT, "784-%d-%d-10 fine-tuned, %,d labels", hidden, hidden, labels),
                categories,
                percentages(Double.NaN, Double.NaN, Double.NaN, tuned[0], tuned[1]));
        Charts.writePng(png, BitmapEncoder.getBufferedImage(chart));
    }

    /** Fractions as percentages; NaN (no bar in this series) stays NaN. */
    private static List<Double> percentages(double... fractions) {
        List<Double> values = new ArrayList<>();
        for (double fraction : fractions) {
            values.add(100 * fraction);
        }
        return values;
    }

    private static double linear(PrintStream out, String what, float[] train, int[] trainLabels, int trainCount,
                                 float[] test, int[] testLabels, int testCount, int width, int epochs, long seed)
            throws IOException {
        Shape shape = Shape.of(1, 1, width);
        Sequential network = Sequential.builder(shape).add("flatten", new Flatten())
                .add("output", new Dense(width, 10, SplitMix64.derive(seed, 8))).build();
        return trainAndTest(out, "linear on " + what, network, shape, train, trainLabels, trainCount, test,
                testLabels, testCount, epochs, 100, seed);
    }

    private static double tune(PrintStream out, String what, Layer network, float[] train, int[] trainLabels,
                               int trainCount, float[] test, int[] testLabels, int testCount, int epochs, long seed)
            throws IOException {
        return trainAndTest(out, what, network, Shape.of(1, Programs.SIDE, Programs.SIDE), train, trainLabels,
                trainCount, test, testLabels, testCount, epochs, 50, seed);
    }

    /** Trains with the training module's Trainer (no validation) and returns the test accuracy. */
    private static double trainAndTest(PrintStream out, String what, Layer network, Shape shape, float[] train,
                                       int[] trainLabels, int trainCount, float[] test, int[] testLabels,
                                       int testCount, int epochs, int batch, long seed) throws IOException {
        long start = System.nanoTime();
        Model model = Model.of("classifier", network, shape);
        TrainingOptions options = new TrainingOptions().epochs(epochs).log(null).progress((t, n) -> Progress.none());
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.parameters(), 1e-3), options);
        int[] dims = shape.dims();
        Dataset trainSet = Dataset.of(train, trainLabels, dims[0], dims[1], dims[2], 10, FashionMnist.CLASS_NAMES);
        Dataset testSet = Dataset.of(test, testLabels, dims[0], dims[1], dims[2], 10, FashionMnist.CLASS_NAMES);
        trainer.fit(new DataLoader(trainSet, batch, true, false, seed, Augmentation.NONE), null);
        double accuracy = trainer.evaluate(new DataLoader(testSet, 500, false, false, seed, Augmentation.NONE))
                .accuracy();
        out.printf(Locale.ROOT, "%s: %d images, %d epochs, test accuracy %.2f%% (%.0f s)%n", what, trainCount, epochs,
                100 * accuracy, Programs.seconds(start));
        return accuracy;
    }
}
