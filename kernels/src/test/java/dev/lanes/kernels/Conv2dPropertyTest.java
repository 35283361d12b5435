package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.kernels.scalar.ScalarConv2d;
import dev.lanes.kernels.spi.Conv2dKernel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Properties over generated valid geometries (QuickTheories, fixed seeds): every implementation
 * matches the double oracle; both gradients are the adjoints of the forward pass; and they agree
 * with central differences of the loss {@code sum(gradOut * conv(in, weight) + bias)}.
 */
@Tag("panama")
class Conv2dPropertyTest {
    private static final long SEED = 0x5eed_c0_47L;

    /** A geometry, a batch and a data seed, all drawn so that the geometry is valid by construction. */
    record Case(ConvGeometry g, int batch, long dataSeed) {
    }

    static Gen<Case> cases() {
        return source -> {
            int groups = (int) source.next(Constraint.between(1, 3));
            int cg = (int) source.next(Constraint.between(1, 4));
            int kg = (int) source.next(Constraint.between(1, 6));
            int r = (int) source.next(Constraint.between(1, 4));
            int s = (int) source.next(Constraint.between(1, 4));
            int dh = (int) source.next(Constraint.between(1, 2));
            int dw = (int) source.next(Constraint.between(1, 2));
            int pt = (int) source.next(Constraint.between(0, 2));
            int pb = (int) source.next(Constraint.between(0, 2));
            int pl = (int) source.next(Constraint.between(0, 2));
            int pr = (int) source.next(Constraint.between(0, 2));
            int h = Math.max(1, (r - 1) * dh + 1 - pt - pb) + (int) source.next(Constraint.between(0, 7));
            int w = Math.max(1, (s - 1) * dw + 1 - pl - pr) + (int) source.next(Constraint.between(0, 21));
            int sh = (int) source.next(Constraint.between(1, 3));
            int sw = (int) source.next(Constraint.between(1, 3));
            int batch = (int) source.next(Constraint.between(1, 3));
            long dataSeed = source.next(Constraint.between(0, Integer.MAX_VALUE));
            ConvGeometry g = ConvGeometry.builder().input(groups * cg, h, w).outChannels(groups * kg).kernel(r, s)
                    .stride(sh, sw).padding(pt, pb, pl, pr).dilation(dh, dw).groups(groups).build();
            return new Case(g, batch, dataSeed);
        };
    }

    private static Conv2dKernel.Plan[] plans(ConvGeometry g) {
        return new Conv2dKernel.Plan[] {new ScalarConv2d().plan(g), PanamaConv2d.gemmPlan(g), PanamaConv2d.directPlan(g)};
    }

