package dev.lanes.unsupervised.cli;

import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.Parallel;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.Command;
import dev.lanes.unsupervised.Rbm;
import dev.lanes.unsupervised.RbmTrainer;
import dev.lanes.unsupervised.RbmTrainingOptions;
import dev.lanes.unsupervised.VisibleUnits;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code lanes rbm-speed}: the rate of a CD-1 epoch (GFLOP/s of its matrix products) beside the
 * rate of sgemm on the same thread count, measured in turns in one run.
 */
public final class RbmSpeedCommand implements Command {
    @Override
    public String name() {
        return "rbm-speed";
    }

    @Override
    public String summary() {
        return "CD-1 epoch rate of a 784x500 RBM against the sgemm rate, in one run";
    }

    private static String help() {
        return """
                usage: lanes rbm-speed [OPTIONS]

                Times CD-1 epochs (mini-batches of 100) of an RBM with 784 visible and --hidden hidden
                units over the binarised training images, and sgemm on the same threads: square
                products of side 1024 and the RBM's own three shapes. The two alternate, --rounds times,
                after a warm-up. A CD-1 update of n rows does five products of 2·n·784·H flops (hidden
                inputs of the data, visible means, hidden inputs of the reconstruction, and the two
                statistics); the epoch's rate is their flops over its whole time (sampling, sigmoid,
                the update included). Prints the medians and the ratios.

                  --hidden H     (default 500)
                  --rounds R     (default 3)
                """ + Programs.commonHelp("-", 60000, 10);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Set<String> options = new HashSet<>(Programs.COMMON);
        options.addAll(List.of("hidden", "rounds"));
        Arguments parsed = Arguments.parse(name(), arguments, options, Set.of());
        int hidden = parsed.integer("hidden", 500, 1, 1 << 16);
        int rounds = parsed.integer("rounds", 3, 1, 100);
        long seed = parsed.longValue("seed", 1);
        Programs.Data data = Programs.load(parsed, 60000, 10, out);
        float[] train = data.train().binary();
        int count = data.train().count();
        int visible = Programs.PIXELS;
        int batch = 100;
        out.printf(Locale.ROOT, "# rbm-speed threads=%d rows=%d visible=%d hidden=%d batch=%d%n", Parallel.threads(),
                count, visible, hidden, batch);

        Rbm rbm = new Rbm(visible, hidden, VisibleUnits.BERNOULLI, seed);
        RbmTrainer trainer = new RbmTrainer(rbm, new RbmTrainingOptions().epochs(1).batchSize(batch).seed(seed));
        Products products = new Products(visible, hidden, batch);
        trainer.fit(Arrays.copyOf(train, Math.min(count, 6000) * visible), Math.min(count, 6000));
        products.square(2);
        products.rbmShapes(20);
        double epochFlops = 0;
        for (int first = 0; first < count; first += batch) {
            epochFlops += 5.0 * 2 * Math.min(batch, count - first) * visible * hidden;
        }
        double[] epochRates = new double[rounds];
        double[] squareRates = new double[rounds];
        double[] shapeRates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            squareRates[r] = products.square(40);
            shapeRates[r] = products.rbmShapes(300);
            long start = System.nanoTime();
            trainer.fit(train, count);
            double seconds = Programs.seconds(start);
            epochRates[r] = epochFlops / seconds / 1e9;
            out.printf(Locale.ROOT, "round %d: sgemm 1024^3 %.1f GFLOP/s, sgemm RBM shapes %.1f GFLOP/s, CD-1 epoch "
                    + "%.2f s = %.1f GFLOP/s%n", r + 1, squareRates[r], shapeRates[r], seconds, epochRates[r]);
        }
        double epoch = median(epochRates);
        double square = median(squareRates);
        double shapes = median(shapeRates);
        out.printf(Locale.ROOT, "median: CD-1 epoch %.1f GFLOP/s (%.2f s per epoch of %d images); sgemm 1024^3 "
                        + "%.1f GFLOP/s, RBM shapes %.1f GFLOP/s; epoch / sgemm = %.0f%% (square), %.0f%% (RBM shapes)%n",
                epoch, epochFlops / epoch / 1e9, count, square, shapes, 100 * epoch / square, 100 * epoch / shapes);
        return 0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
    }

    /** The operands of the timed products. */
    private static final class Products {
        private static final int SIDE = 1024;
        private final int visible;
        private final int hidden;
        private final int batch;
        private final float[] a = filled(SIDE * SIDE, 1);
        private final float[] b = filled(SIDE * SIDE, 2);
        private final float[] c = new float[SIDE * SIDE];
        private final float[] rows;
        private final float[] weights;
        private final float[] hiddenValues;
        private final float[] visibleValues;
        private final float[] statistics;

        Products(int visible, int hidden, int batch) {
            this.visible = visible;
            this.hidden = hidden;
            this.batch = batch;
            this.rows = filled(batch * visible, 3);
            this.weights = filled(hidden * visible, 4);
            this.hiddenValues = new float[batch * hidden];
            this.visibleValues = new float[batch * visible];
            this.statistics = new float[hidden * visible];
        }

        /** GFLOP/s of {@code count} square products. */
        double square(int count) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                Gemm.sgemm(false, false, SIDE, SIDE, SIDE, 1f, a, 0, SIDE, b, 0, SIDE, 0f, c, 0, SIDE);
            }
            return count * 2.0 * SIDE * SIDE * SIDE / Programs.seconds(start) / 1e9;
        }

        /** GFLOP/s of {@code count} rounds of the RBM's three product shapes (v·Wᵀ, h·W, hᵀ·v). */
        double rbmShapes(int count) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                Gemm.sgemm(false, true, batch, hidden, visible, 1f, rows, 0, visible, weights, 0, visible, 0f,
                        hiddenValues, 0, hidden);
                Gemm.sgemm(false, false, batch, visible, hidden, 1f, hiddenValues, 0, hidden, weights, 0, visible, 0f,
                        visibleValues, 0, visible);
                Gemm.sgemm(true, false, hidden, visible, batch, 1f, hiddenValues, 0, hidden, rows, 0, visible, 1f,
                        statistics, 0, visible);
            }
            return count * 3 * 2.0 * batch * hidden * visible / Programs.seconds(start) / 1e9;
        }

        private static float[] filled(int length, long seed) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
            float[] values = new float[length];
            for (int i = 0; i < length; i++) {
                values[i] = (float) (random.nextDouble() - 0.5);
            }
            return values;
        }
    }
}
