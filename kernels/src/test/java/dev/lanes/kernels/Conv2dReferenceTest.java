package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.kernels.scalar.ScalarConv2d;
import dev.lanes.kernels.spi.Conv2dKernel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every convolution implementation (scalar, im2col + GEMM, direct, and the facade's choice)
 * against the double-precision seven-loop oracle, on shapes that hit every tail, with data at
 * offsets inside sentinel-filled arrays that must stay untouched.
 */
@Tag("panama")
class Conv2dReferenceTest {
    private static final float SENTINEL = -777f;
    private static final int BEFORE = 5;
    private static final int AFTER = 7;

    record Impl(String name, Function<ConvGeometry, Conv2dKernel.Plan> plan) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Impl> IMPLS = List.of(
            new Impl("scalar", g -> new ScalarConv2d().plan(g)),
            new Impl("gemm", PanamaConv2d::gemmPlan),
            new Impl("direct", PanamaConv2d::directPlan),
            new Impl("chosen", g -> new PanamaConv2d().plan(g)));

    static ConvGeometry.Builder conv(int c, int h, int w, int k, int r, int s) {
        return ConvGeometry.builder().input(c, h, w).outChannels(k).kernel(r, s);
    }

    /** name, geometry, batch. */
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("batch 1, 1x1 image, 1x1 kernel", conv(3, 1, 1, 4, 1, 1).build(), 1),
                Arguments.of("1x1 image, 3x3 kernel, pad 1", conv(2, 1, 1, 3, 3, 3).padding(1).build(), 2),
                Arguments.of("kernel as large as the padded input", conv(3, 5, 4, 2, 7, 6).padding(1).build(), 2),
                Arguments.of("stride larger than the kernel", conv(3, 11, 10, 5, 2, 2).stride(3, 4).build(), 2),
                Arguments.of("odd channel counts", conv(7, 9, 9, 17, 3, 3).padding(1).build(), 3),
                Arguments.of("dilation 2", conv(5, 12, 11, 6, 3, 3).dilation(2, 2).padding(2).build(), 2),
                Arguments.of("groups 2", conv(6, 8, 8, 10, 3, 3).padding(1).groups(2).build(), 2),
                Arguments.of("groups 3, asymmetric padding", conv(9, 7, 9, 6, 3, 2).padding(0, 2, 1, 0).groups(3).build(), 2),
                Arguments.of("groups 2, wide reduction", conv(12, 6, 7, 8, 3, 3).padding(1).groups(2).build(), 2),
                Arguments.of("depthwise, stride 2", conv(5, 10, 10, 5, 3, 3).padding(1).stride(2, 2).groups(5).build(), 2),
                Arguments.of("depthwise, multiplier 2", conv(4, 9, 7, 8, 3, 3).groups(4).build(), 2),
                Arguments.of("first layer 5x5", conv(1, 16, 16, 6, 5, 5).padding(2).build(), 3),
                Arguments.of("first layer 3x3, stride 2", conv(1, 15, 15, 8, 3, 3).padding(1).stride(2, 2).build(), 2),
                Arguments.of("several images per block", conv(8, 12, 12, 16, 3, 3).padding(1).build(), 15),
                Arguments.of("several blocks per image", conv(16, 12, 100, 4, 5, 5).build(), 2),
                Arguments.of("direct path: one output row per block", conv(64, 7, 100, 5, 5, 5).padding(0, 1, 0, 0).build(), 2),
                Arguments.of("strides, dilation and padding mixed",
                        conv(4, 13, 17, 5, 3, 4).stride(2, 3).dilation(2, 1).padding(1, 2, 0, 3).build(), 2),
                Arguments.of("1x5 kernel", conv(3, 6, 20, 4, 1, 5).padding(0, 0, 2, 2).build(), 2),
                Arguments.of("33 output columns", conv(2, 5, 33, 3, 1, 1).build(), 2),
                Arguments.of("16 output columns", conv(3, 4, 18, 5, 3, 3).build(), 1),
                Arguments.of("17 output columns, stride 2", conv(3, 5, 35, 5, 3, 3).stride(1, 2).build(), 1));
    }

    static Stream<Arguments> cases() {
        return shapes().flatMap(shape -> IMPLS.stream().map(impl -> {
            Object[] a = shape.get();
            return Arguments.of(a[0], impl, a[1], a[2]);
        }));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void forward(String name, Impl impl, ConvGeometry g, int batch) {
        SplittableRandom random = new SplittableRandom(name.hashCode());
        float[] in = ConvTesting.random(random, batch * g.inputSize());
        float[] weight = ConvTesting.random(random, g.weightSize());
        float[] bias = ConvTesting.random(random, g.outChannels());
        Conv2dKernel.Plan plan = impl.plan().apply(g);
        for (int variant = 0; variant < 4; variant++) {
            boolean relu = (variant & 1) != 0;
            float[] b = (variant & 2) != 0 ? bias : null;
            float[] out = ConvTesting.padded(new float[batch * g.outputSize()], BEFORE, AFTER, SENTINEL);
            plan.forward(out, BEFORE, ConvTesting.padded(in, 3, 2, 0f), 3, ConvTesting.padded(weight, 1, 0, 0f), 1,
                    b == null ? null : ConvTesting.padded(b, 2, 1, 0f), 2, batch, relu);
            double[][] expected = ConvTesting.forward(g, in, weight, b, batch, relu);
            ConvTesting.assertWithinBound(name + " forward relu=" + relu + " bias=" + (b != null), expected[0],
                    expected[1], out, BEFORE, g.reductionLength(), 2);
            assertSentinels(out, batch * g.outputSize());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void backwardData(String name, Impl impl, ConvGeometry g, int batch) {
        SplittableRandom random = new SplittableRandom(name.hashCode() + 1);
        float[] gradOut = ConvTesting.random(random, batch * g.outputSize());
        float[] weight = ConvTesting.random(random, g.weightSize());
        float[] gradIn = ConvTesting.padded(ConvTesting.random(random, batch * g.inputSize()), BEFORE, AFTER, SENTINEL);
        Conv2dKernel.Plan plan = impl.plan().apply(g);
        // twice: the plan must overwrite, and reuse its workspace
        for (int round = 0; round < 2; round++) {
            plan.backwardData(gradIn, BEFORE, ConvTesting.padded(gradOut, 4, 1, 0f), 4, weight, 0, batch);
            double[][] expected = ConvTesting.backwardData(g, gradOut, weight, batch);
            long terms = (long) g.outChannelsPerGroup() * g.kernelHeight() * g.kernelWidth();
            ConvTesting.assertWithinBound(name + " backwardData", expected[0], expected[1], gradIn, BEFORE,
                    terms, g.kernelHeight() * g.kernelWidth() + 2);
            assertSentinels(gradIn, batch * g.inputSize());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void backwardWeights(String name, Impl impl, ConvGeometry g, int batch) {
        SplittableRandom random = new SplittableRandom(name.hashCode() + 2);
        float[] gradOut = ConvTesting.random(random, batch * g.outputSize());
        float[] in = ConvTesting.random(random, batch * g.inputSize());
        float[] oldWeight = ConvTesting.random(random, g.weightSize());
        float[] oldBias = ConvTesting.random(random, g.outChannels());
        Conv2dKernel.Plan plan = impl.plan().apply(g);
        double[][] expected = ConvTesting.backwardWeights(g, gradOut, in, batch);
        long terms = (long) batch * g.outHeight() * g.outWidth();
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] gradWeight = ConvTesting.padded(oldWeight, BEFORE, AFTER, SENTINEL);
            float[] gradBias = ConvTesting.padded(oldBias, BEFORE, AFTER, SENTINEL);
            plan.backwardWeights(gradWeight, BEFORE, gradBias, BEFORE, gradOut, 0, ConvTesting.padded(in, 2, 0, 0f), 2,
                    batch, accumulate);
            double[] weightExpected = expected[0].clone();
            double[] weightMagnitude = expected[1].clone();
            double[] biasExpected = expected[2].clone();
            double[] biasMagnitude = expected[3].clone();
            if (accumulate) {
                for (int i = 0; i < weightExpected.length; i++) {
                    weightExpected[i] += oldWeight[i];
                    weightMagnitude[i] += Math.abs(oldWeight[i]);
                }
                for (int i = 0; i < biasExpected.length; i++) {
                    biasExpected[i] += oldBias[i];
                    biasMagnitude[i] += Math.abs(oldBias[i]);
                }
            }
            // extra roundings: block partials, chunk partials, the accumulate
            long extra = 2L * batch + 40;
            ConvTesting.assertWithinBound(name + " gradWeight accumulate=" + accumulate, weightExpected,
                    weightMagnitude, gradWeight, BEFORE, terms, extra);
            ConvTesting.assertWithinBound(name + " gradBias accumulate=" + accumulate, biasExpected, biasMagnitude,
                    gradBias, BEFORE, terms, extra);
            assertSentinels(gradWeight, g.weightSize());
            assertSentinels(gradBias, g.outChannels());
        }
        // without a bias gradient
        float[] gradWeight = new float[g.weightSize()];
        plan.backwardWeights(gradWeight, 0, null, 0, gradOut, 0, in, 0, batch, false);
        ConvTesting.assertWithinBound(name + " gradWeight without bias", expected[0], expected[1], gradWeight, 0,
                terms, 2L * batch + 40);
    }

    private static void assertSentinels(float[] a, int length) {
        for (int i = 0; i < BEFORE; i++) {
            assertEquals(SENTINEL, a[i], "sentinel before the output at " + i);
        }
        for (int i = BEFORE + length; i < a.length; i++) {
            assertEquals(SENTINEL, a[i], "sentinel after the output at " + i);
        }
    }
}
