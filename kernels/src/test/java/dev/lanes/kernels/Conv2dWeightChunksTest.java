package dev.lanes.kernels;

import static org.quicktheories.QuickTheory.qt;

import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.kernels.spi.Conv2dKernel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * The weight gradient over batches large enough that one chunk of the sum holds several images
 * (both plans cut a batch into at most 16 chunks), against the double oracle, with groups: the
 * small-batch tests never get there.
 *
 * <ul>
 * <li>Direct plan: batch 17 to 40 makes chunks of 2 or 3 images, and small images (at most 1024
 * output pixels, whole images to a column block) put several of them in one weight-gradient
 * block, whose gradOut rows are gathered per group.</li>
 * <li>im2col + GEMM plan: 16 x 30 to 16 x 32 output pixels give blocks of exactly 2 images
 * ({@code ConvBlocks}: at most 1024 columns), so batch 33 to 40 makes 17 to 20 blocks: more
 * than the 16 chunks, so some chunk sums two multi-image blocks (its second GEMM with
 * beta = 1).</li>
 * </ul>
 */
@Tag("panama")
class Conv2dWeightChunksTest {
    private static final long SEED = 0xc4_0a_17L;
    private static final float SENTINEL = -7.25f;

    record Case(ConvGeometry g, int batch, long dataSeed) {
    }

    /** Direct-plan cases: groups 1 to 3, small images and kernels, batch 17 to 40. */
    static Gen<Case> directCases() {
        return source -> {
            int groups = (int) source.next(Constraint.between(1, 3));
            int cg = (int) source.next(Constraint.between(1, 3));
            int kg = (int) source.next(Constraint.between(1, 6));
            int r = (int) source.next(Constraint.between(1, 3));
            int s = (int) source.next(Constraint.between(1, 3));
            int pad = (int) source.next(Constraint.between(0, 1));
            int stride = (int) source.next(Constraint.between(1, 2));
            int h = Math.max(r, s) + (int) source.next(Constraint.between(0, 6));
            int w = Math.max(r, s) + (int) source.next(Constraint.between(0, 9));
            int batch = (int) source.next(Constraint.between(17, 40));
            long dataSeed = source.next(Constraint.between(0, Integer.MAX_VALUE));
            ConvGeometry g = ConvGeometry.builder().input(groups * cg, h, w).outChannels(groups * kg).kernel(r, s)
                    .stride(stride, stride).padding(pad).groups(groups).build();
            return new Case(g, batch, dataSeed);
        };
    }

    /**
     * GEMM-plan cases: 1 or 2 groups of 4 input and 8 or 9 output channels, 3x3, 16 x 30 to
     * 16 x 32 outputs, batch 33 to 40.
     */
    static Gen<Case> gemmCases() {
        return source -> {
            int groups = (int) source.next(Constraint.between(1, 2));
            int kg = (int) source.next(Constraint.between(8, 9));
            int w = 32 + (int) source.next(Constraint.between(0, 2));
            int batch = (int) source.next(Constraint.between(33, 40));
            long dataSeed = source.next(Constraint.between(0, Integer.MAX_VALUE));
            ConvGeometry g = ConvGeometry.builder().input(groups * 4, 18, w).outChannels(groups * kg).kernel(3, 3)
                    .groups(groups).build();
            return new Case(g, batch, dataSeed);
        };
    }

    @Test
    void directPlanWithMultiImageChunks() {
        qt().withFixedSeed(SEED).withExamples(25).forAll(directCases()).checkAssert(c -> {
            ConvGeometry g = c.g();
            // PanamaDirectConvPlan's blockImages: whole images, up to 2048 / (P*Q) and 2^17 / (taps * P*Q)
            int plane = g.outHeight() * g.outWidth();
            long images = Math.min((1 << 17) / ((long) g.reductionLength() * plane), 2048 / plane);
            if (images < 2 || c.batch() < 17) {
                throw new AssertionError(c + ": no multi-image weight-gradient block, seed " + SEED);
            }
            check(c, PanamaConv2d.directPlan(g), "direct", SEED);
        });
    }

