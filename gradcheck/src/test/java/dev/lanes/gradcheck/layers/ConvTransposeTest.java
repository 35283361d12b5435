package dev.lanes.gradcheck.layers;

import static dev.lanes.gradcheck.layers.LayerLaws.values;
import static org.quicktheories.generators.Generate.booleans;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.TransposedConvConfig;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.ConvTranspose2dReference;
import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.layers.ConvTranspose2d;
import org.junit.jupiter.api.Test;

/**
 * ConvTranspose2d over generated geometries: stride, asymmetric padding, output padding,
 * dilation, groups, batch and channel counts, with and without bias, training and inference mode;
 * the small ones run the kernels' direct convolution path, {@link #gemm()} their im2col + GEMM
 * path (the layer runs on the convolution whose data gradient it is).
 */
class ConvTransposeTest {
    static ConvTranspose2d layer(TransposedConvConfig c, boolean bias, long seed) {
        ConvTranspose2d layer = ConvTranspose2d.builder(c.inChannels(), c.outChannels(), 1)
                .kernel(c.kernelHeight(), c.kernelWidth()).stride(c.strideHeight(), c.strideWidth())
                .padding(c.padTop(), c.padBottom(), c.padLeft(), c.padRight())
                .outputPadding(c.outputPaddingHeight(), c.outputPaddingWidth())
                .dilation(c.dilationHeight(), c.dilationWidth()).groups(c.groups()).bias(bias).seed(seed).build();
        if (bias) {
            Twins.randomize(layer.bias(), seed + 5, -1, 1);
        }
        return layer;
    }

    static ConvTranspose2dReference twin(ConvTranspose2d layer, TransposedConvConfig c) {
        return new ConvTranspose2dReference(c.inChannels(), c.outChannels(), c.kernelHeight(), c.kernelWidth(),
                c.strideHeight(), c.strideWidth(), c.padTop(), c.padBottom(), c.padLeft(), c.padRight(),
                c.outputPaddingHeight(), c.outputPaddingWidth(), c.dilationHeight(), c.dilationWidth(), c.groups(),
                values(layer.weight().value()), layer.bias() == null ? null : values(layer.bias().value()));
    }

    /** Transposed convolutions whose convolution the kernels run with im2col + GEMM. */
    static org.quicktheories.core.Gen<TransposedConvConfig> gemm() {
        return Gens.gemmTransposedConv(true);
    }

    /** Fails unless the layer's convolution runs in the im2col + GEMM plan (not the direct kernels). */
    static void assertGemmPath(TransposedConvConfig c) {
        ConvGeometry geometry = ConvGeometry.builder().input(c.outChannels(), c.outHeight(), c.outWidth())
                .outChannels(c.inChannels()).kernel(c.kernelHeight(), c.kernelWidth())
                .stride(c.strideHeight(), c.strideWidth()).padding(c.padTop(), c.padBottom(), c.padLeft(),
                        c.padRight()).dilation(c.dilationHeight(), c.dilationWidth()).groups(c.groups()).build();
        if (!"PanamaConv2d".equals(dev.lanes.kernels.Conv2d.implementation()) || PanamaConv2d.usesDirect(geometry)) {
            throw new AssertionError(c + " does not reach the im2col + GEMM path (implementation "
                    + dev.lanes.kernels.Conv2d.implementation() + ")");
        }
    }

    @Test
    void gradients() {
        Cases.qt(291).forAll(Gens.transposedConv(true), booleans(), Gens.trainingModes(), Gens.seeds())
                .checkAssert((c, bias, training, seed) -> GradCheck.layer(layer(c, bias, seed))
                        .input(Values.uniform(c.inputShape(), seed, -2, 2)).training(training).seed(seed).check());
    }

    @Test
    void laws() {
        Cases.qt(292).forAll(Gens.transposedConv(true), booleans(), Gens.trainingModes(), Gens.seeds())
                .checkAssert((c, bias, training, seed) -> {
                    ConvTranspose2d layer = layer(c, bias, seed);
                    LayerLaws.check(layer, twin(layer, c), Values.uniform(c.inputShape(), seed, -2, 2), training,
                            seed, () -> { });
                });
    }

    @Test
    void gradientsOnTheGemmPath() {
        Cases.qt(293).forAll(gemm(), booleans(), Gens.seeds()).checkAssert((c, bias, seed) -> {
            assertGemmPath(c);
            GradCheck.layer(layer(c, bias, seed)).input(Values.uniform(c.inputShape(), seed, -2, 2)).seed(seed)
                    .check();
        });
    }

    @Test
    void lawsOnTheGemmPath() {
        Cases.qt(294).forAll(gemm(), booleans(), Gens.seeds()).checkAssert((c, bias, seed) -> {
            assertGemmPath(c);
            ConvTranspose2d layer = layer(c, bias, seed);
            LayerLaws.check(layer, twin(layer, c), Values.uniform(c.inputShape(), seed, -2, 2), true, seed,
                    () -> { });
        });
    }
}
