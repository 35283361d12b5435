package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public kernel family allocates nothing in steady state: repeated calls on the same shapes
 * reuse the plans' workspaces and per-thread scratch, and the vector code is compiled so that no
 * vector escapes to the heap. Bytes are counted on the calling thread and the pool's workers
 * ({@link Allocations}), so a task's allocations on another thread count too.
 *
 * <p>The shapes are small enough to keep the suite short but not tiny: every length has a vector
 * tail, and one case per family is long enough to take the parallel path ({@code Chunks}).
 *
 * <p>It runs in JVMs of its own, at the machine's preferred width and at the forced 128- and
 * 256-bit widths (the surefire executions {@code allocation}, {@code allocation-128} and
 * {@code allocation-256} in kernels/pom.xml, all with -Xbatch; the other executions exclude it):
 * after the rest of the kernels suite in the same JVM nearly every case, GEMM included, allocates
 * 32 to 160 bytes per call, a cause not yet traced (not the code cache, not ParallelTest or
 * GemmDeterminismTest on their own). At 128 bits most lengths end in a partial vector, and a masked load or store whose
 * vector reaches past the end of the array takes the Vector API's checked path
 * (checkIndexByLane), whose lane compare's boolean[] C2 does not always scalar-replace: 24 to 48
 * bytes per call depending on the order of compilation (seen for expm1, log, tanh, sigmoid,
 * softplus backward and max pooling 3x3 stride 1; JFR showed FloatVector.compareTemplate under
 * PanamaMath.expm1Span). No kernel makes such an access any more: the last vector goes through
 * per-thread copies or a scalar path when it would pass an array's end (see
 * dev.lanes.kernels.panama.support.PanamaTail). Since then the 128-bit execution passed ten runs out of
 * ten; with the PanamaMath loops' tails put back in place it failed three runs out of three (exp,
 * expm1 and log, 48 bytes per call) while the preferred-width one passed.
 *
 * <p>What made vector code allocate, and how to see it: C2 stops inlining methods of ours (not
 * {@code @ForceInline}) once a compilation has parsed NodeCountInliningCutoff (18000) nodes, and a
 * loop over PanamaFunctions.exp or log with masked loads and stores parses 20000 to 25000. A
 * helper parsed past the cutoff is called, and the vectors crossing the call are boxed: softmax
 * forward boxed its sum vector into laneSum (96 bytes per row at 512 bits), log-softmax backward
 * two vectors per step around PanamaFunctions.powerOfTwo at the end of exp (when C2 inlined the
 * store loop into the row loop, at 128 bits with background compilation), and log1p's final
 * helper was parsed 400 nodes short of the cutoff. Whether a helper is past it depends on which
 * branches the profile has pruned, so on the order of the calls. -XX:+LogCompilation shows the
 * node count at each {@code <parse>}; JFR's jdk.ObjectAllocationSample shows the boxing call.
 */
@Tag("panama")
class KernelAllocationTest {
    private static final long SEED = 0x5EED_A110CL;
    /** Steps per measured round; a per-call allocation of 16 bytes shows as at least 16 * STEPS. */
    private static final int STEPS = 20;

