package dev.lanes.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ViewTest {
    private static Tensor range(int... dims) {
        return Tensor.arange(Shape.of(dims).size()).reshape(dims);
    }

    private static String message(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }

    @Test
    void reshapeSharesDataAndHasRowMajorStrides() {
        Tensor x = range(2, 6);
        Tensor y = x.reshape(3, 2, 2);
        assertSame(x.data(), y.data());
        assertArrayEquals(new int[] {4, 2, 1}, y.strides());
        y.set(2, 1, 0, 100f);
        assertEquals(100f, x.get(1, 4));
        assertEquals(Shape.of(4, 3), x.reshape(-1, 3).shape());
        assertEquals(Shape.of(12), x.reshape(-1).shape());
        assertEquals(Shape.of(1, 12, 1), x.reshape(1, -1, 1).shape());
    }

    @Test
    void reshapeOfStridedViews() {
        Tensor x = range(4, 6);
        // Rows 1..2: still one contiguous block, so any reshape is a view.
        Tensor rows = x.slice(0, 1, 3);
        Tensor flat = rows.reshape(12);
        assertEquals(6, flat.offset());
        assertEquals(11f, flat.get(5));
        // Columns 0..3 of each row: rows keep stride 6; an axis can be split but not merged.
        Tensor cols = x.slice(1, 0, 4);
        Tensor split = cols.reshape(4, 2, 2);
        assertArrayEquals(new int[] {6, 2, 1}, split.strides());
        assertEquals(x.get(3, 3), split.get(3, 1, 1));
        assertEquals("cannot reshape (4, 4) with strides (6, 1) to (16) without copying;"
                + " use contiguous().reshape(...) to copy", message(() -> cols.reshape(16)));
        Tensor copied = cols.contiguous().reshape(16);
        assertEquals(x.get(3, 3), copied.get(15));
        // A transposed matrix: (3, 2) @ strides (1, 3) cannot be flattened, but unit axes can be added.
        Tensor t = range(2, 3).transpose();
        Tensor unit = t.reshape(3, 1, 2);
        assertEquals(1, unit.stride(0));
        assertEquals(3, unit.stride(2));
        assertEquals(t.get(2, 1), unit.get(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> t.reshape(6));
    }

    @Test
    void reshapeOfExpandedKeepsStrideZero() {
        Tensor row = Tensor.arange(3);
        Tensor x = row.expand(4, 3);
        Tensor y = x.reshape(2, 2, 3);
        assertArrayEquals(new int[] {0, 0, 1}, y.strides());
        assertThrows(IllegalArgumentException.class, () -> x.reshape(12));
    }

    @Test
    void permuteAndTranspose() {
        Tensor x = range(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertEquals(Shape.of(4, 2, 3), p.shape());
        assertArrayEquals(new int[] {1, 12, 4}, p.strides());
        assertSame(x.data(), p.data());
        assertEquals(x.get(1, 2, 3), p.get(3, 1, 2));
        assertFalse(p.isContiguous());
        Tensor t = x.transpose(0, -1);
        assertEquals(Shape.of(4, 3, 2), t.shape());
        assertEquals(x.get(1, 0, 3), t.get(3, 0, 1));
        assertEquals(Shape.of(2, 4, 3), x.transpose().shape());
        assertArrayEquals(new int[] {12, 1, 4}, x.transpose().strides());
        assertEquals(Shape.of(4, 2, 3), x.permute(-1, 0, 1).shape());
    }

    @Test
    void sliceNarrowSelect() {
        Tensor x = range(5, 4);
        Tensor s = x.slice(0, 1, 5, 2);
        assertEquals(Shape.of(2, 4), s.shape());
        assertArrayEquals(new int[] {8, 1}, s.strides());
        assertEquals(4, s.offset());
        assertEquals(x.get(3, 2), s.get(1, 2));
        Tensor odd = x.slice(1, 1, 4, 2);
        assertEquals(Shape.of(5, 2), odd.shape());
        assertEquals(x.get(4, 3), odd.get(4, 1));
        Tensor n = x.narrow(1, 2, 2);
        assertEquals(Shape.of(5, 2), n.shape());
        assertEquals(x.get(0, 2), n.get(0, 0));
        Tensor column = x.select(1, 3);
        assertEquals(Shape.of(5), column.shape());
        assertArrayEquals(new int[] {4}, column.strides());
        column.set(2, -1f);
        assertEquals(-1f, x.get(2, 3));
        assertEquals(Shape.of(0, 4), x.slice(0, 5, 5).shape());
        assertEquals(Shape.of(4), x.select(0, 4).shape());
    }

    @Test
    void viewOfViewComposition() {
        Tensor x = range(3, 4, 5);
        Tensor v = x.permute(2, 0, 1).slice(1, 1, 3).transpose(0, 2).slice(2, 1, 5, 2).select(1, 1);
        // v[i, j] = x.permute(2,0,1)[1 + 2j, 1 + 1, i] = x[2, i, 1 + 2j]
        assertEquals(Shape.of(4, 2), v.shape());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(x.get(2, i, 1 + 2 * j), v.get(i, j), "at " + i + ", " + j);
            }
        }
        assertSame(x.data(), v.data());
        Tensor c = v.contiguous();
        assertNotSame(v, c);
        assertTrue(c.isContiguous());
        assertArrayEquals(v.toArray(), c.toArray());
    }

    @Test
    void squeezeAndUnsqueeze() {
        Tensor x = range(1, 3, 1, 2);
        assertEquals(Shape.of(3, 2), x.squeeze().shape());
        assertEquals(Shape.of(1, 3, 2), x.squeeze(2).shape());
        assertEquals(Shape.of(3, 1, 2), x.squeeze(0).shape());
        Tensor y = range(3, 2);
        assertEquals(Shape.of(1, 3, 2), y.unsqueeze(0).shape());
        assertEquals(Shape.of(3, 1, 2), y.unsqueeze(1).shape());
        assertEquals(Shape.of(3, 2, 1), y.unsqueeze(2).shape());
        assertEquals(Shape.of(3, 2, 1), y.unsqueeze(-1).shape());
        assertEquals(Shape.of(1, 3, 2), y.unsqueeze(-3).shape());
        assertTrue(y.unsqueeze(1).isContiguous());
        assertTrue(y.unsqueeze(2).isContiguous());
        assertEquals(Shape.of(1), Tensor.scalar(3f).unsqueeze(0).shape());
        assertEquals("cannot squeeze axis 1 of shape (3, 2): its size is not 1", message(() -> y.squeeze(1)));
        assertEquals("axis 3 is out of range for unsqueeze of shape (3, 2) (must be in [-3, 2])",
                message(() -> y.unsqueeze(3)));
    }

    @Test
    void expandBroadcastsWithStrideZero() {
        Tensor column = Tensor.fromArray(new float[] {1, 2, 3}, 3, 1);
        Tensor e = column.expand(2, 3, 4);
        assertEquals(Shape.of(2, 3, 4), e.shape());
        assertArrayEquals(new int[] {0, 1, 0}, e.strides());
        assertEquals(3f, e.get(1, 2, 3));
        assertEquals(Shape.of(3, 5), column.expand(-1, 5).shape());
        assertEquals(Shape.of(2, 3), Tensor.scalar(7f).expand(Shape.of(2, 3)).shape());
        assertEquals(42f, Tensor.scalar(7f).expand(2, 3).sum());
        assertEquals("cannot expand (3, 1) to (2, 4)", message(() -> column.expand(2, 4)));
        assertEquals("cannot expand (3, 1) to (4): fewer dimensions", message(() -> column.expand(4)));
        assertEquals("cannot expand (3, 1) to (-1, 3, 2)", message(() -> column.expand(-1, 3, 2)));
        String error = message(() -> e.addInPlace(1f));
        assertEquals("addInPlace: cannot write to an expanded view (shape (2, 3, 4), strides (0, 1, 0)):"
                + " several elements share one location", error);
    }

    @Test
    void contiguousAndCopy() {
        Tensor x = range(3, 4);
        assertSame(x, x.contiguous());
        assertTrue(x.slice(0, 1, 3).isContiguous());
        assertFalse(x.slice(1, 1, 3).isContiguous());
        assertTrue(x.slice(1, 1, 2).slice(0, 0, 1).isContiguous());
        assertTrue(x.slice(0, 1, 1).isContiguous());
        Tensor c = x.copy();
        assertNotSame(x.data(), c.data());
        c.set(0, 0, 50f);
        assertEquals(0f, x.get(0, 0));
        Tensor t = x.transpose().copy();
        assertArrayEquals(new int[] {3, 1}, t.strides());
        assertEquals(12, t.data().length);
        assertEquals(x.get(2, 1), t.get(1, 2));
    }

    @Test
    void wrapSharesTheArrayAndChecksBounds() {
        float[] data = new float[10];
        Tensor x = Tensor.wrap(data, 1, Shape.of(3, 2), new int[] {3, 1});
        x.set(2, 1, 5f);
        assertEquals(5f, data[8]);
        assertSame(data, Tensor.wrap(data, 2, 5).data());
        assertEquals("shape (3, 2) with strides (4, 1) at offset 1 needs an array of length 11, got 10",
                message(() -> Tensor.wrap(data, 1, Shape.of(3, 2), new int[] {4, 1})));
        assertEquals("strides must be non-negative, got (-1)",
                message(() -> Tensor.wrap(data, 5, Shape.of(3), new int[] {-1})));
        assertEquals("data has length 10 but shape (3, 3) has 9 elements", message(() -> Tensor.wrap(data, 3, 3)));
    }

    @Test
    void viewErrorsNameTheArgument() {
        Tensor x = range(2, 3);
        assertEquals("cannot reshape (2, 3) (6 elements) to (4, 2) (8 elements)", message(() -> x.reshape(4, 2)));
        assertEquals("cannot reshape (2, 3) (6 elements) to (-1, 4)", message(() -> x.reshape(-1, 4)));
        assertEquals("cannot reshape (2, 3) to (-1, -1): dimensions must be non-negative, with at most one -1",
                message(() -> x.reshape(-1, -1)));
        assertEquals("permutation (0, 0) is not a permutation of the 2 axes of shape (2, 3)",
                message(() -> x.permute(0, 0)));
        assertEquals("permutation (0) does not list the 2 axes of shape (2, 3)", message(() -> x.permute(0)));
        assertEquals("permutation (0, 2) is not a permutation of the 2 axes of shape (2, 3)",
                message(() -> x.permute(0, 2)));
        assertEquals("slice [1, 4) is out of range for axis 1 of shape (2, 3)", message(() -> x.slice(1, 1, 4)));
        assertEquals("slice [2, 1) is out of range for axis 0 of shape (2, 3)", message(() -> x.slice(0, 2, 1)));
        assertEquals("step must be positive, got 0", message(() -> x.slice(0, 0, 1, 0)));
        assertEquals("index 3 is out of range for axis 1 of shape (2, 3)", message(() -> x.select(1, 3)));
        assertEquals("axis 2 is out of range for shape (2, 3) (rank 2)", message(() -> x.transpose(0, 2)));
        assertEquals("transpose() needs rank >= 2, got shape (6)", message(() -> x.reshape(6).transpose()));
    }
}
