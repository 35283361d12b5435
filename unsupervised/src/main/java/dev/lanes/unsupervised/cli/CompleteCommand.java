package dev.lanes.unsupervised.cli;

import dev.lanes.tensor.Shape;
import dev.lanes.training.adversarial.ExampleGrid;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.Command;
import dev.lanes.unsupervised.Autoencoder;
import dev.lanes.unsupervised.AutoencoderOptions;
import dev.lanes.unsupervised.DeepBeliefNet;
import dev.lanes.unsupervised.GibbsSampler;
import dev.lanes.unsupervised.Rbm;
import dev.lanes.unsupervised.RbmTrainer;
import dev.lanes.unsupervised.RbmTrainingOptions;
import dev.lanes.unsupervised.VisibleUnits;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code lanes complete}: the lower half of binarised test images hidden and filled in by an RBM
 * (Gibbs sampling with the upper half clamped), by a DBN unrolled into an autoencoder and by a
 * dense autoencoder (both iterated with the upper half clamped); the squared error on the hidden
 * half and a picture.
 */
public final class CompleteCommand implements Command {
    private static final int HALF = Programs.PIXELS / 2;

    @Override
    public String name() {
        return "complete";
    }

    @Override
    public String summary() {
        return "fill in the hidden lower half of test images: RBM, DBN and autoencoder";
    }

