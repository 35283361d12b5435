package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Upsample2dTest {
    private static final long SEED = 0x5a3b1eL;

    @Test
    void matchesPyTorch() throws IOException {
        Map<String, PyTorchGolden.Case> cases = PyTorchGolden.read();
        PyTorchGolden.check("nearest_2x3", cases.get("nearest_2x3"), Upsample2d.nearest(2, 3), Shape.of(2, 2, 3, 2));
        PyTorchGolden.check("bilinear_2", cases.get("bilinear_2"), Upsample2d.bilinear(2), Shape.of(1, 2, 3, 4));
        PyTorchGolden.check("bilinear_3x2", cases.get("bilinear_3x2"), Upsample2d.bilinear(3, 2),
                Shape.of(2, 1, 2, 3));
    }

    @Test
    void handCases() {
        Tensor x = Tensor.fromArray(new float[] {1, 3}, 1, 1, 1, 2);
        assertArrayEquals(new float[] {1, 1, 3, 3, 1, 1, 3, 3}, Upsample2d.nearest(2).forward(x, false).toArray());
        // Half-pixel centres: outputs at input coordinates 0 (clamped), 0.25, 0.75, 1.
        assertArrayEquals(new float[] {1, 1.5f, 2.5f, 3}, Upsample2d.bilinear(1, 2).forward(x, false).toArray());
        // Nearest copies values exactly, infinities and signed zeros included.
        Tensor special = Tensor.fromArray(new float[] {Float.POSITIVE_INFINITY, -0f}, 1, 1, 1, 2);
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, -0f, -0f},
                Upsample2d.nearest(1, 2).forward(special, false).toArray());
    }

    @Test
    void finiteDifferences() {
        FiniteDifference.check(Upsample2d.bilinear(2, 3), randn(SEED, 2, 2, 3, 2), true, SEED);
        FiniteDifference.check(Upsample2d.nearest(3, 2), randn(SEED + 1, 1, 2, 2, 3), true, SEED);
    }

    @Test
    void steadyStateStepsAllocateNothing() {
        for (Upsample2d up : new Upsample2d[] {Upsample2d.nearest(2), Upsample2d.bilinear(2, 3)}) {
            Tensor x = randn(SEED + 2, 2, 3, 5, 4);
            Tensor g = randn(SEED + 3, up.outputShape(x.shape()).dims());
            assertEquals(0, Allocations.steadyState(() -> {
                up.forward(x, true);
                up.backward(g);
            }, 2000, 200), up.name());
        }
    }

    @Test
    void namesShapesAndErrors() {
        Upsample2d up = Upsample2d.bilinear(2, 3);
        assertEquals("Upsample2d(bilinear, x2x3)", up.name());
        assertEquals("Upsample2d(nearest, x2)", Upsample2d.nearest(2).name());
        assertEquals(Shape.of(4, 3, 10, 15), up.outputShape(Shape.of(4, 3, 5, 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> up.forward(Tensor.zeros(2, 4), true));
        assertEquals("Upsample2d(bilinear, x2x3): input expected (N, C, H, W), got (2, 4)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> up.backward(Tensor.zeros(1, 1, 2, 3)));
        up.forward(Tensor.zeros(1, 1, 1, 1), true);
        e = assertThrows(IllegalArgumentException.class, () -> up.backward(Tensor.zeros(1, 1, 2, 2)));
        assertTrue(e.getMessage().endsWith("gradOutput expected (1, 1, 2, 3), got (1, 1, 2, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Upsample2d.nearest(0, 2));
        assertEquals("Upsample2d: scale factors must be positive, got 0 x 2", e.getMessage());
    }
}
