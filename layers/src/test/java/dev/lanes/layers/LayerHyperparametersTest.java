package dev.lanes.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What the layers say about themselves and what they refuse: every hyperparameter out of range is
 * refused with a message naming it (and the smallest value in range is accepted), the names spell
 * out what differs from the defaults, the accessors give back what was built, and the He-normal
 * initialisation has the spread sqrt(2 / fan-in) its javadoc promises.
 */
class LayerHyperparametersTest {
    @Test
    void convTranspose2dRefusesEachBadHyperparameterByName() {
        refused("ConvTranspose2d: inChannels must be positive, got 0",
                () -> ConvTranspose2d.builder(0, 2, 3).build());
        refused("ConvTranspose2d: outChannels must be positive, got 0",
                () -> ConvTranspose2d.builder(2, 0, 3).build());
        refused("ConvTranspose2d: kernelHeight must be positive, got 0",
                () -> ConvTranspose2d.builder(2, 2, 3).kernel(0, 3).build());
        refused("ConvTranspose2d: kernelWidth must be positive, got 0",
                () -> ConvTranspose2d.builder(2, 2, 3).kernel(3, 0).build());
        refused("ConvTranspose2d: strideHeight must be positive, got 0",
                () -> ConvTranspose2d.builder(2, 2, 3).stride(0, 1).build());
        refused("ConvTranspose2d: strideWidth must be positive, got 0",
                () -> ConvTranspose2d.builder(2, 2, 3).stride(1, 0).build());
        refused("ConvTranspose2d: dilationHeight must be positive, got 0",
                () -> ConvTranspose2d.builder(2, 2, 3).dilation(0, 1).build());
        refused("ConvTranspose2d: dilationWidth must be positive, got 0",
                () -> ConvTranspose2d.builder(2, 2, 3).dilation(1, 0).build());
        refused("ConvTranspose2d: groups must be positive, got 0",
                () -> ConvTranspose2d.builder(2, 2, 3).groups(0).build());
        refused("ConvTranspose2d: output padding along height must be from 0 to the stride minus one (1), got 2",
                () -> ConvTranspose2d.builder(2, 2, 3).stride(2, 3).outputPadding(2, 0).build());
        refused("ConvTranspose2d: output padding along width must be from 0 to the stride minus one (2), got 3",
                () -> ConvTranspose2d.builder(2, 2, 3).stride(2, 3).outputPadding(1, 3).build());
        // the smallest values in range are taken
        ConvTranspose2d smallest = ConvTranspose2d.builder(1, 1, 1).stride(2, 3).outputPadding(1, 2).build();
        assertEquals(1, smallest.inChannels());
        assertEquals(1, smallest.outChannels());
    }

    @Test
    void convTranspose2dNameSpellsOutWhatDiffersFromTheDefaults() {
        assertEquals("ConvTranspose2d(2 -> 4, 3x3)", ConvTranspose2d.builder(2, 4, 3).build().name());
        assertEquals("ConvTranspose2d(2 -> 4, 3x2, stride 2x1, pad 1,0,2,1, output pad 1x0, dilation 1x2, "
                        + "groups 2, no bias)",
                ConvTranspose2d.builder(2, 4, 3).kernel(3, 2).stride(2, 1).padding(1, 0, 2, 1).outputPadding(1, 0)
                        .dilation(1, 2).groups(2).bias(false).build().name());
        assertEquals("ConvTranspose2d(2 -> 4, 3x3, stride 1x2, pad 1, output pad 0x1, dilation 2x1)",
                ConvTranspose2d.builder(2, 4, 3).stride(1, 2).padding(1).outputPadding(0, 1).dilation(2, 1).build()
                        .name());
        assertEquals("ConvTranspose2d(2 -> 4, 3x3, stride 2, pad 0,1,0,0, output pad 1, dilation 2)",
                ConvTranspose2d.builder(2, 4, 3).stride(2).padding(0, 1, 0, 0).outputPadding(1).dilation(2).build()
                        .name());
        assertEquals("ConvTranspose2d(2 -> 4, 3x3, pad 0,0,1,0)",
                ConvTranspose2d.builder(2, 4, 3).padding(0, 0, 1, 0).build().name());
        assertEquals("ConvTranspose2d(2 -> 4, 3x3, pad 0,0,0,1)",
                ConvTranspose2d.builder(2, 4, 3).padding(0, 0, 0, 1).build().name());
    }

