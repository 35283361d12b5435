package dev.lanes.unsupervised.cli;

import dev.lanes.tensor.Shape;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.Command;
import dev.lanes.training.data.FashionMnist;
import dev.lanes.training.report.Charts;
import dev.lanes.unsupervised.Autoencoder;
import dev.lanes.unsupervised.AutoencoderOptions;
import dev.lanes.unsupervised.DeepBeliefNet;
import dev.lanes.unsupervised.Pca;
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
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code lanes codes}: a deep autoencoder's 2-D code (a DBN pretrained greedily, unrolled and
 * fine-tuned, Hinton and Salakhutdinov 2006) against PCA's 2-D projection of the test set, as
 * scatter plots coloured by class, with the reconstruction error of each.
 */
public final class CodesCommand implements Command {
    // Ten distinguishable colours (the Tableau 10 palette's order).
    private static final Color[] COLOURS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    @Override
    public String name() {
        return "codes";
    }

    @Override
    public String summary() {
        return "2-D codes of a deep autoencoder (pretrained as a DBN) against PCA, scatter plots";
    }

    private static String help() {
        return """
                usage: lanes codes [OPTIONS]

                On the grey images (values in [0, 1], the RBMs' data as probabilities), pretrains a DBN
                784-L1-L2-2 greedily with CD-1, unrolls it into an autoencoder with a linear 2-D code
                and fine-tunes it (binary cross-entropy, Adam); fits PCA with 2 components to the same
                images. Prints the squared reconstruction error per image on the test images of both
                (and of the untuned unrolled DBN) and writes codes_autoencoder.png and codes_pca.png.

                  --layers L1,L2    hidden layers (default 256,64)
                  --epochs E        CD-1 epochs per layer (default 5)
                  --ae-epochs E     fine-tuning epochs (default 10)
                """ + Programs.commonHelp("runs/codes", 20000, 5000);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Set<String> options = new HashSet<>(Programs.COMMON);
        options.addAll(List.of("layers", "epochs", "ae-epochs"));
        Arguments parsed = Arguments.parse(name(), arguments, options, Set.of());
        String[] layerText = parsed.string("layers", "256,64").split(",");
        int[] sizes = new int[layerText.length + 2];
        sizes[0] = Programs.PIXELS;
        for (int i = 0; i < layerText.length; i++) {
            try {
                sizes[i + 1] = Integer.parseInt(layerText[i].strip());
            } catch (NumberFormatException e) {
                throw new dev.lanes.training.cli.UsageException("lanes codes: --layers takes sizes like 256,64, got "
                        + parsed.string("layers", ""));
            }
        }
        sizes[sizes.length - 1] = 2;
        int epochs = parsed.integer("epochs", 5, 1, 100000);
        int aeEpochs = parsed.integer("ae-epochs", 10, 1, 100000);
        long seed = parsed.longValue("seed", 1);
        Programs.Data data = Programs.load(parsed, 20000, 5000, out);
        Path folder = Programs.outputFolder(parsed, "runs/codes");
        float[] train = data.train().pixels();
        float[] test = data.test().pixels();
        int trainCount = data.train().count();
        int testCount = data.test().count();

        long start = System.nanoTime();
        DeepBeliefNet dbn = new DeepBeliefNet(sizes, VisibleUnits.BERNOULLI, seed);
        RbmTrainingOptions rbmOptions = new RbmTrainingOptions().epochs(epochs).learningRate(0.05f)
                .annealLearningRate(true).acceptProbabilities(true).seed(seed).log(out);
        out.println("# " + dbn + ": greedy pretraining, " + rbmOptions.describe());
        dbn.pretrain(train, trainCount, rbmOptions);
        Shape image = Shape.of(1, Programs.SIDE, Programs.SIDE);
        double pretrainedError = error(dbn.autoencoder(image, true).reconstruct(test, testCount), test, testCount);
        Autoencoder autoencoder = dbn.autoencoder(image, true);
        AutoencoderOptions aeOptions = new AutoencoderOptions().epochs(aeEpochs).learningRate(1e-3).seed(seed).log(out);
        out.println("# unrolled and fine-tuned: " + aeOptions.describe());
        autoencoder.fit(train, trainCount, aeOptions);
        out.printf(Locale.ROOT, "# deep autoencoder trained in %.0f s%n", Programs.seconds(start));
        double autoencoderError = error(autoencoder.reconstruct(test, testCount), test, testCount);
        float[] codes = autoencoder.encode(test, testCount);

        Pca pca = Pca.fit(train, trainCount, Programs.PIXELS, 2);
        float[] projection = pca.project(test, testCount);
        double pcaError = error(pca.reconstruct(projection, testCount), test, testCount);
        double explained = (pca.variances()[0] + pca.variances()[1]) / pca.totalVariance();

        out.println();
        out.println("| 2-D code | squared reconstruction error per test image |");
        out.println("|---|---|");
        out.printf(Locale.ROOT, "| PCA (%.1f%% of the variance) | %.2f |%n", 100 * explained, pcaError);
        out.printf(Locale.ROOT, "| DBN %s unrolled, before fine-tuning | %.2f |%n", java.util.Arrays.toString(sizes),
                pretrainedError);
        out.printf(Locale.ROOT, "| deep autoencoder (DBN fine-tuned) | %.2f |%n", autoencoderError);
        scatter(folder.resolve("codes_autoencoder.png"), codes, data.test().labels(), testCount,
                "Deep autoencoder " + java.util.Arrays.toString(sizes) + ": 2-D codes of " + testCount
                        + " test images");
        scatter(folder.resolve("codes_pca.png"), projection, data.test().labels(), testCount,
                "PCA: first two components of " + testCount + " test images");
        out.println("# figures in " + folder);
        return 0;
    }

    /** Mean over images of the summed squared difference. */
    private static double error(float[] reconstruction, float[] images, int count) {
        double sum = 0;
        for (int i = 0; i < count * Programs.PIXELS; i++) {
            double d = reconstruction[i] - images[i];
            sum += d * d;
        }
        return sum / count;
    }

    private static void scatter(Path png, float[] points, int[] labels, int count, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(800).title(title).xAxisTitle("code 1")
                .yAxisTitle("code 2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(3);
        for (int c = 0; c < FashionMnist.CLASS_NAMES.size(); c++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (labels[i] == c) {
                    x.add((double) points[2 * i]);
                    y.add((double) points[2 * i + 1]);
                }
            }
            if (!x.isEmpty()) {
                XYSeries series = chart.addSeries(FashionMnist.CLASS_NAMES.get(c), x, y);
                series.setMarker(SeriesMarkers.CIRCLE);
                series.setMarkerColor(COLOURS[c]);
            }
        }
        Charts.writePng(png, BitmapEncoder.getBufferedImage(chart));
    }
}
