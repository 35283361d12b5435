package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConvGeometryTest {
    private static ConvGeometry.Builder valid() {
        return ConvGeometry.builder().input(4, 10, 12).outChannels(6).kernel(3, 3);
    }

    @Test
    void outputSizeFollowsTheFloorFormula() {
        // (H + pt + pb - d*(R-1) - 1) / stride + 1, as PyTorch's Conv2d
        ConvGeometry g = valid().stride(2, 3).padding(1, 2, 0, 1).dilation(2, 1).build();
        assertEquals((10 + 1 + 2 - 2 * 2 - 1) / 2 + 1, g.outHeight());
        assertEquals((12 + 0 + 1 - 1 * 2 - 1) / 3 + 1, g.outWidth());
        ConvGeometry same = valid().padding(1).build();
        assertEquals(10, same.outHeight());
        assertEquals(12, same.outWidth());
        assertEquals(4 * 10 * 12, same.inputSize());
        assertEquals(6 * 10 * 12, same.outputSize());
        assertEquals(6 * 4 * 9, same.weightSize());
        assertEquals(36, same.reductionLength());
        assertEquals(2.0 * 3 * same.outputSize() * 36, same.flops(3));
    }

    @Test
    void kernelAsLargeAsThePaddedInputGivesOneOutput() {
        ConvGeometry g = ConvGeometry.builder().input(1, 5, 4).outChannels(1).kernel(7, 6).padding(1).build();
        assertEquals(1, g.outHeight());
        assertEquals(1, g.outWidth());
    }

    @Test
    void groupsSplitChannels() {
        ConvGeometry g = valid().input(6, 5, 5).outChannels(9).groups(3).build();
        assertEquals(2, g.inChannelsPerGroup());
        assertEquals(3, g.outChannelsPerGroup());
        assertEquals(9 * 2 * 9, g.weightSize());
    }

    @Test
    void valueSemantics() {
        assertEquals(valid().padding(1).build(), valid().padding(1).build());
        assertEquals(valid().padding(1).build().hashCode(), valid().padding(1).build().hashCode());
        assertNotEquals(valid().padding(1).build(), valid().padding(1, 1, 1, 0).build());
        assertTrue(valid().build().toString().contains("4x10x12 -> 6x8x10"), valid().build().toString());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.input(0, 10, 12), "inChannels must be positive, got 0"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.input(4, -1, 12), "inHeight must be positive, got -1"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.input(4, 10, 0), "inWidth must be positive, got 0"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.outChannels(0), "outChannels must be positive, got 0"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.kernel(0, 3), "kernelHeight must be positive, got 0"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.kernel(3, -2), "kernelWidth must be positive, got -2"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.stride(0, 1), "strideHeight must be positive, got 0"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.stride(1, 0), "strideWidth must be positive, got 0"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.padding(-1, 0, 0, 0), "padTop must be non-negative, got -1"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.padding(0, -1, 0, 0), "padBottom must be non-negative, got -1"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.padding(0, 0, -3, 0), "padLeft must be non-negative, got -3"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.padding(0, 0, 0, -1), "padRight must be non-negative, got -1"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.dilation(0, 1), "dilationHeight must be positive, got 0"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.dilation(1, -1), "dilationWidth must be positive, got -1"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.groups(0), "groups must be positive, got 0"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.groups(3), "inChannels 4 is not divisible by groups 3"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.input(6, 10, 12).outChannels(4).groups(3),
                        "outChannels 4 is not divisible by groups 3"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.kernel(11, 3),
                        "kernel height 11 with dilation 1 spans 11 but the padded input height is 10 + 0 + 0 = 10"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.dilation(1, 7).padding(0, 0, 1, 0),
                        "kernel width 3 with dilation 7 spans 15 but the padded input width is 12 + 1 + 0 = 13"),
                Arguments.of((UnaryOperator<ConvGeometry.Builder>) b -> b.input(50_000, 50_000, 2).kernel(1, 1),
                        "input size C*H*W is 5000000000, more than an array can hold"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void invalidGeometriesAreRejectedWithTheArgumentNamed(UnaryOperator<ConvGeometry.Builder> change, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