    /** Weights of (in, out / groups, r, s) with standard deviation sqrt(2 / (in / groups * r * s)). */
    @Test
    void heNormalSpreadFollowsTheFanIn() {
        long seed = 0x5eed1L;
        ConvTranspose2d layer = ConvTranspose2d.builder(8, 6, 3).kernel(3, 2).groups(2).seed(seed).build();
        float[] w = layer.weight().value().toArray();
        assertEquals(8 * 3 * 3 * 2, w.length);
        double expected = Math.sqrt(2.0 / (8 / 2 * 3 * 2));
        double squares = 0;
        for (float v : w) {
            squares += (double) v * v;
        }
        double std = Math.sqrt(squares / w.length);
        // 144 samples: the sample deviation is within 20% of sigma with probability above 0.999
        assertTrue(Math.abs(std / expected - 1) < 0.2, "std " + std + ", expected " + expected + " (seed " + seed + ")");
    }

    /** The smallest output the transposed convolution can make, 1x1, is accepted. */
    @Test
    void convTranspose2dTakesAnInputWhoseOutputIsOnePixel() {
        ConvTranspose2d layer = ConvTranspose2d.builder(1, 1, 3).padding(1).build();
        assertEquals(Shape.of(2, 1, 1, 1), layer.outputShape(Shape.of(2, 1, 1, 1)));
        refused("ConvTranspose2d(1 -> 1, 3x3, pad 2): input expected (N, 1, H, W) whose output is at least 1x1 "
                        + "(it would be -1x-1), got (2, 1, 1, 1)",
                () -> ConvTranspose2d.builder(1, 1, 3).padding(2).build().outputShape(Shape.of(2, 1, 1, 1)));
    }

    @Test
    void poolWindowRefusesEachBadHyperparameterByName() {
        refused("PoolWindow: kernel height must be positive, got 0", () -> PoolWindow.of(0, 2));
        refused("PoolWindow: kernel width must be positive, got 0", () -> PoolWindow.of(2, 0));
        refused("PoolWindow: stride height must be positive, got 0", () -> PoolWindow.of(2).stride(0, 1));
        refused("PoolWindow: stride width must be positive, got 0", () -> PoolWindow.of(2).stride(1, 0));
        refused("PoolWindow: dilation height must be positive, got 0", () -> PoolWindow.of(2).dilation(0, 1));
        refused("PoolWindow: dilation width must be positive, got 0", () -> PoolWindow.of(2).dilation(1, 0));
        assertEquals("3x2, stride 1x2, pad 1,0,0,0, dilation 2x1, ceil",
                PoolWindow.of(3, 2).stride(1, 2).padding(1, 0, 0, 0).dilation(2, 1).ceilMode(true).toString());
        assertEquals("2x2, stride 2, pad 0,0,0,1", PoolWindow.of(2).padding(0, 0, 0, 1).toString());
        assertEquals("2x2, stride 2, pad 1", PoolWindow.of(2).padding(1).toString());
    }

    @Test
    void accessorsGiveBackWhatWasBuilt() {
        Dense dense = new Dense(1, 1, 3L);
        assertEquals(1, dense.inFeatures());
        assertEquals(1, dense.outFeatures());
        Dense wide = new Dense(5, 3, 3L);
        assertEquals(5, wide.inFeatures());
        assertEquals(3, wide.outFeatures());

        Conv2d conv = Conv2d.builder(4, 6, 3).groups(2).build();
        assertEquals(4, conv.inChannels());
        assertEquals(6, conv.outChannels());
        assertEquals(2, conv.groups());
        assertEquals(3, conv.template().kernelHeight());
        assertEquals(2, conv.template().groups());

        ConvTranspose2d transposed = ConvTranspose2d.builder(3, 5, 2).build();
        assertEquals(3, transposed.inChannels());
        assertEquals(5, transposed.outChannels());

        BatchNorm2d norm = new BatchNorm2d(1, 0f, 0.25f, true);
        assertEquals(1, norm.channels());
        assertEquals(0f, norm.momentum());
        assertEquals(0.25f, norm.epsilon());
        assertEquals(1f, new BatchNorm1d(3, 1f, 1e-3f, false).momentum());

        assertSame(Upsample2d.Mode.BILINEAR, Upsample2d.bilinear(1).mode());
        assertSame(Upsample2d.Mode.NEAREST, Upsample2d.nearest(1, 2).mode());

        Dropout dropout = new Dropout(0.25f, 1L);
        assertEquals(0.25f, dropout.p());
        assertEquals("Dropout(p=0.25)", dropout.name());

        Dense first = new Dense(4, 3, 1L);
        ActivationLayer second = new ActivationLayer(dev.lanes.kernels.Activation.RELU);
        Sequential model = new Sequential(Shape.of(4), first, second);
        assertEquals(Shape.of(4), model.inputShape());
        assertEquals(List.of(first, second), model.layers());
        assertEquals(List.of("0", "1"), model.layerNames());
        assertEquals(model.summary(), model.toString());
        refused("Sequential(2 layers): input expected (N, 4), got (2, 5)",
                () -> model.outputShape(Shape.of(2, 5)));
    }

