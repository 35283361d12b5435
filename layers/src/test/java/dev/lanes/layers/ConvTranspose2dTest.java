package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ConvTranspose2dTest {
    private static final long SEED = 0x7c0171L;

    static ConvTranspose2d withGoldenParameters(ConvTranspose2d layer) {
        layer.weight().value().copyFrom(PyTorchGolden.filled(layer.weight().shape(), i -> Math.sin(1.3 * i)));
        layer.bias().value().copyFrom(PyTorchGolden.filled(layer.bias().shape(), i -> 0.1 * i - 0.2));
        return layer;
    }

    @Test
    void matchesPyTorch() throws IOException {
        Map<String, PyTorchGolden.Case> cases = PyTorchGolden.read();
        PyTorchGolden.check("convT_2_4_k3_s2_p1_op1_g2", cases.get("convT_2_4_k3_s2_p1_op1_g2"),
                withGoldenParameters(ConvTranspose2d.builder(2, 4, 3).stride(2).padding(1).outputPadding(1)
                        .groups(2).build()), Shape.of(2, 2, 3, 4));
        PyTorchGolden.check("convT_3_2_k2x3_s3x2_p0x1_op2x1_d1", cases.get("convT_3_2_k2x3_s3x2_p0x1_op2x1_d1"),
                withGoldenParameters(ConvTranspose2d.builder(3, 2, 1).kernel(2, 3).stride(3, 2).padding(0, 0, 1, 1)
                        .outputPadding(2, 1).build()), Shape.of(1, 3, 2, 3));
        PyTorchGolden.check("convT_1_2_k3_s1_p2_op0_d2", cases.get("convT_1_2_k3_s1_p2_op0_d2"),
                withGoldenParameters(ConvTranspose2d.builder(1, 2, 3).padding(2).dilation(2).build()),
                Shape.of(1, 1, 4, 4));
    }

    @Test
    void handCase() {
        // One pixel of value 2 and one of value 3, stride 2, a 2x2 kernel: each pixel stamps its
        // scaled kernel into its own 2x2 block, side by side.
        ConvTranspose2d layer = ConvTranspose2d.builder(1, 1, 2).stride(2).build();
        layer.weight().value().copyFrom(Tensor.fromArray(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        layer.bias().value().fill(0.5f);
        Tensor y = layer.forward(Tensor.fromArray(new float[] {2, 3}, 1, 1, 1, 2), false);
        assertEquals(Shape.of(1, 1, 2, 4), y.shape());
        assertArrayEquals(new float[] {2.5f, 4.5f, 3.5f, 6.5f, 6.5f, 8.5f, 9.5f, 12.5f}, y.toArray());
    }

    @Test
    void finiteDifferences() {
        ConvTranspose2d layer = ConvTranspose2d.builder(2, 3, 3).stride(2).padding(1).outputPadding(1).seed(SEED)
                .build();
        layer.bias().value().copyFrom(randn(SEED + 1, 3));
        FiniteDifference.check(layer, randn(SEED + 2, 2, 2, 3, 3), true, SEED);
    }

    @Test
    void workspacesAreKeptAndViewsReadLikeCopies() {
        ConvTranspose2d layer = ConvTranspose2d.builder(2, 3, 3).stride(2).seed(SEED).build();
        Tensor x = randn(SEED + 3, 2, 2, 4, 4);
        Tensor y = layer.forward(x, true);
        Tensor dx = layer.backward(randn(SEED + 4, y.shape().dims()));
        assertSame(y, layer.forward(x, true));
        assertSame(dx, layer.backward(randn(SEED + 4, y.shape().dims())));
        Tensor permuted = randn(SEED + 5, 2, 2, 4, 4).permute(1, 0, 2, 3);
        float[] viaView = layer.forward(permuted, true).toArray();
        assertArrayEquals(layer.forward(permuted.copy(), true).toArray(), viaView);
    }

    @Test
    @Tag("panama") // the scalar kernel set makes no allocation promise
    void steadyStateStepsAllocateNothing() {
        ConvTranspose2d layer = ConvTranspose2d.builder(4, 3, 3).stride(2).padding(1).outputPadding(1).seed(SEED)
                .build();
        Tensor x = randn(SEED + 6, 2, 4, 5, 5);
        Tensor g = randn(SEED + 7, 2, 3, 10, 10);
        assertEquals(0, Allocations.steadyState(() -> {
            layer.forward(x, true);
            layer.backward(g);
        }, 500, 100));
    }

    @Test
    void namesShapesAndErrors() {
        ConvTranspose2d layer = ConvTranspose2d.builder(8, 4, 3).stride(2).padding(1).outputPadding(1).bias(false)
                .seed(1).build();
        assertEquals("ConvTranspose2d(8 -> 4, 3x3, stride 2, pad 1, output pad 1, no bias)", layer.name());
        // (7 − 1)·2 − 2 + 2 + 1 + 1 = 14.
        assertEquals(Shape.of(5, 4, 14, 14), layer.outputShape(Shape.of(5, 8, 7, 7)));
        assertEquals(Shape.of(8, 4, 3, 3), layer.weight().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(2, 4, 7, 7), true));
        assertEquals("ConvTranspose2d(8 -> 4, 3x3, stride 2, pad 1, output pad 1, no bias): input expected "
                + "(N, 8, H, W), got (2, 4, 7, 7)", e.getMessage());
        ConvTranspose2d cropping = ConvTranspose2d.builder(1, 1, 1).padding(1).build();
        e = assertThrows(IllegalArgumentException.class, () -> cropping.outputShape(Shape.of(1, 1, 2, 2)));
        assertTrue(e.getMessage().contains("whose output is at least 1x1 (it would be 0x0)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> layer.backward(Tensor.zeros(5, 4, 14, 14)));
        layer.forward(Tensor.zeros(5, 8, 7, 7), true);
        e = assertThrows(IllegalArgumentException.class, () -> layer.backward(Tensor.zeros(5, 4, 14, 13)));
        assertTrue(e.getMessage().endsWith("gradOutput expected (5, 4, 14, 14), got (5, 4, 14, 13)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvTranspose2d.builder(1, 1, 3).stride(2).outputPadding(2).build());
        assertEquals("ConvTranspose2d: output padding along height must be from 0 to the stride minus one (1), got 2",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvTranspose2d.builder(3, 4, 3).groups(2).build());
        assertThrows(IllegalArgumentException.class, () -> ConvTranspose2d.builder(3, 4, 0).build());
        assertThrows(IllegalArgumentException.class, () -> ConvTranspose2d.builder(3, 4, 3).padding(-1).build());
    }
}
