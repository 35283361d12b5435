package dev.lanes.bench;

import dev.lanes.kernels.Conv2d;
import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.internal.Conv2dKernel;
import dev.lanes.kernels.internal.PanamaConv2d;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The convolution part of the kernel report: for each benchmark layer, on one thread and on all,
 * the GFLOP/s of the forward pass and of both gradients, beside {@code Gemm.sgemm} on the
 * equivalent GEMM shape (M = K, N = batch*P*Q, K = C*R*S) measured in the same run, and the
 * ratios to it (the acceptance figures: forward at least 0.8, gradients at least 0.7). Every
 * pass is checked once before it is timed ({@link ConvChecks}).
 *
 * <p>Until the sectioned report program lands this runs on its own:
 * {@code ./mvnw -q -Prun -DskipTests package -Dlanes.main=dev.lanes.bench.ConvReport
 * -Dlanes.args="[--quick] [--peak1=GFLOPS] [--peakAll=GFLOPS]"}; given the machine's peaks it
 * adds "% of peak" columns.
 */
public final class ConvReport {
    private ConvReport() {
    }

    public static void main(String[] args) {
        boolean quick = false;
        double peakOne = Double.NaN;
        double peakAll = Double.NaN;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.startsWith("--peak1=")) {
                peakOne = Double.parseDouble(arg.substring("--peak1=".length()));
            } else if (arg.startsWith("--peakAll=")) {
                peakAll = Double.parseDouble(arg.substring("--peakAll=".length()));
            } else if (!arg.isBlank()) {
                System.err.println("usage: ConvReport [--quick] [--peak1=GFLOPS] [--peakAll=GFLOPS]");
                System.exit(2);
            }
        }
        System.out.println("## Convolution (GFLOP/s, median of samples; ratios are to sgemm on the equivalent shape)");
        System.out.println("Conv2d " + Conv2d.implementation() + ", gemm " + Gemm.implementation());
        print(rows(quick, peakOne, peakAll));
    }

    /** The table: a header row, then one row per layer and thread count. */
    public static List<String[]> rows(boolean quick, double peakOne, double peakAll) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"layer (batch)", "GEMM MxNxK", "path", "threads", "forward", "data grad", "weight grad",
            "sgemm", "% peak (fwd)", "fwd/sgemm", "data/sgemm", "weight/sgemm"});
        int all = Runtime.getRuntime().availableProcessors();
        int saved = Parallel.threads();
        try {
            for (ConvLayers layer : ConvLayers.values()) {
                for (int threads : all > 1 ? new int[] {1, all} : new int[] {1}) {
                    Parallel.setThreads(threads);
                    rows.add(row(layer, threads, quick, threads == 1 ? peakOne : peakAll));
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
        return rows;
    }

    private static String[] row(ConvLayers layer, int threads, boolean quick, double peak) {
        ConvGeometry g = layer.geometry;
        int batch = layer.batch;
        Conv2dKernel.Plan plan = new PanamaConv2d().plan(g);
        SplittableRandom random = new SplittableRandom(42);
        float[] in = ConvChecks.random(random, batch * g.inputSize());
        float[] weight = ConvChecks.random(random, g.weightSize());
        float[] bias = ConvChecks.random(random, g.outChannels());
        float[] gradOut = ConvChecks.random(random, batch * g.outputSize());
        float[] out = new float[gradOut.length];
        float[] gradIn = new float[in.length];
        float[] gradWeight = new float[weight.length];
        float[] gradBias = new float[bias.length];
        int m = layer.gemmM();
        int n = layer.gemmN();
        int k = layer.gemmK();
        float[] b = ConvChecks.random(random, k * n);
        float[] c = new float[m * n];
        ConvChecks.checkForward(g, plan, in, weight, bias);
        ConvChecks.checkBackward(g, plan, batch, in, weight, gradOut);
        ConvChecks.checkGemm(m, n, k, weight, b);
        Runnable forward = () -> plan.forward(out, 0, in, 0, weight, 0, bias, 0, batch, false);
        Runnable data = () -> plan.backwardData(gradIn, 0, gradOut, 0, weight, 0, batch);
        Runnable weights = () -> plan.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, batch, false);
        Runnable gemm = () -> Gemm.sgemm(false, false, m, n, k, 1f, weight, 0, k, b, 0, n, 0f, c, 0, n);
        // interleaved rounds, so that a burst of load elsewhere hits all four alike
        int rounds = quick ? 3 : 7;
        double[][] seconds = new double[4][rounds];
        Runnable[] passes = {forward, data, weights, gemm};
        for (Runnable pass : passes) {
            warm(pass, quick ? 0.2 : 0.5);
        }
        for (int r = 0; r < rounds; r++) {
            for (int p = 0; p < passes.length; p++) {
                seconds[p][r] = time(passes[p], quick ? 0.05 : 0.15);
            }
        }
        double flops = layer.flops();
        double[] gflops = new double[4];
        for (int p = 0; p < 4; p++) {
            gflops[p] = flops / median(seconds[p]) / 1e9;
        }
        return new String[] {layer.name().toLowerCase() + " (" + batch + ")", m + "x" + n + "x" + k,
            PanamaConv2d.usesDirect(g) ? "direct" : "im2col+gemm", String.valueOf(threads), fixed(gflops[0]),
            fixed(gflops[1]), fixed(gflops[2]), fixed(gflops[3]), fixed(100 * gflops[0] / peak),
            ratio(gflops[0] / gflops[3]), ratio(gflops[1] / gflops[3]), ratio(gflops[2] / gflops[3])};
    }

    private static void warm(Runnable pass, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int calls = 0;
        while (calls < 3 || System.nanoTime() < end) {
            pass.run();
            calls++;
        }
    }

    /** Seconds per call over a sample of at least {@code sampleSeconds}. */
    private static double time(Runnable pass, double sampleSeconds) {
        long start = System.nanoTime();
        long elapsed;
        int calls = 0;
        do {
            pass.run();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < sampleSeconds * 1e9);
        return elapsed / 1e9 / calls;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String fixed(double x) {
        return Double.isNaN(x) ? "-" : String.format("%.1f", x);
    }

    private static String ratio(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? "-" : String.format("%.2f", x);
    }

    /** Prints rows as a Markdown table. */
    private static void print(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                width[j] = Math.max(width[j], row[j].length());
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            StringBuilder line = new StringBuilder("|");
            for (int j = 0; j < width.length; j++) {
                String cell = rows.get(i)[j];
                line.append(' ').append(j == 0 ? cell + " ".repeat(width[j] - cell.length())
                        : " ".repeat(width[j] - cell.length()) + cell).append(" |");
            }
            System.out.println(line);
            if (i == 0) {
                StringBuilder rule = new StringBuilder("|");
                for (int w : width) {
                    rule.append(' ').append("-".repeat(w)).append(" |");
                }
                System.out.println(rule);
            }
        }
    }
}