    @Test
    void batchNormAcceptsTheEdgesOfItsRanges() {
        refused("BatchNorm2d: channels must be positive, got 0", () -> new BatchNorm2d(0));
        refused("BatchNorm2d: momentum must be in [0, 1], got -0.1", () -> new BatchNorm2d(2, -0.1f, 1e-5f, true));
        refused("BatchNorm2d: momentum must be in [0, 1], got 1.1", () -> new BatchNorm2d(2, 1.1f, 1e-5f, true));
        // one channel, momentum 0 and 1, two values per channel in training: all allowed
        BatchNorm1d norm = new BatchNorm1d(1, 1f, 1e-5f, true);
        Tensor out = norm.forward(Tensor.fromArray(new float[] {1f, 3f}, 2, 1), true);
        assertEquals(-1f, out.get(0, 0), 1e-4f);
        assertEquals(1f, out.get(1, 0), 1e-4f);
        // momentum 1: the running statistics are the last batch's (variance unbiased: 2)
        assertEquals(2f, norm.runningMean().get(0));
        assertEquals(2f, norm.runningVar().get(0));
        assertEquals(0f, new BatchNorm1d(1, 0f, 1e-5f, true).momentum());
        refused("BatchNorm1d(1): training needs at least 2 values per channel, got input (1, 1)",
                () -> norm.forward(Tensor.fromArray(new float[] {1f}, 1, 1), true));
    }

    @Test
    void upsampleAcceptsScaleOneAndRefusesOutputsBeyondAnArray() {
        assertEquals(Shape.of(1, 2, 3, 4), Upsample2d.nearest(1).outputShape(Shape.of(1, 2, 3, 4)));
        refused("Upsample2d: scale factors must be positive, got 0 x 1", () -> Upsample2d.nearest(0, 1));
        refused("Upsample2d: scale factors must be positive, got 1 x 0", () -> Upsample2d.bilinear(1, 0));
        // the largest output allowed, Integer.MAX_VALUE - 64 elements (a shape only: nothing is allocated)
        int largest = Integer.MAX_VALUE - 64;
        assertEquals(Shape.of(1, 1, largest, 1), Upsample2d.nearest(1).outputShape(Shape.of(1, 1, largest, 1)));
        String name = Upsample2d.nearest(2, 3).name();
        refused(name + ": input expected (N, C, H, W) whose output fits in an array, got (3, 2, 20000, 10000)",
                () -> Upsample2d.nearest(2, 3).outputShape(Shape.of(3, 2, 20000, 10000)));
        refused(name + ": input expected (N, C, H, W) whose output fits in an array, got (1, 1, 1, 400000000)",
                () -> Upsample2d.nearest(2, 3).outputShape(Shape.of(1, 1, 1, 400000000)));
        refused(name + ": input expected (N, C, H, W) whose output fits in an array, got (1, 1, 400000000, 1)",
                () -> Upsample2d.nearest(2, 3).outputShape(Shape.of(1, 1, 400000000, 1)));
        refused(name + ": input expected (N, C, H, W) whose output fits in an array, got (1000, 1000, 30, 30)",
                () -> Upsample2d.nearest(2, 3).outputShape(Shape.of(1000, 1000, 30, 30)));
    }

    private static void refused(String message, Supplier<?> call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        assertEquals(message, e.getMessage());
    }
}
