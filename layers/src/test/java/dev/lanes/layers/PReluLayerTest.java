package dev.lanes.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** PReLU as a layer: slopes per channel (axis 1), the slope gradient accumulated, shape errors. */
class PReluLayerTest {
    @Test
    void slopesApplyPerChannelAndGradientsAccumulate() {
        PReLU layer = new PReLU(2);
        assertEquals("PReLU(2)", layer.name());
        assertEquals(1, layer.parameters().size());
        assertArrayEquals(new float[] {0.25f, 0.25f}, layer.slope().value().data());
        layer.slope().value().data()[1] = -0.5f;
        // (n 1, C 2, spatial 2)
        Tensor x = Tensor.fromArray(new float[] {-4f, 3f, -2f, 5f}, 1, 2, 2);
        Tensor y = layer.forward(x, true);
        assertArrayEquals(new float[] {-1f, 3f, 1f, 5f}, y.data());
        Tensor g = Tensor.fromArray(new float[] {1f, 2f, 3f, 4f}, 1, 2, 2);
        Tensor dx = layer.backward(g);
        assertArrayEquals(new float[] {0.25f, 2f, -1.5f, 4f}, dx.data());
        assertArrayEquals(new float[] {-4f, -6f}, layer.slope().grad().data());
        layer.backward(g);
        assertArrayEquals(new float[] {-8f, -12f}, layer.slope().grad().data());
    }

    @Test
    void wrongShapesAreNamed() {
        PReLU layer = new PReLU(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(2, 4), true));
        assertTrue(e.getMessage().contains("PReLU(3)") && e.getMessage().contains("(n, 3, ...)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.zeros(3), true));
        assertThrows(IllegalArgumentException.class, () -> new PReLU(0));
        assertThrows(IllegalStateException.class, () -> new PReLU(1).backward(Tensor.zeros(1, 1)));
    }
}
