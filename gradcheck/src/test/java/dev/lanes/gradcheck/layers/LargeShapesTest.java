package dev.lanes.gradcheck.layers;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.booleans;
import static org.quicktheories.generators.Generate.range;

import dev.lanes.gradcheck.ConvConfig;
import dev.lanes.gradcheck.DenseConfig;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.GradCheckResult;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Mode;
import dev.lanes.gradcheck.PoolConfig;
import dev.lanes.gradcheck.TransposedConvConfig;
import dev.lanes.gradcheck.UpsampleConfig;
import dev.lanes.gradcheck.Values;
import dev.lanes.layers.AvgPool2d;
import dev.lanes.layers.BatchNorm2d;
import dev.lanes.layers.MaxPool2d;
import dev.lanes.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Layers at sizes where the full Jacobian would cost too much (up to millions of entries): the
 * random-direction mode, forced, u^T J v against the central difference along v, four
 * directions per variable, 25 cases per layer (convolutions on both kernel paths). The
 * small-shape properties in the other classes check every entry; these check that nothing
 * breaks with realistic channel counts and images.
 */
class LargeShapesTest {
    static final int CASES = 26; // QuickTheories runs one fewer than asked: 25

    static Gen<ConvConfig> largeConvs() {
        return in -> {
            int groups = range(1, 2).generate(in);
            int c = groups * range(2, 4).generate(in);
            int k = groups * range(2, 4).generate(in);
            int kernel = range(1, 3).generate(in);
            int stride = range(1, 2).generate(in);
            int pad = range(0, kernel / 2).generate(in);
            int size = range(8, 12).generate(in);
            return new ConvConfig(range(2, 4).generate(in), c, size, size, k, kernel, kernel, stride, stride, pad,
                    pad, pad, pad, 1, 1, groups);
        };
    }

    static void assertDirections(GradCheckResult result) {
        if (result.mode() != Mode.DIRECTIONS) {
            throw new AssertionError("expected the random-direction mode, got " + result);
        }
    }

    @Test
    void dense() {
        Gen<DenseConfig> configs = in -> new DenseConfig(range(4, 16).generate(in), range(32, 96).generate(in),
                range(16, 64).generate(in));
        qt().withFixedSeed(271).withExamples(CASES).forAll(configs, Gens.seeds()).checkAssert((c, seed) ->
                assertDirections(GradCheck.layer(DenseTest.dense(c, true, seed))
                        .input(Values.uniform(c.inputShape(), seed, -2, 2)).randomDirections(4).seed(seed).check()));
    }

    @Test
    void conv2d() {
        qt().withFixedSeed(272).withExamples(CASES).forAll(largeConvs(), booleans(), Gens.seeds())
                .checkAssert((c, bias, seed) -> assertDirections(GradCheck.layer(ConvTest.conv(c, bias, seed))
                        .input(Values.uniform(c.inputShape(), seed, -2, 2)).randomDirections(4).seed(seed).check()));
    }

    /**
     * Convolutions for the kernels' im2col + GEMM path: 8 to 12 output channels per group and
     * reductions of 36 to 72 (4 to 8 input channels per group, 3x3 kernels), batch 2 to 3, so
     * that the weight gradient's column blocks hold several images.
     */
    static Gen<ConvConfig> largeGemmConvs() {
        return in -> {
            int groups = range(1, 2).generate(in);
            int c = groups * range(4, 8).generate(in);
            int k = groups * range(8, 12).generate(in);
            int stride = range(1, 2).generate(in);
            int pad = range(0, 1).generate(in);
            int size = range(6, 10).generate(in);
            return new ConvConfig(range(2, 3).generate(in), c, size, size, k, 3, 3, stride, stride, pad, pad, pad,
                    pad, 1, 1, groups);
        };
    }

