package dev.lanes.unsupervised.cli;

import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.Command;
import dev.lanes.unsupervised.AnnealedImportanceSampling;
import dev.lanes.unsupervised.GibbsSampler;
import dev.lanes.unsupervised.IndependentPixels;
import dev.lanes.unsupervised.Rbm;
import dev.lanes.unsupervised.RbmTrainer;
import dev.lanes.unsupervised.RbmTrainingOptions;
import dev.lanes.unsupervised.VisibleUnits;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code lanes rbm}: Bernoulli RBMs on binarised Fashion-MNIST trained by CD-1, CD-10 and PCD-1
 * with the same settings, compared by their AIS estimate of the test log-likelihood against the
 * independent-pixel model; a grid of each one's filters and of samples from its Gibbs chains.
 */
public final class RbmCommand implements Command {
    private static final List<String> METHODS = List.of("cd1", "cd10", "pcd");

    @Override
    public String name() {
        return "rbm";
    }

    @Override
    public String summary() {
        return "RBMs by CD-1, CD-10 and PCD: AIS test log-likelihood, filters, Gibbs samples";
    }

    private static String help() {
        return """
                usage: lanes rbm [OPTIONS]

                Trains a Bernoulli RBM (784 visible units, pixels thresholded at 0.5) with each method,
                the same settings otherwise (mini-batches of 100, learning rate decaying linearly from
                --lr, momentum 0.5 then 0.9, weight decay 2e-4), estimates log Z by annealed importance
                sampling from the independent-pixel model and prints the mean test log-likelihood in
                nats per image beside that model's exact one. Writes rbm_filters_METHOD.png (the
                weights of the first 100 hidden units) and rbm_samples_METHOD.png (chains started at
                test images, after 0, 1, 10, 100 and 1000 Gibbs steps, as E[v | h]).

                  --hidden H        hidden units (default 500)
                  --epochs E        (default 10)
                  --lr R            initial learning rate (default 0.05)
                  --methods LIST    of cd1, cd10, pcd (default all three, comma-separated)
                  --ais-runs M      (default 100)
                  --ais-steps K     intermediate distributions (default 10000)
                """ + Programs.commonHelp("runs/rbm", 60000, 10000);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Set<String> options = new HashSet<>(Programs.COMMON);
        options.addAll(List.of("hidden", "epochs", "lr", "methods", "ais-runs", "ais-steps"));
        Arguments parsed = Arguments.parse(name(), arguments, options, Set.of());
        int hidden = parsed.integer("hidden", 500, 1, 1 << 16);
        int epochs = parsed.integer("epochs", 10, 1, 100000);
        double lr = parsed.number("lr", 0.05, 0, false, 10);
        int aisRuns = parsed.integer("ais-runs", 100, 2, 1 << 20);
        int aisSteps = parsed.integer("ais-steps", 10000, 3, 1 << 24);
        long seed = parsed.longValue("seed", 1);
        List<String> methods = new ArrayList<>();
        for (String method : parsed.string("methods", String.join(",", METHODS)).split(",")) {
            if (!METHODS.contains(method.strip())) {
                throw new dev.lanes.training.cli.UsageException("lanes rbm: unknown method '" + method
                        + "' (choose from " + METHODS + ")");
            }
            methods.add(method.strip());
        }
        Programs.Data data = Programs.load(parsed, 60000, 10000, out);
        Path folder = Programs.outputFolder(parsed, "runs/rbm");
        float[] train = data.train().binary();
        float[] test = data.test().binary();
        int trainCount = data.train().count();
        int testCount = data.test().count();

        IndependentPixels baseline = IndependentPixels.fit(train, trainCount, Programs.PIXELS);
        float[] baseBiases = AnnealedImportanceSampling.baseRateBiases(train, trainCount, Programs.PIXELS);
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "| independent pixels | exact | %.2f | %.2f | - |",
                baseline.logLikelihood(train, Math.min(trainCount, 10000)), baseline.logLikelihood(test, testCount)));
        for (String method : methods) {
            RbmTrainingOptions settings = new RbmTrainingOptions().epochs(epochs).batchSize(100)
                    .learningRate((float) lr).annealLearningRate(true)
                    .gibbsSteps(method.equals("cd10") ? 10 : 1).persistent(method.equals("pcd")).seed(seed).log(out);
            Rbm rbm = new Rbm(Programs.PIXELS, hidden, VisibleUnits.BERNOULLI, seed);
            String label = (method.equals("pcd") ? "PCD-1" : method.equals("cd10") ? "CD-10" : "CD-1");
            out.println("# " + label + ": " + rbm.name() + ", " + settings.describe());
            long start = System.nanoTime();
            new RbmTrainer(rbm, settings).fit(train, trainCount);
            double trainSeconds = Programs.seconds(start);
            start = System.nanoTime();
            AnnealedImportanceSampling.Estimate estimate = AnnealedImportanceSampling.logPartition(rbm, baseBiases,
                    AnnealedImportanceSampling.schedule(aisSteps), aisRuns, seed + 7);
            double aisSeconds = Programs.seconds(start);
            double testLikelihood = -meanFreeEnergy(rbm, test, testCount) - estimate.logPartition();
            double trainLikelihood = -meanFreeEnergy(rbm, train, Math.min(trainCount, 10000))
                    - estimate.logPartition();
            out.printf(Locale.ROOT, "%s: log Z = %.2f (3 s.e.: %.2f .. %.2f), train %.2f, test %.2f nats/image; "
                            + "training %.0f s, AIS %.0f s%n", label, estimate.logPartition(), estimate.lower(),
                    estimate.upper(), trainLikelihood, testLikelihood, trainSeconds, aisSeconds);
            table.add(String.format(Locale.ROOT, "| %s | %.2f (%.2f .. %.2f) | %.2f | %.2f | %.0f s |", label,
                    estimate.logPartition(), estimate.lower(), estimate.upper(), trainLikelihood, testLikelihood,
                    trainSeconds));
            Programs.tiles(folder.resolve("rbm_filters_" + method + ".png"), rbm.weight().value().data(),
                    Math.min(100, hidden), 10, true, label + ": weights of the first " + Math.min(100, hidden)
                            + " hidden units");
            samples(folder.resolve("rbm_samples_" + method + ".png"), rbm, test, testCount, label, seed);
        }
        out.println();
        out.println("| model | log Z (AIS, 3 s.e.) | train nats/image | test nats/image | training |");
        out.println("|---|---|---|---|---|");
        for (String line : table) {
            out.println(line);
        }
        out.println("# figures in " + folder);
        return 0;
    }

    private static double meanFreeEnergy(Rbm rbm, float[] data, int count) {
        double[] energies = new double[count];
        rbm.freeEnergy(energies, data, 0, count, new float[count * rbm.hidden()]);
        double sum = 0;
        for (double energy : energies) {
            sum += energy;
        }
        return sum / count;
    }

    /** Rows: 12 chains started at test images, after 0, 1, 10, 100 and 1000 steps. */
    private static void samples(Path png, Rbm rbm, float[] test, int testCount, String label, long seed)
            throws java.io.IOException {
        int chains = 12;
        int[] checkpoints = {0, 1, 10, 100, 1000};
        GibbsSampler sampler = new GibbsSampler(rbm, chains, seed + 3);
        int stride = Math.max(1, testCount / chains);
        float[] starts = new float[chains * Programs.PIXELS];
        for (int c = 0; c < chains; c++) {
            System.arraycopy(test, (c * stride) * Programs.PIXELS, starts, c * Programs.PIXELS, Programs.PIXELS);
        }
        sampler.start(starts, 0, chains);
        float[] grid = new float[checkpoints.length * chains * Programs.PIXELS];
        int done = 0;
        for (int row = 0; row < checkpoints.length; row++) {
            sampler.run(checkpoints[row] - done);
            done = checkpoints[row];
            float[] source = row == 0 ? sampler.visibleStates() : sampler.visibleMeans();
            System.arraycopy(source, 0, grid, row * chains * Programs.PIXELS, chains * Programs.PIXELS);
        }
        Programs.tiles(png, grid, checkpoints.length * chains, chains, false, label
                + ": Gibbs chains from test images; rows after 0, 1, 10, 100, 1000 steps (E[v | h])");
    }
}
