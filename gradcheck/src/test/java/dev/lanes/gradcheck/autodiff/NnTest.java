package dev.lanes.gradcheck.autodiff;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.autodiff.ConvSpec;
import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Nn;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.ConvConfig;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.PoolConfig;
import dev.lanes.gradcheck.Values;
import dev.lanes.layers.PoolWindow;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The neural-network operations over generated geometries: convolution with respect to input,
 * weight and bias (stride, asymmetric padding, dilation, groups; the kernels' direct and
 * im2col + GEMM paths; the full Jacobian up to 4,000 entries, random directions above), max, average and global pooling (max-pool inputs without ties in a
 * plane and an absolute step of 1/128, so no argmax moves), dropout in training and the dense
 * product.
 */
public class NnTest {
    static final double MAX_POOL_STEP = Values.DEFAULT_GAP / 8;
    /** Outputs x inputs up to which a convolution's full Jacobian is checked; random directions above. */
    static final long FULL_LIMIT = 4_000;

    /** The autodiff spec of a generated convolution configuration. */
    public static ConvSpec spec(ConvConfig c) {
        return ConvSpec.DEFAULT.stride(c.strideHeight(), c.strideWidth())
                .padding(c.padTop(), c.padBottom(), c.padLeft(), c.padRight())
                .dilation(c.dilationHeight(), c.dilationWidth()).groups(c.groups());
    }

    static PoolWindow window(PoolConfig c) {
        return PoolWindow.of(c.kernelHeight(), c.kernelWidth()).stride(c.strideHeight(), c.strideWidth())
                .padding(c.padTop(), c.padBottom(), c.padLeft(), c.padRight())
                .dilation(c.dilationHeight(), c.dilationWidth()).ceilMode(c.ceilMode());
    }

    @Test
    void conv2d() {
        Cases.qt(1661).forAll(booleans().all(), Gens.conv(true), Gens.gemmConv(true), Gens.seeds())
                .checkAssert((gemm, direct, viaGemm, seed) -> {
                    ConvConfig c = gemm ? viaGemm : direct;
                    ConvSpec spec = spec(c);
                    Tensor x = Values.uniform(c.inputShape(), seed, -2, 2);
                    Tensor w = Values.uniform(c.weightShape(), seed + 1, -1, 1);
                    Tensor b = Values.uniform(Shape.of(c.outChannels()), seed + 2, -1, 1);
                    Oracles.checkWithLimit("conv2d " + c, in -> Nn.conv2d(in[0], in[1], in[2], spec), seed,
                            FULL_LIMIT, x, w, b);
                });
    }

    @Test
    void pooling() {
        Cases.qt(1663).forAll(integers().between(0, 4), Gens.pool(true, true), Gens.seeds())
                .checkAssert((kind, c, seed) -> {
                    PoolWindow window = window(c);
                    String name = "pool " + kind + " " + c;
                    switch (kind) {
                        case 0 -> Oracles.checkWithStep(name, in -> Nn.maxPool2d(in[0], window), seed, MAX_POOL_STEP,
                                Values.distinct(c.inputShape(), seed));
                        case 1 -> Oracles.check(name, in -> Nn.avgPool2d(in[0], window, true), seed,
                                Values.uniform(c.inputShape(), seed, -2, 2));
                        case 2 -> Oracles.check(name, in -> Nn.avgPool2d(in[0], window, false), seed,
                                Values.uniform(c.inputShape(), seed, -2, 2));
                        case 3 -> Oracles.checkWithStep(name, in -> Nn.globalMaxPool2d(in[0]), seed, MAX_POOL_STEP,
                                Values.distinct(c.inputShape(), seed));
                        default -> Oracles.check(name, in -> Nn.globalAvgPool2d(in[0]), seed,
                                Values.uniform(c.inputShape(), seed, -2, 2));
                    }
                });
    }

    @Test
    void dropoutAndLinear() {
        Cases.qt(1665).forAll(booleans().all(), Gens.matrices(6), integers().between(1, 5), Gens.seeds())
                .checkAssert((dropout, shape, outputs, seed) -> {
                    Tensor x = Values.uniform(shape, seed, -2, 2);
                    if (dropout) {
                        Function f = in -> Nn.dropout(in[0], 0.4f, seed);
                        Oracles.check("dropout " + shape, f, seed, x);
                    } else {
                        Tensor w = Values.uniform(Shape.of(outputs, shape.dim(1)), seed + 1, -1, 1);
                        Tensor b = Values.uniform(Shape.of(outputs), seed + 2, -1, 1);
                        Oracles.check("linear " + shape + " to " + outputs, in -> Nn.linear(in[0], in[1], in[2]), seed,
                                x, w, b);
                    }
                });
    }
}