    @Test
    void gemmConv2d() {
        qt().withFixedSeed(275).withExamples(CASES).forAll(largeGemmConvs(), booleans(), Gens.seeds())
                .checkAssert((c, bias, seed) -> {
                    ConvTest.assertGemmPath(c);
                    assertDirections(GradCheck.layer(ConvTest.conv(c, bias, seed))
                            .input(Values.uniform(c.inputShape(), seed, -2, 2)).randomDirections(4).seed(seed).check());
                });
    }

    static Gen<PoolConfig> largePools() {
        return in -> {
            int kernel = range(2, 3).generate(in);
            int stride = range(1, kernel).generate(in);
            int size = range(8, 12).generate(in);
            return new PoolConfig(range(2, 4).generate(in), range(4, 8).generate(in), size, size, kernel, kernel,
                    stride, stride, 0, 0, 0, 0, 1, 1, booleans().generate(in));
        };
    }

    @Test
    void pools() {
        qt().withFixedSeed(273).withExamples(CASES).forAll(largePools(), Gens.seeds()).checkAssert((c, seed) -> {
            assertDirections(GradCheck.layer(new MaxPool2d(PoolTest.window(c))).input(Values.distinct(c.inputShape(),
                    seed)).step(PoolTest.MAX_POOL_STEP).randomDirections(4).seed(seed).check());
            assertDirections(GradCheck.layer(new AvgPool2d(PoolTest.window(c), true))
                    .input(Values.uniform(c.inputShape(), seed, -2, 2)).randomDirections(4).seed(seed).check());
        });
    }

    @Test
    void batchNorm2d() {
        Gen<Shape> shapes = in -> Shape.of(range(2, 4).generate(in), range(4, 8).generate(in),
                range(6, 10).generate(in), range(6, 10).generate(in));
        qt().withFixedSeed(274).withExamples(CASES).forAll(shapes, booleans(), Gens.seeds())
                .checkAssert((shape, training, seed) -> assertDirections(GradCheck.layer(BatchNormTest.layer(shape,
                        true, seed)).input(Values.distinctPerChannel(shape, seed, 0.05)).training(training).randomDirections(4)
                        .seed(seed).check()));
    }

    /**
     * Decoder-like transposed convolutions: 8 to 10 input channels, 3 to 5 output channels per
     * group, 3x3 or 4x4 kernels, stride 2 with padding 1 and output padding 0 or 1, inputs of 3 to
     * 5 pixels a side, batch 2 (outputs of 5x5 to 10x10, so the Jacobian is too large to take whole).
     */
    static Gen<TransposedConvConfig> largeTransposedConvs() {
        return in -> {
            int groups = range(1, 2).generate(in);
            int kernel = range(3, 4).generate(in);
            int size = range(3, 5).generate(in);
            int outputPadding = range(0, 1).generate(in);
            return new TransposedConvConfig(2, groups * range(8, 10).generate(in), size, size,
                    groups * range(3, 5).generate(in), kernel, kernel, 2, 2, 1, 1, 1, 1, outputPadding, outputPadding,
                    1, 1, groups);
        };
    }

    @Test
    void convTranspose2d() {
        qt().withFixedSeed(278).withExamples(CASES).forAll(largeTransposedConvs(), booleans(), Gens.seeds())
                .checkAssert((c, bias, seed) -> assertDirections(GradCheck.layer(ConvTransposeTest.layer(c, bias, seed))
                        .input(Values.uniform(c.inputShape(), seed, -2, 2)).randomDirections(4).seed(seed).check()));
    }

    @Test
    void upsample2d() {
        Gen<UpsampleConfig> configs = in -> new UpsampleConfig(range(2, 3).generate(in), range(4, 8).generate(in),
                range(6, 10).generate(in), range(6, 10).generate(in), range(2, 3).generate(in),
                range(2, 3).generate(in), booleans().generate(in));
        qt().withFixedSeed(279).withExamples(CASES).forAll(configs, Gens.seeds())
                .checkAssert((c, seed) -> assertDirections(GradCheck.layer(UpsampleTest.layer(c))
                        .input(Values.uniform(c.inputShape(), seed, -2, 2)).randomDirections(4).seed(seed).check()));
    }
}
