package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FlattenTest {
    @Test
    void flattensEverythingAfterTheBatch() {
        Flatten flatten = new Flatten();
        assertEquals(Shape.of(2, 60), flatten.outputShape(Shape.of(2, 3, 4, 5)));
        assertEquals(Shape.of(7, 1), flatten.outputShape(Shape.of(7)));
        assertEquals(Shape.of(0, 6), flatten.outputShape(Shape.of(0, 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> flatten.outputShape(Shape.scalar()));
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);
        Tensor y = flatten.forward(x, true);
        assertEquals(Shape.of(2, 12), y.shape());
        assertArrayEquals(x.toArray(), y.toArray());
        Tensor g = randn(1, 2, 12);
        Tensor dx = flatten.backward(g);
        assertEquals(Shape.of(2, 3, 4), dx.shape());
        assertArrayEquals(g.toArray(), dx.toArray());
    }

    @Test
    void nonContiguousInputIsCopiedInRowMajorOrder() {
        Flatten flatten = new Flatten();
        Tensor x = randn(2, 3, 2, 4).permute(1, 0, 2);
        Tensor y = flatten.forward(x, false);
        assertArrayEquals(x.toArray(), y.toArray());
        Tensor g = randn(3, 12, 2).transpose();
        assertArrayEquals(g.toArray(), flatten.backward(g).toArray());
    }

    @Test
    void viewsAreKeptForTheSameTensorAndDropWhenTheShapeChanges() {
        Flatten flatten = new Flatten();
        Tensor x = randn(4, 2, 3, 2);
        Tensor y = flatten.forward(x, true);
        assertSame(y, flatten.forward(x, true));
        Tensor g = randn(5, 2, 6);
        assertSame(flatten.backward(g), flatten.backward(g));
        Tensor other = randn(6, 2, 2, 3);
        assertEquals(Shape.of(2, 2, 3), flatten.backward(flatten.forward(other, true).copy()).shape());
        assertEquals(Shape.of(2, 6), flatten.forward(other, true).shape());
    }

    @Test
    void errorsNameTheLayerAndShapes() {
        Flatten flatten = new Flatten();
        assertThrows(IllegalStateException.class, () -> flatten.backward(Tensor.zeros(2, 6)));
        flatten.forward(Tensor.zeros(2, 3, 2), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> flatten.backward(Tensor.zeros(2, 5)));
        assertEquals("Flatten: gradOutput expected (2, 6), got (2, 5)", e.getMessage());
    }

    @Test
    void finiteDifferencesAndNoSteadyStateAllocation() {
        FiniteDifference.check(new Flatten(), randn(7, 2, 3, 2), true, 7);
        Flatten flatten = new Flatten();
        Tensor x = randn(8, 4, 3, 5, 5);
        Tensor g = randn(9, 4, 75);
        assertEquals(0, Allocations.steadyState(() -> {
            flatten.forward(x, true);
            flatten.backward(g);
        }, 2000, 500));
    }
}