    private static float[] random(SplittableRandom random, int length) {
        float[] data = new float[length];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble(-2, 2);
        }
        return data;
    }

    private static Arguments of(String name, int warmup, Runnable step) {
        return Arguments.of(name, warmup, step);
    }

    static Stream<Arguments> gemmAndConvolution() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Arguments> cases = new ArrayList<>();
        int m = 67;
        int n = 93;
        int k = 81;
        float[] a = random(random, m * k);
        float[] b = random(random, k * n);
        float[] c = new float[m * n];
        cases.add(of("sgemm NN", 500, () -> Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n)));
        cases.add(of("sgemm TT", 500, () -> Gemm.sgemm(true, true, m, n, k, 0.5f, a, 0, m, b, 0, k, 1f, c, 0, n)));
        float[] a2 = random(random, 300 * 300);
        float[] b2 = random(random, 300 * 300);
        float[] c2 = new float[300 * 300];
        cases.add(of("sgemm 300 (parallel)", 50,
                () -> Gemm.sgemm(false, false, 300, 300, 300, 1f, a2, 0, 300, b2, 0, 300, 0f, c2, 0, 300)));
        addConvolution(cases, random, "conv gemm plan",
                ConvGeometry.builder().input(8, 12, 12).outChannels(16).kernel(3, 3).padding(1).build(), 4);
        addConvolution(cases, random, "conv gemm plan, groups",
                ConvGeometry.builder().input(12, 10, 10).outChannels(24).kernel(3, 3).padding(1).groups(3).build(), 3);
        addConvolution(cases, random, "conv direct plan",
                ConvGeometry.builder().input(1, 28, 28).outChannels(6).kernel(5, 5).padding(2).build(), 4);
        addConvolution(cases, random, "conv direct plan, depthwise",
                ConvGeometry.builder().input(6, 17, 17).outChannels(6).kernel(3, 3).padding(1).stride(2, 2).groups(6)
                        .build(), 3);
        ConvGeometry g = ConvGeometry.builder().input(5, 9, 11).outChannels(7).kernel(3, 3).padding(1).build();
        float[] image = random(random, g.inputSize());
        float[] col = new float[(int) Im2col.columnSize(g)];
        cases.add(of("im2col", 2000, () -> Im2col.im2col(col, 0, image, 0, g)));
        cases.add(of("col2im", 2000, () -> Im2col.col2im(image, 0, col, 0, g)));
        return cases.stream();
    }

    private static void addConvolution(List<Arguments> cases, SplittableRandom random, String name, ConvGeometry g,
                                       int batch) {
        Conv2d conv = new Conv2d(g);
        float[] in = random(random, batch * g.inputSize());
        float[] out = new float[batch * g.outputSize()];
        float[] weight = random(random, g.weightSize());
        float[] bias = random(random, g.outChannels());
        float[] gradIn = new float[in.length];
        float[] gradWeight = new float[weight.length];
        float[] gradBias = new float[bias.length];
        cases.add(of(name + " forward", 300, () -> conv.forward(out, 0, in, 0, weight, 0, bias, 0, batch, true)));
        cases.add(of(name + " backward data", 300, () -> conv.backwardData(gradIn, 0, out, 0, weight, 0, batch)));
        cases.add(of(name + " backward weights", 300,
                () -> conv.backwardWeights(gradWeight, 0, gradBias, 0, out, 0, in, 0, batch, false)));
    }

    static Stream<Arguments> pooling() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<Arguments> cases = new ArrayList<>();
        int batch = 4;
        PoolGeometry[] geometries = {
                PoolGeometry.builder().input(8, 16, 16).kernel(2, 2).build(),
                PoolGeometry.builder().input(5, 13, 11).kernel(3, 3).stride(2, 2).padding(1).ceilMode(true).build(),
                PoolGeometry.builder().input(3, 15, 15).kernel(3, 3).stride(1, 1).dilation(2, 2).build()};
        for (PoolGeometry g : geometries) {
            float[] in = random(random, batch * g.inputSize());
            float[] out = new float[batch * g.outputSize()];
            int[] argmax = new int[out.length];
            float[] gradIn = new float[in.length];
            String name = g.kernelHeight() + "x" + g.kernelWidth() + " stride " + g.strideHeight() + " on "
                    + g.inHeight() + "x" + g.inWidth();
            cases.add(of("max pool forward " + name, 2000, () -> Pool2d.maxForward(out, 0, argmax, 0, in, 0, g, batch)));
            cases.add(of("max pool backward " + name, 2000,
                    () -> Pool2d.maxBackward(gradIn, 0, out, 0, argmax, 0, g, batch)));
            cases.add(of("avg pool forward " + name, 2000, () -> Pool2d.avgForward(out, 0, in, 0, g, batch, false)));
            cases.add(of("avg pool backward " + name, 2000,
                    () -> Pool2d.avgBackward(gradIn, 0, out, 0, g, batch, true)));
        }
        int channels = 16;
        int plane = 7 * 7;
        float[] in = random(random, batch * channels * plane);
        float[] out = new float[batch * channels];
        int[] argmax = new int[out.length];
        float[] gradIn = new float[in.length];
        cases.add(of("global max pool forward", 2000,
                () -> Pool2d.globalMaxForward(out, 0, argmax, 0, in, 0, batch, channels, plane)));
        cases.add(of("global max pool backward", 2000,
                () -> Pool2d.globalMaxBackward(gradIn, 0, out, 0, argmax, 0, batch, channels, plane)));
        cases.add(of("global avg pool forward", 2000,
                () -> Pool2d.globalAvgForward(out, 0, in, 0, batch, channels, plane)));
        cases.add(of("global avg pool backward", 2000,
                () -> Pool2d.globalAvgBackward(gradIn, 0, out, 0, batch, channels, plane)));
        return cases.stream();
    }

    static Stream<Arguments> activations() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        List<Arguments> cases = new ArrayList<>();
        // one of each kind, so that a new kind is measured as soon as ActivationsTest lists it
        List<Activation> all = new ArrayList<>();
        for (Activation activation : ActivationsTest.ALL) {
            if (all.stream().noneMatch(a -> a.kind() == activation.kind())) {
                all.add(activation);
            }
        }
        for (int length : new int[] {1027, 200_003}) {
            int warmup = length > 10_000 ? 20 : 2000;
            float[] x = random(random, length);
            float[] g = random(random, length);
            float[] y = new float[length];
            float[] gradIn = new float[length];
            for (Activation activation : all) {
                float[] saved = activation.saved() == Activation.Saved.INPUT ? x : y;
                String name = activation.kind() + " " + length;
                cases.add(of(name + " forward", warmup, () -> Activations.forward(activation, y, 0, x, 0, length)));
                cases.add(of(name + " backward", warmup,
                        () -> Activations.backward(activation, gradIn, 0, g, 0, saved, 0, length)));
            }
            float[] slope = random(random, 3);
            float[] gradSlope = new float[3];
            int spatial = length / 3;
            cases.add(of("PReLU " + length + " forward", warmup,
                    () -> Activations.prelu(y, 0, x, 0, slope, 0, 1, 3, spatial)));
            cases.add(of("PReLU " + length + " backward", warmup,
                    () -> Activations.preluBackward(gradIn, 0, gradSlope, 0, g, 0, x, 0, slope, 0, 1, 3, spatial)));
        }
        return cases.stream();
    }

    static Stream<Arguments> softmax() {
        SplittableRandom random = new SplittableRandom(SEED + 3);
        List<Arguments> cases = new ArrayList<>();
        // 70x1000 is past PanamaSoftmax's parallel threshold (64K elements), split into 5 tasks.
        int[][] shapes = {{16, 103}, {3, 1000}, {300, 10}, {70, 1000}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int cols = shape[1];
            int warmup = rows * cols > 10_000 ? 300 : 2000;
            float[] x = random(random, rows * cols);
            float[] g = random(random, rows * cols);
            float[] y = new float[rows * cols];
            float[] logY = new float[rows * cols];
            float[] gradIn = new float[rows * cols];
            String name = rows + "x" + cols;
            Softmax.softmax(y, 0, cols, x, 0, cols, rows, cols);
            Softmax.logSoftmax(logY, 0, cols, x, 0, cols, rows, cols);
            cases.add(of("softmax " + name, warmup, () -> Softmax.softmax(y, 0, cols, x, 0, cols, rows, cols)));
            cases.add(of("softmax backward " + name, warmup,
                    () -> Softmax.softmaxBackward(gradIn, 0, cols, g, 0, cols, y, 0, cols, rows, cols)));
            cases.add(of("log-softmax " + name, warmup,
                    () -> Softmax.logSoftmax(logY, 0, cols, x, 0, cols, rows, cols)));
            cases.add(of("log-softmax backward " + name, warmup,
                    () -> Softmax.logSoftmaxBackward(gradIn, 0, cols, g, 0, cols, logY, 0, cols, rows, cols)));
        }
        return cases.stream();
    }

    static Stream<Arguments> elementwiseAndReductions() {
        SplittableRandom random = new SplittableRandom(SEED + 4);
        List<Arguments> cases = new ArrayList<>();
        for (int length : new int[] {1027, 1_200_001}) {
            int warmup = length > 10_000 ? 10 : 2000;
            float[] a = random(random, length);
            float[] b = random(random, length);
            float[] out = new float[length];
            String n = " " + length;
            cases.add(of("copy" + n, warmup, () -> Elementwise.copy(out, 0, a, 0, length)));
            cases.add(of("add" + n, warmup, () -> Elementwise.add(out, 0, a, 0, b, 0, length)));
            cases.add(of("sub" + n, warmup, () -> Elementwise.sub(out, 0, a, 0, b, 0, length)));
            cases.add(of("mul" + n, warmup, () -> Elementwise.mul(out, 0, a, 0, b, 0, length)));
            cases.add(of("div" + n, warmup, () -> Elementwise.div(out, 0, a, 0, b, 0, length)));
            cases.add(of("max(a, b)" + n, warmup, () -> Elementwise.max(out, 0, a, 0, b, 0, length)));
            cases.add(of("min(a, b)" + n, warmup, () -> Elementwise.min(out, 0, a, 0, b, 0, length)));
            cases.add(of("abs" + n, warmup, () -> Elementwise.abs(out, 0, a, 0, length)));
            cases.add(of("sqrt" + n, warmup, () -> Elementwise.sqrt(out, 0, a, 0, length)));
            cases.add(of("scale" + n, warmup, () -> Elementwise.scale(out, 0, 0.5f, a, 0, length)));
            cases.add(of("axpy" + n, warmup, () -> Elementwise.axpy(out, 0, 0.5f, a, 0, length)));
            cases.add(of("clip" + n, warmup, () -> Elementwise.clip(out, 0, a, 0, -1f, 1f, length)));
            cases.add(of("sum" + n, warmup, () -> Reductions.sum(a, 0, length)));
            cases.add(of("mean" + n, warmup, () -> Reductions.mean(a, 0, length)));
            cases.add(of("dot" + n, warmup, () -> Reductions.dot(a, 0, b, 0, length)));
            cases.add(of("max" + n, warmup, () -> Reductions.max(a, 0, length)));
            cases.add(of("min" + n, warmup, () -> Reductions.min(a, 0, length)));
            cases.add(of("argmax" + n, warmup, () -> Reductions.argmax(a, 0, length)));
        }
        int length = 1027;
        float[] a = random(random, 3 * length);
        float[] b = random(random, 2 * length);
        float[] out = new float[2 * length];
        cases.add(of("copy strided", 2000, () -> Elementwise.copy(out, 0, 2, a, 1, 3, length)));
        cases.add(of("add strided", 2000, () -> Elementwise.add(out, 0, 2, a, 0, 3, b, 1, 2, length)));
        cases.add(of("mul strided", 2000, () -> Elementwise.mul(out, 0, 2, a, 0, 3, b, 1, 2, length)));
        cases.add(of("max(a, b) strided", 2000, () -> Elementwise.max(out, 0, 2, a, 0, 3, b, 1, 2, length)));
        cases.add(of("sqrt strided", 2000, () -> Elementwise.sqrt(out, 0, 2, a, 1, 3, length)));
        cases.add(of("axpy strided", 2000, () -> Elementwise.axpy(out, 1, 2, 0.5f, a, 2, 3, length)));
        cases.add(of("clip strided", 2000, () -> Elementwise.clip(out, 0, 2, a, 0, 3, -1f, 1f, length)));
        cases.add(of("sum strided", 2000, () -> Reductions.sum(a, 0, 3, length)));
        cases.add(of("dot strided", 2000, () -> Reductions.dot(a, 0, 3, b, 1, 2, length)));
        cases.add(of("max strided", 2000, () -> Reductions.max(a, 0, 3, length)));
        cases.add(of("min strided", 2000, () -> Reductions.min(a, 0, 3, length)));
        cases.add(of("argmax strided", 2000, () -> Reductions.argmax(a, 0, 3, length)));
        float[] data = random(random, 4 * 16 * 49);
        float[] bias = random(random, 16);
        cases.add(of("bias over channels", 2000, () -> Elementwise.addBiasChannels(data, 0, bias, 0, 4, 16, 49)));
        cases.add(of("bias over rows", 2000, () -> Elementwise.addBiasRows(data, 0, 49, bias, 0, 64, 16)));
        for (int len : new int[] {1027, 300_001}) {
            float[] x = random(random, len);
            float[] y = new float[len];
            int warmup = len > 10_000 ? 20 : 2000;
            cases.add(of("exp " + len, warmup, () -> VectorMath.exp(y, 0, x, 0, len)));
            cases.add(of("expm1 " + len, warmup, () -> VectorMath.expm1(y, 0, x, 0, len)));
            cases.add(of("log " + len, warmup, () -> VectorMath.log(y, 0, x, 0, len)));
            cases.add(of("log1p " + len, warmup, () -> VectorMath.log1p(y, 0, x, 0, len)));
            cases.add(of("tanh " + len, warmup, () -> VectorMath.tanh(y, 0, x, 0, len)));
            cases.add(of("sigmoid " + len, warmup, () -> VectorMath.sigmoid(y, 0, x, 0, len)));
            cases.add(of("erf " + len, warmup, () -> VectorMath.erf(y, 0, x, 0, len)));
            cases.add(of("erfc " + len, warmup, () -> VectorMath.erfc(y, 0, x, 0, len)));
        }
        return cases.stream();
    }

    /** The fused LSTM and GRU steps: a width with a tail at the arrays' end (scratch), and one on the pool. */
    static Stream<Arguments> recurrent() {
        SplittableRandom random = new SplittableRandom(SEED + 5);
        List<Arguments> cases = new ArrayList<>();
        for (int[] shape : new int[][] {{5, 37}, {64, 160}}) {
            int rows = shape[0];
            int hidden = shape[1];
            int state = rows * hidden;
            float[] gates4 = random(random, 4 * state);
            float[] gates3 = random(random, 3 * state);
            float[] hiddenGates = random(random, 3 * state);
            float[] previous = random(random, state);
            float[] h = new float[state];
            float[] c = new float[state];
            float[] gradGates = new float[4 * state];
            float[] gradHiddenGates = new float[3 * state];
            float[] gradC = random(random, state);
            float[] gradH = random(random, state);
            String name = rows + "x" + hidden;
            cases.add(of("LSTM forward " + name, 2000,
                    () -> RecurrentCells.lstmForward(h, 0, c, 0, gates4, 0, previous, 0, rows, hidden)));
            cases.add(of("LSTM backward " + name, 2000, () -> RecurrentCells.lstmBackward(gradGates, 0, gradC, 0,
                    gradH, 0, gates4, 0, c, 0, previous, 0, rows, hidden)));
            cases.add(of("GRU forward " + name, 2000,
                    () -> RecurrentCells.gruForward(h, 0, gates3, 0, hiddenGates, 0, previous, 0, rows, hidden)));
            cases.add(of("GRU backward " + name, 2000, () -> RecurrentCells.gruBackward(gradGates, 0,
                    gradHiddenGates, 0, c, 0, gradH, 0, gates3, 0, hiddenGates, 0, previous, 0, rows, hidden)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"gemmAndConvolution", "pooling", "activations", "softmax", "elementwiseAndReductions", "recurrent"})
    void allocatesNothing(String name, int warmup, Runnable step) {
        long bytes = Allocations.steadyState(step, warmup, STEPS);
        assertEquals(0, bytes, name + ": " + bytes / STEPS + " bytes per call in steady state (seed " + SEED + ")");
    }
}
