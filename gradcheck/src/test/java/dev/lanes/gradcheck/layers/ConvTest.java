package dev.lanes.gradcheck.layers;

import static dev.lanes.gradcheck.layers.LayerLaws.values;
import static org.quicktheories.generators.Generate.booleans;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.ConvConfig;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.Conv2dReference;
import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.layers.Conv2d;
import org.junit.jupiter.api.Test;

/**
 * Conv2d over generated geometries: stride, asymmetric padding, dilation, groups (depthwise
 * included), batch and channel counts, with and without bias, training and inference mode; the
 * small ones run the kernels' direct path, {@link #gemm()} their im2col + GEMM path.
 */
class ConvTest {
    static Conv2d conv(ConvConfig c, boolean bias, long seed) {
        Conv2d conv = Conv2d.builder(c.inChannels(), c.outChannels(), 1).kernel(c.kernelHeight(), c.kernelWidth())
                .stride(c.strideHeight(), c.strideWidth()).padding(c.padTop(), c.padBottom(), c.padLeft(),
                        c.padRight()).dilation(c.dilationHeight(), c.dilationWidth()).groups(c.groups()).bias(bias)
                .seed(seed).build();
        if (bias) {
            Twins.randomize(conv.bias(), seed + 5, -1, 1);
        }
        return conv;
    }

    static Conv2dReference twin(Conv2d conv, ConvConfig c) {
        return new Conv2dReference(conv.template(), values(conv.weight().value()),
                conv.bias() == null ? null : values(conv.bias().value()));
    }

    @Test
    void gradients() {
        Cases.qt(241).forAll(Gens.conv(true), booleans(), Gens.trainingModes(), Gens.seeds())
                .checkAssert((c, bias, training, seed) -> GradCheck.layer(conv(c, bias, seed))
                        .input(Values.uniform(c.inputShape(), seed, -2, 2)).training(training).seed(seed).check());
    }

    /**
     * 4 to 5 channels per group and 3-wide kernels: reductions over 32, but fewer than 8 output
     * channels per group, so still the direct kernels (with long reductions); {@link #gemm()}
     * reaches the im2col + GEMM path.
     */
    static org.quicktheories.core.Gen<ConvConfig> wide() {
        return Gens.conv(true, 4, 5, 3);
    }

    /** Convolutions the kernels run with im2col + GEMM, as {@link #assertGemmPath} checks. */
    static org.quicktheories.core.Gen<ConvConfig> gemm() {
        return Gens.gemmConv(true);
    }

    /** The kernels' geometry of a configuration. */
    static ConvGeometry geometry(ConvConfig c) {
        return ConvGeometry.builder().input(c.inChannels(), c.height(), c.width()).outChannels(c.outChannels())
                .kernel(c.kernelHeight(), c.kernelWidth()).stride(c.strideHeight(), c.strideWidth())
                .padding(c.padTop(), c.padBottom(), c.padLeft(), c.padRight())
                .dilation(c.dilationHeight(), c.dilationWidth()).groups(c.groups()).build();
    }

    /** Fails unless the layer's passes run in the im2col + GEMM plan (not the direct kernels). */
    static void assertGemmPath(ConvConfig c) {
        if (!"PanamaConv2d".equals(dev.lanes.kernels.Conv2d.implementation()) || PanamaConv2d.usesDirect(geometry(c))) {
            throw new AssertionError(c + " does not reach the im2col + GEMM path (implementation "
                    + dev.lanes.kernels.Conv2d.implementation() + ")");
        }
    }

    @Test
    void gradientsOfGemmConvolutions() {
        Cases.qt(245).forAll(gemm(), booleans(), Gens.seeds()).checkAssert((c, bias, seed) -> {
            assertGemmPath(c);
            GradCheck.layer(conv(c, bias, seed)).input(Values.uniform(c.inputShape(), seed, -2, 2)).seed(seed).check();
        });
    }

    @Test
    void lawsOfGemmConvolutions() {
        Cases.qt(246).forAll(gemm(), booleans(), Gens.seeds()).checkAssert((c, bias, seed) -> {
            assertGemmPath(c);
            Conv2d conv = conv(c, bias, seed);
            LayerLaws.check(conv, twin(conv, c), Values.uniform(c.inputShape(), seed, -2, 2), true, seed, () -> { });
        });
    }

    @Test
    void gradientsOfWideConvolutions() {
        Cases.qt(243).forAll(wide(), booleans(), Gens.seeds())
                .checkAssert((c, bias, seed) -> GradCheck.layer(conv(c, bias, seed))
                        .input(Values.uniform(c.inputShape(), seed, -2, 2)).seed(seed).check());
    }

    @Test
    void lawsOfWideConvolutions() {
        Cases.qt(244).forAll(wide(), booleans(), Gens.seeds()).checkAssert((c, bias, seed) -> {
            Conv2d conv = conv(c, bias, seed);
            LayerLaws.check(conv, twin(conv, c), Values.uniform(c.inputShape(), seed, -2, 2), true, seed, () -> { });
        });
    }

    @Test
    void laws() {
        Cases.qt(242).forAll(Gens.conv(true), booleans(), Gens.trainingModes(), Gens.seeds())
                .checkAssert((c, bias, training, seed) -> {
                    Conv2d conv = conv(c, bias, seed);
                    LayerLaws.check(conv, twin(conv, c), Values.uniform(c.inputShape(), seed, -2, 2), training, seed,
                            () -> { });
                });
    }
}
