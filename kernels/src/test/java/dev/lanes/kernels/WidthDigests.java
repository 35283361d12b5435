package dev.lanes.kernels;

import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.kernels.spi.Conv2dKernel;
import dev.lanes.kernels.spi.ElementwiseKernel.Binary;
import dev.lanes.kernels.spi.ElementwiseKernel.Unary;
import dev.lanes.kernels.spi.KernelSet;
import dev.lanes.kernels.spi.MathKernel;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * Every kernel of the set in use, run on inputs drawn from a seed, each call's outputs reduced to
 * a SHA-256 of their bits. {@link WidthBitsTest} runs it in one class loader per vector width and
 * compares the digests. Only JDK types cross the loader boundary (the function and its map).
 */
public final class WidthDigests implements LongFunction<Map<String, String>> {
    /** Lengths around every multiple of the logical width up to 4 of them, and longer ones. */
    private static final int[] LENGTHS = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 257, 1000,
        4099};
    /** Past Chunks.MEMORY_PARALLEL, so the chunked paths on the pool run too. */
    private static final int LONG = (1 << 20) + 4099;
    /** Past Chunks.TRANSCENDENTAL_PARALLEL: activations and functions on the pool. */
    private static final int TRANSCENDENTAL = (1 << 17) + 37;

    private final Map<String, String> digests = new LinkedHashMap<>();
    private SplittableRandom random;
    private int convolutions;
    private KernelSet k;

    /** The digests of every case, keyed by case; "vectorBits" says which width the kernels ran at. */
    @Override
    public Map<String, String> apply(long seed) {
        random = new SplittableRandom(seed);
        k = KernelProvider.KERNELS;
        digests.put("vectorBits", String.valueOf(k.vectorBits()));
        gemm();
        convolutions();
        pooling();
        activations();
        softmax();
        elementwise();
        reductions();
        math();
        recurrent();
        return digests;
    }

    private void gemm() {
        int[][] shapes = {{1, 1, 1}, {5, 7, 3}, {17, 33, 65}, {64, 150, 800}, {16, 150, 800}, {33, 257, 129},
            {32, 9, 25088 / 8}, {128, 576, 300}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                int m = s[0];
                int n = s[1];
                int kk = s[2];
                float[] a = values(m * kk);
                float[] b = values(kk * n);
                float[] c = values(m * n);
                k.gemm().sgemm(ta, tb, m, n, kk, 0.75f, a, 0, ta ? m : kk, b, 0, tb ? kk : n, t == 3 ? 0f : 0.5f,
                        c, 0, n);
                put("sgemm " + m + "x" + n + "x" + kk + (ta ? " A^T" : "") + (tb ? " B^T" : ""), c);
            }
        }
    }

    private void convolutions() {
        ConvGeometry[] geometries = {
            ConvGeometry.builder().input(1, 28, 28).outChannels(6).kernel(5, 5).padding(2, 2, 2, 2).build(),
            ConvGeometry.builder().input(6, 14, 14).outChannels(16).kernel(5, 5).build(),
            ConvGeometry.builder().input(1, 28, 28).outChannels(32).kernel(3, 3).padding(1, 1, 1, 1).build(),
            ConvGeometry.builder().input(32, 14, 14).outChannels(64).kernel(3, 3).padding(1, 1, 1, 1).build(),
            ConvGeometry.builder().input(8, 9, 11).outChannels(8).kernel(3, 3).groups(8).build(),
            ConvGeometry.builder().input(4, 40, 40).outChannels(12).kernel(3, 3).stride(2, 2).padding(1, 1, 1, 1)
                    .dilation(2, 2).groups(2).build()};
        for (ConvGeometry g : geometries) {
            convolution(g);
        }
        SplittableRandom shapes = new SplittableRandom(random.nextLong());
        for (int i = 0; i < 12; i++) {
            convolution(ConvTesting.randomGeometry(shapes));
        }
    }

    private void convolution(ConvGeometry g) {
        String geometry = "#" + ++convolutions + " " + g;
        for (int batch : new int[] {1, 3, 19}) {
            float[] in = values(batch * g.inputSize());
            float[] weight = values(g.weightSize());
            float[] bias = values(g.outChannels());
            float[] gradOut = values(batch * g.outputSize());
            for (boolean direct : new boolean[] {true, false}) {
                Conv2dKernel.Plan plan = direct ? PanamaConv2d.directPlan(g) : PanamaConv2d.gemmPlan(g);
                if (k.vectorBits() == 0) {
                    plan = k.conv2d().plan(g);
                }
                String name = "conv " + geometry + " batch " + batch + (direct ? " direct" : " gemm");
                float[] out = new float[batch * g.outputSize()];
                plan.forward(out, 0, in, 0, weight, 0, bias, 0, batch, false);
                put(name + " forward", out);
                plan.forward(out, 0, in, 0, weight, 0, bias, 0, batch, true);
                put(name + " forward relu", out);
                float[] gradIn = new float[batch * g.inputSize()];
                plan.backwardData(gradIn, 0, gradOut, 0, weight, 0, batch);
                put(name + " data gradient", gradIn);
                float[] gradWeight = values(g.weightSize());
                float[] gradBias = values(g.outChannels());
                plan.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, batch, true);
                put(name + " weight gradient", gradWeight);
                put(name + " bias gradient", gradBias);
                plan.backwardWeights(gradWeight, 0, null, 0, gradOut, 0, in, 0, batch, false);
                put(name + " weight gradient, no bias", gradWeight);
            }
            float[] col = new float[(int) Im2col.columnSize(g)];
            k.im2col().im2col(col, 0, g.outHeight() * g.outWidth(), in, 0, g, 0, g.outHeight());
            put("im2col " + geometry + " batch " + batch, col);
            float[] back = values(g.inputSize());
            k.im2col().col2imAdd(back, 0, values(col.length), 0, g.outHeight() * g.outWidth(), g, 0, g.outHeight());
            put("col2im " + geometry + " batch " + batch, back);
        }
    }

    private void pooling() {
        PoolGeometry[] geometries = {
            PoolGeometry.builder().input(6, 28, 28).kernel(2, 2).stride(2, 2).build(),
            PoolGeometry.builder().input(3, 13, 37).kernel(3, 3).stride(2, 2).padding(1).build(),
            PoolGeometry.builder().input(2, 17, 9).kernel(3, 2).stride(1, 1).build(),
            PoolGeometry.builder().input(4, 33, 70).kernel(2, 3).stride(2, 3).padding(0, 1, 1, 0).build()};
        for (PoolGeometry g : geometries) {
            int batch = 3;
            float[] in = values(batch * g.inputSize());
            float[] gradOut = values(batch * g.outputSize());
            float[] out = new float[batch * g.outputSize()];
            int[] argmax = new int[out.length];
            k.pool2d().maxForward(out, 0, argmax, 0, in, 0, g, batch);
            put("max pool " + g, out);
            put("max pool argmax " + g, argmax);
            float[] gradIn = new float[batch * g.inputSize()];
            k.pool2d().maxBackward(gradIn, 0, gradOut, 0, argmax, 0, g, batch);
            put("max pool backward " + g, gradIn);
            for (boolean includePad : new boolean[] {false, true}) {
                k.pool2d().avgForward(out, 0, in, 0, g, batch, includePad);
                put("avg pool " + g + " " + includePad, out);
                k.pool2d().avgBackward(gradIn, 0, gradOut, 0, g, batch, includePad);
                put("avg pool backward " + g + " " + includePad, gradIn);
            }
        }
        for (int plane : new int[] {1, 5, 16, 49, 196, 1000}) {
            int planes = 7;
            float[] in = values(planes * plane);
            float[] out = new float[planes];
            int[] argmax = new int[planes];
            k.pool2d().globalMaxForward(out, 0, argmax, 0, in, 0, planes, plane);
            put("global max " + plane, out);
            put("global max argmax " + plane, argmax);
            float[] gradIn = new float[planes * plane];
            k.pool2d().globalMaxBackward(gradIn, 0, values(planes), 0, argmax, 0, planes, plane);
            put("global max backward " + plane, gradIn);
            k.pool2d().globalAvgForward(out, 0, in, 0, planes, plane);
            put("global avg " + plane, out);
            k.pool2d().globalAvgBackward(gradIn, 0, values(planes), 0, planes, plane);
            put("global avg backward " + plane, gradIn);
        }
    }

    private void activations() {
        for (Activation a : ActivationsTest.ALL) {
            for (int length : new int[] {37, 1000, TRANSCENDENTAL}) {
                float[] in = values(length, 6f);
                float[] out = new float[length];
                k.activations().forward(a.kind(), a.parameter(), out, 0, in, 0, length);
                put(a + " forward " + length, out);
                float[] gradIn = new float[length];
                k.activations().backward(a.kind(), a.parameter(), gradIn, 0, values(length), 0, in, 0, length);
                put(a + " backward " + length, gradIn);
            }
        }
        for (int spatial : new int[] {1, 7, 16, 49, 100}) {
            int batch = 3;
            int channels = 5;
            int n = batch * channels * spatial;
            float[] in = values(n);
            float[] slope = values(channels);
            float[] out = new float[n];
            k.activations().preluForward(out, 0, in, 0, slope, 0, batch, channels, spatial);
            put("prelu " + spatial, out);
            float[] gradIn = new float[n];
            float[] gradSlope = values(channels);
            k.activations().preluBackward(gradIn, 0, gradSlope, 0, values(n), 0, in, 0, slope, 0, batch, channels,
                    spatial);
            put("prelu backward " + spatial, gradIn);
            put("prelu slope gradient " + spatial, gradSlope);
        }
    }

    private void softmax() {
        for (int cols : new int[] {1, 2, 10, 15, 16, 17, 33, 100, 1000}) {
            int rows = 9;
            float[] in = values(rows * cols, 8f);
            float[] gradOut = values(rows * cols);
            for (boolean log : new boolean[] {false, true}) {
                float[] out = new float[rows * cols];
                k.softmax().softmax(log, out, 0, cols, in, 0, cols, rows, cols);
                put("softmax " + log + " " + cols, out);
                float[] gradIn = new float[rows * cols];
                k.softmax().backward(log, gradIn, 0, cols, gradOut, 0, cols, out, 0, cols, rows, cols);
                put("softmax backward " + log + " " + cols, gradIn);
            }
        }
    }

    private void elementwise() {
        for (int length : lengths()) {
            for (int stride : length == LONG ? new int[] {1} : new int[] {1, 2, -3}) {
                int span = Math.max(1, (length - 1) * Math.abs(stride) + 1);
                int off = stride < 0 ? span - 1 : 0;
                float[] a = values(span, 4f);
                float[] b = values(span, 4f);
                String suffix = " " + length + " stride " + stride;
                for (Binary op : Binary.values()) {
                    float[] out = values(span);
                    k.elementwise().binary(op, out, off, stride, a, off, stride, b, off, stride, length);
                    put(op + suffix, out);
                }
                for (Unary op : Unary.values()) {
                    float[] out = values(span);
                    k.elementwise().unary(op, out, off, stride, a, off, stride, length);
                    put(op + suffix, out);
                }
                float[] out = values(span);
                k.elementwise().scale(out, off, stride, -1.25f, a, off, stride, length);
                put("scale" + suffix, out);
                k.elementwise().axpy(out, off, stride, 0.375f, b, off, stride, length);
                put("axpy" + suffix, out);
                k.elementwise().clip(out, off, stride, a, off, stride, -0.5f, 0.25f, length);
                put("clip" + suffix, out);
                k.elementwise().copy(out, off, stride, b, off, stride, length);
                put("copy" + suffix, out);
            }
        }
        for (int spatial : new int[] {1, 7, 16, 17, 49, 100}) {
            float[] data = values(4 * 3 * spatial);
            k.elementwise().addBiasChannels(data, 0, values(3), 0, 4, 3, spatial);
            put("bias channels " + spatial, data);
            float[] rows = values(5 * (spatial + 2));
            k.elementwise().addBiasRows(rows, 0, spatial + 2, values(spatial), 0, 5, spatial);
            put("bias rows " + spatial, rows);
        }
    }

    private void reductions() {
        for (int length : lengths()) {
            for (int stride : length == LONG ? new int[] {1} : new int[] {1, 2, -3}) {
                int span = Math.max(1, (length - 1) * Math.abs(stride) + 1);
                int off = stride < 0 ? span - 1 : 0;
                float[] x = values(span);
                float[] y = values(span);
                String suffix = " " + length + " stride " + stride;
                digests.put("sum" + suffix, Double.toHexString(k.reductions().sum(x, off, stride, length)));
                digests.put("dot" + suffix,
                        Double.toHexString(k.reductions().dot(x, off, stride, y, off, stride, length)));
                if (length > 0) {
                    digests.put("max" + suffix, Float.toHexString(k.reductions().max(x, off, stride, length)));
                    digests.put("min" + suffix, Float.toHexString(k.reductions().min(x, off, stride, length)));
                    digests.put("argmax" + suffix, String.valueOf(k.reductions().argmax(x, off, stride, length)));
                }
            }
        }
    }

    /** A function of the math kernel: out = f(in). */
    private interface Function {
        void apply(float[] out, int offOut, float[] in, int offIn, int length);
    }

    private void math() {
        MathKernel m = k.math();
        Map<String, Function> functions = new LinkedHashMap<>();
        functions.put("exp", m::exp);
        functions.put("expm1", m::expm1);
        functions.put("log", m::log);
        functions.put("log1p", m::log1p);
        functions.put("tanh", m::tanh);
        functions.put("sigmoid", m::sigmoid);
        functions.put("erf", m::erf);
        functions.put("erfc", m::erfc);
        for (int length : new int[] {37, 1000, TRANSCENDENTAL}) {
            float[] in = values(length, 20f);
            float[] positive = new float[length];
            for (int i = 0; i < length; i++) {
                positive[i] = Math.abs(in[i]) * 5f;
            }
            for (Map.Entry<String, Function> f : functions.entrySet()) {
                float[] out = new float[length];
                f.getValue().apply(out, 0, f.getKey().startsWith("log") ? positive : in, 0, length);
                put(f.getKey() + " " + length, out);
            }
        }
    }

    private void recurrent() {
        for (int hidden : new int[] {1, 7, 16, 33, 128}) {
            int rows = 5;
            int state = rows * hidden;
            float[] gates = values(4 * state, 3f);
            float[] cPrev = values(state);
            float[] h = new float[state];
            float[] c = new float[state];
            k.recurrent().lstmForward(h, 0, c, 0, gates, 0, cPrev, 0, rows, hidden);
            put("lstm h " + hidden, h);
            put("lstm c " + hidden, c);
            float[] gradGates = new float[4 * state];
            float[] gradC = values(state);
            k.recurrent().lstmBackward(gradGates, 0, gradC, 0, values(state), 0, gates, 0, c, 0, cPrev, 0, rows,
                    hidden);
            put("lstm gate gradient " + hidden, gradGates);
            put("lstm c gradient " + hidden, gradC);
            float[] gruGates = values(3 * state, 3f);
            float[] hiddenGates = values(3 * state, 3f);
            float[] hPrev = values(state);
            k.recurrent().gruForward(h, 0, gruGates, 0, hiddenGates, 0, hPrev, 0, rows, hidden);
            put("gru h " + hidden, h);
            float[] gradGru = new float[3 * state];
            float[] gradHidden = new float[3 * state];
            float[] gradHPrev = new float[state];
            k.recurrent().gruBackward(gradGru, 0, gradHidden, 0, gradHPrev, 0, values(state), 0, gruGates, 0,
                    hiddenGates, 0, hPrev, 0, rows, hidden);
            put("gru gate gradient " + hidden, gradGru);
            put("gru hidden gate gradient " + hidden, gradHidden);
            put("gru previous h gradient " + hidden, gradHPrev);
        }
    }

    private int[] lengths() {
        int[] all = java.util.Arrays.copyOf(LENGTHS, LENGTHS.length + 1);
        all[LENGTHS.length] = LONG;
        return all;
    }

    private float[] values(int length) {
        return values(length, 1f);
    }

    /** Uniform in [-scale, scale), a few of them exact zeros and ones so ties and signs occur. */
    private float[] values(int length, float scale) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(64);
            v[i] = kind == 0 ? 0f : kind == 1 ? 1f : (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    private void put(String name, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length);
        for (float v : values) {
            bytes.putInt(Float.floatToRawIntBits(v));
        }
        put(name, bytes.array());
    }

    private void put(String name, int[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            bytes.putInt(v);
        }
        put(name, bytes.array());
    }

    private void put(String name, byte[] bytes) {
        try {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            if (digests.put(name, digest) != null) {
                throw new IllegalStateException("two cases named " + name);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
