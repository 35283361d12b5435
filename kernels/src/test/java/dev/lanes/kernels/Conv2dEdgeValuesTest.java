package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.kernels.scalar.ScalarConv2d;
import dev.lanes.kernels.spi.Conv2dKernel;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NaN, infinities and signed zeros in inputs, weights and gradients. Whether a result is NaN,
 * +Inf, -Inf or finite does not depend on the order of a sum (NaN if any term is NaN or both
 * infinities occur, else infinite if any term is; the values here are too small to overflow), so
 * every implementation must classify every element exactly as the double oracle does, and match
 * it within the rounding bound where finite. Zero padding multiplies like data, as im2col does:
 * an infinite weight over the padding gives NaN.
 */
@Tag("panama")
class Conv2dEdgeValuesTest {
    private static final float[] SPECIALS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f};

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("gemm path", ConvGeometry.builder().input(5, 9, 11).outChannels(7).kernel(3, 3).padding(1).build()),
                Arguments.of("direct path", ConvGeometry.builder().input(1, 9, 21).outChannels(6).kernel(3, 3).padding(1, 0, 2, 1).build()),
                Arguments.of("depthwise stride 2", ConvGeometry.builder().input(3, 10, 18).outChannels(3).kernel(3, 3).padding(1).stride(2, 2).groups(3).build()));
    }

    /** Random data with about one element in {@code every} replaced by a special value. */
    private static float[] sprinkled(SplittableRandom random, int length, int every) {
        float[] a = ConvTesting.random(random, length);
        for (int i = 0; i < length; i++) {
            if (random.nextInt(every) == 0) {
                a[i] = SPECIALS[random.nextInt(SPECIALS.length)];
            }
        }
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void specialValuesPropagateAlike(String name, ConvGeometry g) {
        int batch = 2;
        for (int trial = 0; trial < 6; trial++) {
            SplittableRandom random = new SplittableRandom(31L * trial + name.hashCode());
            // trials 0-1: specials in the input; 2-3: in the weight; 4-5: in the gradient
            float[] in = sprinkled(random, batch * g.inputSize(), trial < 2 ? 40 : Integer.MAX_VALUE);
            float[] weight = sprinkled(random, g.weightSize(), trial >= 2 && trial < 4 ? 60 : Integer.MAX_VALUE);
            float[] gradOut = sprinkled(random, batch * g.outputSize(), trial >= 4 ? 40 : Integer.MAX_VALUE);
            String what = name + " trial " + trial;
            double[][] forward = ConvTesting.forward(g, in, weight, null, batch, false);
            double[][] data = ConvTesting.backwardData(g, gradOut, weight, batch);
            double[][] weights = ConvTesting.backwardWeights(g, gradOut, in, batch);
            for (Conv2dKernel.Plan plan : new Conv2dKernel.Plan[] {
                    new ScalarConv2d().plan(g), PanamaConv2d.gemmPlan(g), PanamaConv2d.directPlan(g)}) {
                String who = what + " " + plan.getClass().getSimpleName();
                float[] out = new float[gradOut.length];
                plan.forward(out, 0, in, 0, weight, 0, null, 0, batch, false);
                assertClassifiedAlike(who + " forward", forward[0], forward[1], out, g.reductionLength());
                float[] gradIn = new float[in.length];
                plan.backwardData(gradIn, 0, gradOut, 0, weight, 0, batch);
                assertClassifiedAlike(who + " backwardData", data[0], data[1], gradIn,
                        (long) g.outChannelsPerGroup() * g.kernelHeight() * g.kernelWidth() + 20);
                float[] gradWeight = new float[weight.length];
                float[] gradBias = new float[g.outChannels()];
                plan.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, batch, false);
                long terms = (long) batch * g.outHeight() * g.outWidth() + 40;
                assertClassifiedAlike(who + " gradWeight", weights[0], weights[1], gradWeight, terms);
                assertClassifiedAlike(who + " gradBias", weights[2], weights[3], gradBias, terms);
            }
        }
    }

    private static void assertClassifiedAlike(String what, double[] expected, double[] magnitude, float[] actual,
                                              long terms) {
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            float a = actual[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                if (!(Double.isNaN(e) ? Float.isNaN(a) : a == e)) {
                    fail(what + ": element " + i + " is " + a + ", expected " + e);
                }
            } else {
                double bound = terms * ConvTesting.U * magnitude[i] + Float.MIN_NORMAL;
                assertTrue(Math.abs(a - e) <= bound, what + ": element " + i + " is " + a + ", expected " + e);
            }
        }
    }

    @Test
    void reluKeepsNaNAndClampsNegativesAndNegativeZero() {
        ConvGeometry g = ConvGeometry.builder().input(1, 1, 4).outChannels(1).kernel(1, 1).build();
        float[] in = {Float.NaN, -2f, -0f, 3f};
        float[] weight = {1f};
        for (Conv2dKernel.Plan plan : new Conv2dKernel.Plan[] {
                new ScalarConv2d().plan(g), PanamaConv2d.gemmPlan(g), PanamaConv2d.directPlan(g)}) {
            float[] out = new float[4];
            plan.forward(out, 0, in, 0, weight, 0, null, 0, 1, true);
            String who = plan.getClass().getSimpleName();
            assertTrue(Float.isNaN(out[0]), who + ": relu(NaN) is " + out[0]);
            assertEquals(0f, out[1], who);
            assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(out[2]), who + ": relu(-0) is " + out[2]);
            assertEquals(3f, out[3], who);
        }
    }

    @Test
    void infiniteWeightOverThePaddingGivesNaN() {
        ConvGeometry g = ConvGeometry.builder().input(1, 1, 3).outChannels(1).kernel(1, 3).padding(0, 0, 1, 1).build();
        float[] in = {1f, 2f, 3f};
        float[] weight = {Float.POSITIVE_INFINITY, 1f, 1f};
        for (Conv2dKernel.Plan plan : new Conv2dKernel.Plan[] {
                new ScalarConv2d().plan(g), PanamaConv2d.gemmPlan(g), PanamaConv2d.directPlan(g)}) {
            float[] out = new float[3];
            plan.forward(out, 0, in, 0, weight, 0, null, 0, 1, false);
            String who = plan.getClass().getSimpleName();
            assertTrue(Float.isNaN(out[0]), who + ": Inf * padding should be NaN, got " + out[0]);
            assertEquals(Float.POSITIVE_INFINITY, out[1], who);
            assertEquals(Float.POSITIVE_INFINITY, out[2], who);
        }
    }
}