    private static String help() {
        return """
                usage: lanes complete [OPTIONS]

                On pixels thresholded at 0.5, trains an RBM (784-H, CD-1), a DBN (784-H-C, greedy
                CD-1, unrolled into an autoencoder and fine-tuned), a dense autoencoder (784-H-C,
                ReLU, from random weights) and the same trained as a denoising autoencoder (masking
                noise --noise), then hides the lower half (rows 14-27) of test images.
                The RBM fills it by Gibbs sampling with the upper half clamped (the mean of E[v | h]
                over steps 21-200, from an empty lower half); the autoencoders by 20 rounds of
                reconstruction with the upper half clamped. Prints the mean squared error per hidden
                pixel beside two baselines (zeros, the training images' mean) and writes complete.png.

                  --hidden H        first hidden layer (default 500)
                  --code C          second layer of the DBN and the autoencoder (default 100)
                  --epochs E        RBM epochs, and epochs per DBN layer (default 10)
                  --ae-epochs E     autoencoder and DBN fine-tuning epochs (default 10)
                  --noise P         masking probability of the denoising autoencoder (default 0.5)
                """ + Programs.commonHelp("runs/complete", 20000, 2000);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Set<String> options = new HashSet<>(Programs.COMMON);
        options.addAll(List.of("hidden", "code", "epochs", "ae-epochs", "noise"));
        Arguments parsed = Arguments.parse(name(), arguments, options, Set.of());
        int hidden = parsed.integer("hidden", 500, 1, 1 << 16);
        int code = parsed.integer("code", 100, 1, 1 << 16);
        int epochs = parsed.integer("epochs", 10, 1, 100000);
        int aeEpochs = parsed.integer("ae-epochs", 10, 1, 100000);
        double noise = parsed.number("noise", 0.5, 0, true, 0.99);
        long seed = parsed.longValue("seed", 1);
        Programs.Data data = Programs.load(parsed, 20000, 2000, out);
        Path folder = Programs.outputFolder(parsed, "runs/complete");
        float[] train = data.train().binary();
        float[] test = data.test().binary();
        int trainCount = data.train().count();
        int testCount = data.test().count();

        long start = System.nanoTime();
        Rbm rbm = new Rbm(Programs.PIXELS, hidden, VisibleUnits.BERNOULLI, seed);
        RbmTrainingOptions rbmOptions = new RbmTrainingOptions().epochs(epochs).learningRate(0.05f)
                .annealLearningRate(true).seed(seed);
        out.println("# RBM " + rbm.name() + ": " + rbmOptions.describe());
        new RbmTrainer(rbm, rbmOptions.log(out)).fit(train, trainCount);
        out.printf(Locale.ROOT, "# RBM trained in %.0f s%n", Programs.seconds(start));

        start = System.nanoTime();
        DeepBeliefNet dbn = new DeepBeliefNet(new int[] {Programs.PIXELS, hidden, code}, VisibleUnits.BERNOULLI, seed);
        out.println("# " + dbn + ": greedy pretraining, " + rbmOptions.describe());
        dbn.pretrain(train, trainCount, rbmOptions);
        Autoencoder unrolled = dbn.autoencoder(Shape.of(1, Programs.SIDE, Programs.SIDE), false);
        AutoencoderOptions aeOptions = new AutoencoderOptions().epochs(aeEpochs).learningRate(1e-3).seed(seed).log(out);
        out.println("# DBN unrolled, fine-tuned: " + aeOptions.describe());
        unrolled.fit(train, trainCount, aeOptions);
        out.printf(Locale.ROOT, "# DBN trained in %.0f s%n", Programs.seconds(start));

        start = System.nanoTime();
        Autoencoder dense = Autoencoder.dense(new int[] {Programs.PIXELS, hidden, code},
                Shape.of(1, Programs.SIDE, Programs.SIDE), Autoencoder.Output.LOGITS, seed);
        out.println("# autoencoder " + dense + ": " + aeOptions.describe());
        dense.fit(train, trainCount, aeOptions);
        out.printf(Locale.ROOT, "# autoencoder trained in %.0f s%n", Programs.seconds(start));

        start = System.nanoTime();
        Autoencoder denoising = Autoencoder.dense(new int[] {Programs.PIXELS, hidden, code},
                Shape.of(1, Programs.SIDE, Programs.SIDE), Autoencoder.Output.LOGITS, seed);
        AutoencoderOptions noisy = new AutoencoderOptions().epochs(aeEpochs).learningRate(1e-3).noise(noise).seed(seed)
                .log(out);
        out.println("# denoising autoencoder " + denoising + ": " + noisy.describe());
        denoising.fit(train, trainCount, noisy);
        out.printf(Locale.ROOT, "# denoising autoencoder trained in %.0f s%n", Programs.seconds(start));

        float[] observed = test.clone();
        for (int i = 0; i < testCount; i++) {
            java.util.Arrays.fill(observed, i * Programs.PIXELS + HALF, (i + 1) * Programs.PIXELS, 0f);
        }
        float[] zeros = observed.clone();
        float[] means = observed.clone();
        float[] pixelMeans = new float[Programs.PIXELS];
        for (int i = 0; i < trainCount; i++) {
            for (int p = 0; p < Programs.PIXELS; p++) {
                pixelMeans[p] += train[i * Programs.PIXELS + p] / trainCount;
            }
        }
        for (int i = 0; i < testCount; i++) {
            System.arraycopy(pixelMeans, HALF, means, i * Programs.PIXELS + HALF, HALF);
        }
        start = System.nanoTime();
        float[] byRbm = gibbsFill(rbm, observed, testCount, seed);
        double rbmSeconds = Programs.seconds(start);
        float[] byDbn = iterateFill(unrolled, observed, testCount);
        float[] byAutoencoder = iterateFill(dense, observed, testCount);
        float[] byDenoising = iterateFill(denoising, observed, testCount);

        out.println();
        out.println("| filled by | squared error per hidden pixel |");
        out.println("|---|---|");
        String[] names = {"zeros", "training mean", "RBM (clamped Gibbs)", "DBN (unrolled, fine-tuned)",
            "autoencoder", "denoising autoencoder (masking " + noise + ")"};
        float[][] fills = {zeros, means, byRbm, byDbn, byAutoencoder, byDenoising};
        for (int m = 0; m < names.length; m++) {
            out.printf(Locale.ROOT, "| %s | %.4f |%n", names[m], hiddenError(fills[m], test, testCount));
        }
        out.printf(Locale.ROOT, "# RBM filling of %d images: %.0f s%n", testCount, rbmSeconds);

        List<ExampleGrid.Row> rows = new ArrayList<>();
        int shown = Math.min(10, testCount);
        String[] titles = {"test image (binarised)", "lower half hidden", "RBM, clamped Gibbs", "DBN autoencoder",
            "dense autoencoder", "denoising autoencoder"};
        float[][] sources = {test, observedForDisplay(observed, testCount), byRbm, byDbn, byAutoencoder,
            byDenoising};
        for (int r = 0; r < titles.length; r++) {
            List<float[]> images = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (int i = 0; i < shown; i++) {
                images.add(Programs.image(sources[r], i));
                captions.add(r < 2 ? "" : String.format(Locale.ROOT, "%.3f", hiddenError(
                        slice(sources[r], i), slice(test, i), 1)));
            }
            rows.add(new ExampleGrid.Row(titles[r], images, false, captions,
                    new ArrayList<>(Collections.nCopies(shown, false))));
        }
        ExampleGrid.write(folder.resolve("complete.png"), Programs.SIDE, Programs.SIDE, rows);
        out.println("# figure " + folder.resolve("complete.png"));
        return 0;
    }

