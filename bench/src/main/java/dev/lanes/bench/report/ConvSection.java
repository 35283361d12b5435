package dev.lanes.bench.report;

import dev.lanes.bench.conv.ConvChecks;
import dev.lanes.bench.conv.ConvLayers;
import dev.lanes.kernels.Conv2d;
import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.spi.Conv2dKernel;
import dev.lanes.kernels.panama.conv.PanamaConv2d;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Convolution on the benchmark layers, one thread and all: the forward pass and both gradients
 * in GFLOP/s and % of peak, beside {@code Gemm.sgemm} on the equivalent GEMM shape (M = K,
 * N = batch*P*Q, K = C*R*S) measured in the same rounds, and the ratios to it (the acceptance:
 * forward at least 0.8, gradients at least 0.7 on the two 3x3 layers). Each pass is checked once
 * before it is timed ({@link ConvChecks}); the four are timed in interleaved rounds, so that a
 * burst of load elsewhere on the machine hits them alike.
 */
public final class ConvSection implements ReportSection {
    @Override
    public String name() {
        return "conv";
    }

    @Override
    public String title() {
        return "Convolution, NCHW float32 (GFLOP/s, median of interleaved rounds; ratios are to sgemm on the equivalent shape)";
    }

    @Override
    public void run(ReportContext context) {
        context.out().println("Conv2d " + Conv2d.implementation() + ", gemm " + Gemm.implementation()
                + "; a pass's flops are 2*N*K*P*Q*(C/G)*R*S");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"layer (batch)", "GEMM MxNxK", "path", "threads", "forward", "data grad", "weight grad",
            "sgemm", "% peak fwd", "fwd/sgemm", "data/sgemm", "weight/sgemm"});
        int all = Runtime.getRuntime().availableProcessors();
        int saved = Parallel.threads();
        try {
            for (ConvLayers layer : ConvLayers.values()) {
                for (int threads : all > 1 ? new int[] {1, all} : new int[] {1}) {
                    Parallel.setThreads(threads);
                    double peak = context.figure(threads == 1 ? "peak.1" : "peak.all");
                    rows.add(row(layer, threads, context.quick(), peak));
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
        context.table(rows);
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
        Runnable[] passes = {
            () -> plan.forward(out, 0, in, 0, weight, 0, bias, 0, batch, false),
            () -> plan.backwardData(gradIn, 0, gradOut, 0, weight, 0, batch),
            () -> plan.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, batch, false),
            () -> Gemm.sgemm(false, false, m, n, k, 1f, weight, 0, k, b, 0, n, 0f, c, 0, n)};
        for (Runnable pass : passes) {
            // compile on the real shape first: C2 can take seconds on the larger kernels
            Timing.medianSeconds(pass, quick ? 0.3 : 1.0, 1, 0.01);
        }
        int rounds = quick ? 3 : 7;
        double[][] seconds = new double[passes.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int p = 0; p < passes.length; p++) {
                seconds[p][r] = Timing.medianSeconds(passes[p], 0, 1, quick ? 0.05 : 0.15);
            }
        }
        double[] gflops = new double[passes.length];
        for (int p = 0; p < passes.length; p++) {
            double[] sorted = seconds[p].clone();
            Arrays.sort(sorted);
            gflops[p] = layer.flops() / sorted[rounds / 2] / 1e9;
        }
        return new String[] {layer.name().toLowerCase() + " (" + batch + ")", m + "x" + n + "x" + k,
            PanamaConv2d.usesDirect(g) ? "direct" : "im2col+gemm", String.valueOf(threads),
            ReportContext.fixed(gflops[0]), ReportContext.fixed(gflops[1]), ReportContext.fixed(gflops[2]),
            ReportContext.fixed(gflops[3]), ReportContext.fixed(100 * gflops[0] / peak),
            ReportContext.ratio(gflops[0] / gflops[3]), ReportContext.ratio(gflops[1] / gflops[3]),
            ReportContext.ratio(gflops[2] / gflops[3])};
    }
}