    @Test
    void everyImplementationMatchesTheOracle() {
        qt().withFixedSeed(SEED).withExamples(60).forAll(cases()).checkAssert(c -> {
            ConvGeometry g = c.g();
            SplittableRandom random = new SplittableRandom(c.dataSeed());
            float[] in = ConvTesting.random(random, c.batch() * g.inputSize());
            float[] weight = ConvTesting.random(random, g.weightSize());
            float[] bias = ConvTesting.random(random, g.outChannels());
            float[] gradOut = ConvTesting.random(random, c.batch() * g.outputSize());
            double[][] forward = ConvTesting.forward(g, in, weight, bias, c.batch(), true);
            double[][] data = ConvTesting.backwardData(g, gradOut, weight, c.batch());
            double[][] weights = ConvTesting.backwardWeights(g, gradOut, in, c.batch());
            long dataTerms = (long) g.outChannelsPerGroup() * g.kernelHeight() * g.kernelWidth();
            long weightTerms = (long) c.batch() * g.outHeight() * g.outWidth();
            String name = c + " seed " + SEED;
            for (Conv2dKernel.Plan plan : plans(g)) {
                String what = name + " " + plan.getClass().getSimpleName();
                float[] out = new float[c.batch() * g.outputSize()];
                plan.forward(out, 0, in, 0, weight, 0, bias, 0, c.batch(), true);
                ConvTesting.assertWithinBound(what + " forward", forward[0], forward[1], out, 0, g.reductionLength(), 2);
                float[] gradIn = new float[in.length];
                plan.backwardData(gradIn, 0, gradOut, 0, weight, 0, c.batch());
                ConvTesting.assertWithinBound(what + " backwardData", data[0], data[1], gradIn, 0, dataTerms,
                        g.kernelHeight() * g.kernelWidth() + 2);
                float[] gradWeight = new float[weight.length];
                float[] gradBias = new float[bias.length];
                plan.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, c.batch(), false);
                ConvTesting.assertWithinBound(what + " gradWeight", weights[0], weights[1], gradWeight, 0, weightTerms, 40);
                ConvTesting.assertWithinBound(what + " gradBias", weights[2], weights[3], gradBias, 0, weightTerms, 40);
            }
        });
    }

    /**
     * {@code <gradOut, conv(in)> = <backwardData(gradOut), in>} and {@code = <backwardWeights(gradOut, in), weight>}.
     * Each side is a float computation of the same exact sum; the allowed gap is the sum of the
     * two sides' rounding bounds (per-element bounds from the oracle's magnitudes, weighted by
     * the other factor of the dot product).
     */
    @Test
    void gradientsAreAdjointsOfTheForwardPass() {
        qt().withFixedSeed(SEED + 1).withExamples(80).forAll(cases()).checkAssert(c -> {
            ConvGeometry g = c.g();
            SplittableRandom random = new SplittableRandom(c.dataSeed());
            float[] in = ConvTesting.random(random, c.batch() * g.inputSize());
            float[] weight = ConvTesting.random(random, g.weightSize());
            float[] gradOut = ConvTesting.random(random, c.batch() * g.outputSize());
            Conv2d conv = new Conv2d(g);
            float[] out = new float[gradOut.length];
            conv.forward(out, 0, in, 0, weight, 0, null, 0, c.batch(), false);
            float[] gradIn = new float[in.length];
            conv.backwardData(gradIn, 0, gradOut, 0, weight, 0, c.batch());
            float[] gradWeight = new float[weight.length];
            conv.backwardWeights(gradWeight, 0, null, 0, gradOut, 0, in, 0, c.batch(), false);
            double[][] forward = ConvTesting.forward(g, in, weight, null, c.batch(), false);
            double[][] data = ConvTesting.backwardData(g, gradOut, weight, c.batch());
            double[][] weights = ConvTesting.backwardWeights(g, gradOut, in, c.batch());
            double forwardSide = 0;
            double forwardBound = 0;
            for (int i = 0; i < out.length; i++) {
                forwardSide += (double) gradOut[i] * out[i];
                forwardBound += Math.abs(gradOut[i]) * (g.reductionLength() + 2) * ConvTesting.U * forward[1][i];
            }
            double dataSide = 0;
            double dataBound = 0;
            long dataTerms = (long) g.outChannelsPerGroup() * g.kernelHeight() * g.kernelWidth()
                    + g.kernelHeight() * g.kernelWidth() + 2;
            for (int i = 0; i < in.length; i++) {
                dataSide += (double) gradIn[i] * in[i];
                dataBound += Math.abs(in[i]) * dataTerms * ConvTesting.U * data[1][i];
            }
            double weightSide = 0;
            double weightBound = 0;
            long weightTerms = (long) c.batch() * g.outHeight() * g.outWidth() + 40;
            for (int i = 0; i < weight.length; i++) {
                weightSide += (double) gradWeight[i] * weight[i];
                weightBound += Math.abs(weight[i]) * weightTerms * ConvTesting.U * weights[1][i];
            }
            double slack = 1e-12;
            assertTrue(Math.abs(forwardSide - dataSide) <= forwardBound + dataBound + slack,
                    c + ": <gradOut, conv(in)> = " + forwardSide + " but <gradIn, in> = " + dataSide + ", seed " + SEED);
            assertTrue(Math.abs(forwardSide - weightSide) <= forwardBound + weightBound + slack,
                    c + ": <gradOut, conv(in)> = " + forwardSide + " but <gradWeight, weight> = " + weightSide
                            + ", seed " + SEED);
        });
    }

    /**
     * Every element of all three gradients against the central difference of
     * {@code L = sum(gradOut * (conv(in, weight) + bias))}, evaluated with the float forward pass
     * and summed in double. L is linear in each variable, so the difference quotient has no
     * truncation error: what is left is the forward pass's rounding, divided by the step.
     */
    @Test
    void gradientsMatchCentralDifferences() {
        qt().withFixedSeed(SEED + 2).withExamples(12).forAll(cases()).checkAssert(c -> {
            ConvGeometry g = c.g();
            SplittableRandom random = new SplittableRandom(c.dataSeed());
            float[] in = ConvTesting.random(random, c.batch() * g.inputSize());
            float[] weight = ConvTesting.random(random, g.weightSize());
            float[] bias = ConvTesting.random(random, g.outChannels());
            float[] gradOut = ConvTesting.random(random, c.batch() * g.outputSize());
            Conv2d conv = new Conv2d(g);
            float[] gradIn = new float[in.length];
            conv.backwardData(gradIn, 0, gradOut, 0, weight, 0, c.batch());
            float[] gradWeight = new float[weight.length];
            float[] gradBias = new float[bias.length];
            conv.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, c.batch(), false);
            Loss loss = new Loss(conv, c.batch(), in, weight, bias, gradOut);
            // the loss's rounding: each output is within (terms + 2) U magnitude of exact, weighted by |gradOut|
            double[][] forward = ConvTesting.forward(g, in, weight, bias, c.batch(), false);
            double lossError = 0;
            for (int i = 0; i < gradOut.length; i++) {
                lossError += Math.abs(gradOut[i]) * (g.reductionLength() + 4) * ConvTesting.U * forward[1][i];
            }
            checkSome(c + " gradIn", in, gradIn, loss, lossError, random);
            checkSome(c + " gradWeight", weight, gradWeight, loss, lossError, random);
            checkSome(c + " gradBias", bias, gradBias, loss, lossError, random);
        });
    }

    private static final float STEP = 0.25f;

    /** Elements checked per variable: all of a small one, a random sample of a larger one. */
    private static final int SAMPLE = 24;

    /**
     * For each checked element: (L(x + h) - L(x - h)) / 2h against the gradient. Both L values are off by
     * at most about lossError (the perturbation barely changes the magnitudes, hence the factor
     * 2), the gradient by its own rounding, bounded by the same sum.
     */
    private static void checkSome(String what, float[] variable, float[] gradient, Loss loss, double lossError,
                                  SplittableRandom random) {
        boolean all = variable.length <= SAMPLE;
        for (int j = 0; j < (all ? variable.length : SAMPLE); j++) {
            int i = all ? j : random.nextInt(variable.length);
            float saved = variable[i];
            variable[i] = saved + STEP;
            double plus = loss.value();
            variable[i] = saved - STEP;
            double minus = loss.value();
            variable[i] = saved;
            double numeric = (plus - minus) / (2 * STEP);
            double bound = 2 * (2 * lossError) / (2 * STEP) + 2 * lossError + 1e-9;
            assertTrue(Math.abs(numeric - gradient[i]) <= bound, what + "[" + i + "]: numeric " + numeric
                    + ", analytic " + gradient[i] + ", bound " + bound + ", seed " + SEED);
        }
    }

    /** L = sum(gradOut * conv(in, weight, bias)), the forward pass in float, the sum in double. */
    private record Loss(Conv2d conv, int batch, float[] in, float[] weight, float[] bias, float[] gradOut) {
        double value() {
            float[] out = new float[gradOut.length];
            conv.forward(out, 0, in, 0, weight, 0, bias, 0, batch, false);
            double sum = 0;
            for (int i = 0; i < out.length; i++) {
                sum += (double) gradOut[i] * out[i];
            }
            return sum;
        }
    }
}