    /**
     * Gibbs sampling with the upper half clamped, from an empty lower half: the mean of E[v | h]
     * over steps 21 to 200 on the hidden pixels.
     */
    private static float[] gibbsFill(Rbm rbm, float[] observed, int count, long seed) {
        boolean[] mask = new boolean[Programs.PIXELS];
        java.util.Arrays.fill(mask, 0, HALF, true);
        int chunk = Math.min(500, count);
        GibbsSampler sampler = new GibbsSampler(rbm, chunk, seed + 11);
        sampler.clamp(mask);
        float[] filled = observed.clone();
        int burnIn = 20;
        int kept = 180;
        for (int first = 0; first < count; first += chunk) {
            int n = Math.min(chunk, count - first);
            sampler.start(observed, first * Programs.PIXELS, n);
            sampler.run(burnIn);
            float[] sum = new float[n * Programs.PIXELS];
            for (int s = 0; s < kept; s++) {
                sampler.run(1);
                float[] means = sampler.visibleMeans();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += means[i];
                }
            }
            for (int row = 0; row < n; row++) {
                for (int p = HALF; p < Programs.PIXELS; p++) {
                    filled[(first + row) * Programs.PIXELS + p] = sum[row * Programs.PIXELS + p] / kept;
                }
            }
        }
        return filled;
    }

    /** 20 rounds of x_lower ← reconstruction(x)_lower, the upper half kept. */
    private static float[] iterateFill(Autoencoder autoencoder, float[] observed, int count) {
        float[] x = observed.clone();
        for (int round = 0; round < 20; round++) {
            float[] reconstruction = autoencoder.reconstruct(x, count);
            for (int row = 0; row < count; row++) {
                System.arraycopy(reconstruction, row * Programs.PIXELS + HALF, x, row * Programs.PIXELS + HALF, HALF);
            }
        }
        return x;
    }

    /** The mean over images of the mean squared difference on the lower half. */
    private static double hiddenError(float[] filled, float[] truth, int count) {
        double sum = 0;
        for (int row = 0; row < count; row++) {
            for (int p = HALF; p < Programs.PIXELS; p++) {
                double d = filled[row * Programs.PIXELS + p] - truth[row * Programs.PIXELS + p];
                sum += d * d;
            }
        }
        return sum / ((double) count * HALF);
    }

    private static float[] slice(float[] images, int i) {
        return Programs.image(images, i);
    }

    /** The observed images with the hidden half drawn mid-grey. */
    private static float[] observedForDisplay(float[] observed, int count) {
        float[] shown = observed.clone();
        for (int row = 0; row < count; row++) {
            java.util.Arrays.fill(shown, row * Programs.PIXELS + HALF, (row + 1) * Programs.PIXELS, 0.5f);
        }
        return shown;
    }
}