    @Test
    void gemmPlanWithMultiBlockChunks() {
        qt().withFixedSeed(SEED + 1).withExamples(6).forAll(gemmCases()).checkAssert(c -> {
            ConvGeometry g = c.g();
            // ConvBlocks: whole images (C*R*S * P*Q within 2^17 floats), as many as that budget
            // and 1024 columns allow, and at least 256 columns
            int plane = g.outHeight() * g.outWidth();
            long perImage = (long) g.inChannels() * g.kernelHeight() * g.kernelWidth() * plane;
            long images = Math.max(Math.min((1 << 17) / perImage, 1024 / plane), Math.ceilDiv(256, plane));
            if (perImage > 1 << 17 || images != 2 || Math.ceilDiv(c.batch(), 2) <= 16) {
                throw new AssertionError(c + ": not more than 16 blocks of two images, seed " + (SEED + 1));
            }
            check(c, PanamaConv2d.gemmPlan(g), "gemm", SEED + 1);
        });
    }

    /**
     * A weight gradient longer than the GEMM plan's combine blocks (2^14 elements each): 96 x 40 x 3 x 3
     * weights and 96 biases, 34,656 partial sums in three blocks, the last holding the end of the
     * weights and all the biases. The other tests' gradients fit one block.
     */
    @Test
    void gemmPlanCombinesLongGradientsBlockByBlock() {
        long seed = SEED + 2;
        ConvGeometry g = ConvGeometry.builder().input(40, 5, 5).outChannels(96).kernel(3, 3).padding(1).build();
        if (g.weightSize() + g.outChannels() <= 2 * (1 << 14)) {
            throw new AssertionError(g + ": fewer than three combine blocks, seed " + seed);
        }
        check(new Case(g, 3, seed), PanamaConv2d.gemmPlan(g), "gemm", seed);
    }

    /** backwardWeights, overwriting and accumulating, with and without bias, against the oracle. */
    private static void check(Case c, Conv2dKernel.Plan plan, String name, long seed) {
        ConvGeometry g = c.g();
        SplittableRandom random = new SplittableRandom(c.dataSeed());
        float[] in = ConvTesting.random(random, c.batch() * g.inputSize());
        float[] gradOut = ConvTesting.random(random, c.batch() * g.outputSize());
        float[] oldWeight = ConvTesting.random(random, g.weightSize());
        float[] oldBias = ConvTesting.random(random, g.outChannels());
        double[][] expected = ConvTesting.backwardWeights(g, gradOut, in, c.batch());
        long terms = (long) c.batch() * g.outHeight() * g.outWidth();
        long extra = 2L * c.batch() + 40;
        String what = name + " " + g + " batch " + c.batch() + ", seed " + seed;
        for (boolean accumulate : new boolean[] {false, true}) {
            // at offsets, with sentinels before and after that must stay as they are
            float[] gradWeight = ConvTesting.padded(oldWeight, 3, 2, SENTINEL);
            float[] gradBias = ConvTesting.padded(oldBias, 5, 1, SENTINEL);
            plan.backwardWeights(gradWeight, 3, gradBias, 5, gradOut, 0, in, 0, c.batch(), accumulate);
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
            ConvTesting.assertWithinBound(what + " gradWeight accumulate=" + accumulate, weightExpected,
                    weightMagnitude, gradWeight, 3, terms, extra);
            ConvTesting.assertWithinBound(what + " gradBias accumulate=" + accumulate, biasExpected, biasMagnitude,
                    gradBias, 5, terms, extra);
            assertSentinels(what + " gradWeight accumulate=" + accumulate, gradWeight, 3, g.weightSize());
            assertSentinels(what + " gradBias accumulate=" + accumulate, gradBias, 5, g.outChannels());
        }
        float[] gradWeight = new float[g.weightSize()];
        plan.backwardWeights(gradWeight, 0, null, 0, gradOut, 0, in, 0, c.batch(), false);
        ConvTesting.assertWithinBound(what + " gradWeight without bias", expected[0], expected[1], gradWeight, 0,
                terms, extra);
    }

    private static void assertSentinels(String what, float[] a, int offset, int length) {
        for (int i = 0; i < a.length; i++) {
            if ((i < offset || i >= offset + length) && Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(SENTINEL)) {
                throw new AssertionError(what + ": element " + i + " outside [" + offset + ", " + (offset + length)
                        + ") was written: " + a[i]);
            }
        }
    }
}
