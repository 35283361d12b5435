package dev.lanes.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {
    @Test
    void basics() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(3, s.rank());
        assertEquals(24, s.size());
        assertEquals(4, s.dim(2));
        assertEquals(4, s.dim(-1));
        assertEquals(2, s.dim(-3));
        assertEquals("(2, 3, 4)", s.toString());
        assertArrayEquals(new int[] {12, 4, 1}, s.contiguousStrides());
    }

    @Test
    void rankZeroAndEmpty() {
        assertEquals(0, Shape.scalar().rank());
        assertEquals(1, Shape.scalar().size());
        assertEquals("()", Shape.of().toString());
        assertEquals(Shape.scalar(), Shape.of());
        assertEquals(0, Shape.of(3, 0, 2).size());
        assertEquals("(5)", Shape.of(5).toString());
    }

    @Test
    void immutable() {
        int[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 7;
        s.dims()[1] = 9;
        assertEquals(Shape.of(2, 3), s);
    }

    @Test
    void equalsAndHashCode() {
        assertEquals(Shape.of(2, 3), Shape.of(2, 3));
        assertEquals(Shape.of(2, 3).hashCode(), Shape.of(2, 3).hashCode());
        assertNotEquals(Shape.of(2, 3), Shape.of(3, 2));
        assertNotEquals(Shape.of(2, 3), Shape.of(2, 3, 1));
        assertNotEquals(Shape.of(2), null);
    }

    @Test
    void broadcast() {
        assertEquals(Shape.of(4, 2, 3), Shape.broadcast(Shape.of(2, 1), Shape.of(4, 1, 3)));
        assertEquals(Shape.of(2, 3), Shape.broadcast(Shape.scalar(), Shape.of(2, 3)));
        assertEquals(Shape.of(0, 3), Shape.broadcast(Shape.of(0, 1), Shape.of(1, 3)));
        assertTrue(Shape.of(3).broadcastsTo(Shape.of(2, 3)));
        assertTrue(Shape.of(1, 3).broadcastsTo(Shape.of(2, 3)));
        assertFalse(Shape.of(2, 3).broadcastsTo(Shape.of(3)));
        assertFalse(Shape.of(2).broadcastsTo(Shape.of(2, 3)));
    }

    @Test
    void errorsNameTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertEquals("dimension 1 must be non-negative, got -1 in (2, -1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(2, 3), Shape.of(4)));
        assertEquals("shapes (2, 3) and (4) do not broadcast", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 3).dim(2));
        assertEquals("axis 2 is out of range for shape (2, 3) (rank 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Shape.of(65536, 65536));
        assertTrue(e.getMessage().contains("(65536, 65536) has more than 2147483647 elements"), e.getMessage());
    }
}
