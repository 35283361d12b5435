package dev.lanes.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextAndCompareTest {
    private static Tensor of(float... values) {
        return Tensor.fromArray(values, values.length);
    }

    @Test
    void toStringNestsLikeNumpy() {
        assertEquals("Tensor(2, 3)\n[[0.0, 1.0, 2.0],\n [3.0, 4.0, 5.0]]",
                Tensor.arange(6).reshape(2, 3).toString());
        assertEquals("Tensor(2, 1, 2)\n[[[ 0.0, -1.5]],\n\n [[10.0,  3.0]]]",
                Tensor.fromArray(new float[] {0, -1.5f, 10, 3}, 2, 1, 2).toString());
        assertEquals("Tensor()\n2.5", Tensor.scalar(2.5f).toString());
        assertEquals("Tensor(0, 3)\n[]", Tensor.zeros(0, 3).toString());
        // A strided view prints its own elements.
        assertEquals("Tensor(3, 2)\n[[0.0, 3.0],\n [1.0, 4.0],\n [2.0, 5.0]]",
                Tensor.arange(6).reshape(2, 3).transpose().toString());
    }

    @Test
    void largeTensorsShowTheirEdges() {
        String text = Tensor.arange(2002).reshape(2, 1001).toString();
        assertEquals("Tensor(2, 1001)\n"
                + "[[   0.0,    1.0,    2.0, ...,  998.0,  999.0, 1000.0],\n"
                + " [1001.0, 1002.0, 1003.0, ..., 1999.0, 2000.0, 2001.0]]", text);
        String blocks = Tensor.arange(1100).reshape(11, 10, 10).toString();
        assertTrue(blocks.contains("]],\n\n ...,\n\n [["), blocks);
        assertTrue(blocks.startsWith("Tensor(11, 10, 10)\n[[[   0.0,    1.0,    2.0, ...,    7.0,    8.0,    9.0],\n"
                + "  [  10.0,   11.0,   12.0, ...,   17.0,   18.0,   19.0],"), blocks);
        // 6 of 11 blocks with 6 of 10 rows shown: one "..." per row, per block and between blocks.
        assertEquals(6 * 6 + 6 + 1, blocks.split("\\.\\.\\.", -1).length - 1, blocks);
        // At the threshold nothing is elided.
        assertFalse(Tensor.zeros(1000).toString().contains("..."));
    }

    @Test
    void allCloseFollowsNumpy() {
        Tensor b = of(1, 100, 0, Float.POSITIVE_INFINITY);
        assertTrue(Tensor.allClose(b, b, 0, 0));
        // |a - b| <= atol + rtol * |b|: the tolerance scales with the expected (second) argument.
        assertTrue(Tensor.allClose(of(1.1f), of(1f), 0.11, 0));
        assertFalse(Tensor.allClose(of(1f), of(1.1f), 0.05, 0));
        assertTrue(Tensor.allClose(of(1f), of(1.1f), 0.05, 0.06));
        assertTrue(Tensor.allClose(of(1e-9f), of(0f), 0, 1e-8));
        // NaN is close to nothing, equal infinities are close, unequal ones are not.
        assertFalse(Tensor.allClose(of(Float.NaN), of(Float.NaN), 1, 1));
        assertFalse(Tensor.allClose(of(Float.POSITIVE_INFINITY), of(Float.NEGATIVE_INFINITY), 1, 1));
        assertFalse(Tensor.allClose(of(Float.POSITIVE_INFINITY), of(1e30f), 1, 1));
        // Shapes must match; strides do not matter.
        assertFalse(Tensor.allClose(Tensor.zeros(2, 3), Tensor.zeros(3, 2), 1, 1));
        Tensor x = Tensor.arange(6).reshape(2, 3);
        assertTrue(Tensor.allClose(x.transpose().copy().transpose(), x, 0, 0));
    }

    @Test
    void mismatchNamesTheFirstIndexAndTheValues() {
        Tensor expected = Tensor.arange(6).reshape(2, 3);
        Tensor actual = expected.copy();
        actual.set(0, 2, 2.5f);
        actual.set(1, 1, 9f);
        assertEquals("not close (rtol 0.001, atol 0.0): 2 of 6 elements of shape (2, 3) differ; first at (0, 2):"
                + " actual 2.5, expected 2.0, |difference| 0.5000 > tolerance 0.002000;"
                + " largest |difference| 5.000 at (1, 1)", Tensor.mismatch(actual, expected, 1e-3, 0));
        assertNull(Tensor.mismatch(expected, expected.copy(), 0, 0));
        assertEquals("shapes differ: actual (3, 2), expected (2, 3)",
                Tensor.mismatch(expected.transpose(), expected, 1, 1));
        AssertionError error = assertThrows(AssertionError.class,
                () -> Tensor.assertAllClose(actual, expected, 1e-3, 0));
        assertTrue(error.getMessage().startsWith("not close"), error.getMessage());
        Tensor.assertAllClose(expected, expected.copy(), 0, 0);
        actual.set(0, 0, Float.NaN);
        assertTrue(Tensor.mismatch(actual, expected, 1, 1).contains("first at (0, 0): actual NaN, expected 0.0"));
        assertEquals("rtol and atol must be non-negative, got rtol -1.0, atol 0.0",
                assertThrows(IllegalArgumentException.class, () -> Tensor.allClose(actual, actual, -1, 0)).getMessage());
    }

    @Test
    void elementAccess() {
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        x.set(1, 2, 3, 4, 7f);
        assertEquals(7f, x.get(1, 2, 3, 4));
        assertEquals(7f, x.get(new int[] {1, 2, 3, 4}));
        x.set(new int[] {0, 1, 2, 3}, 8f);
        assertEquals(8f, x.get(0, 1, 2, 3));
        Tensor y = Tensor.zeros(2, 3, 4);
        y.set(1, 2, 3, 5f);
        assertEquals(5f, y.get(1, 2, 3));
        assertEquals(5f, y.get(-1 + 2, 2, 3));
        Tensor v = Tensor.zeros(3);
        v.set(2, 1f);
        assertEquals(1f, v.get(2));
        assertEquals(3f, Tensor.ones(1, 1, 1).mul(3f).item());
        assertEquals(4f, Tensor.scalar(4f).get());
        Tensor.scalar(0f).set(new int[0], 1f);
        // Five dimensions go through the varargs forms.
        Tensor five = Tensor.zeros(1, 2, 1, 2, 2);
        five.set(new int[] {0, 1, 0, 1, 1}, 3f);
        assertEquals(3f, five.get(0, 1, 0, 1, 1));
        assertEquals(3f, five.sum());
    }

    @Test
    void elementAccessErrors() {
        Tensor x = Tensor.zeros(2, 3);
        assertEquals("index 3 is out of range for axis 1 of shape (2, 3)",
                assertThrows(IllegalArgumentException.class, () -> x.get(0, 3)).getMessage());
        assertEquals("index -1 is out of range for axis 0 of shape (2, 3)",
                assertThrows(IllegalArgumentException.class, () -> x.set(-1, 0, 1f)).getMessage());
        assertEquals("a rank-1 index does not fit shape (2, 3)",
                assertThrows(IllegalArgumentException.class, () -> x.get(0)).getMessage());
        assertEquals("a rank-3 index does not fit shape (2, 3)",
                assertThrows(IllegalArgumentException.class, () -> x.get(0, 0, 0)).getMessage());
        assertEquals("index (0, 0, 0, 0, 0) does not have one entry per dimension of shape (2, 3)",
                assertThrows(IllegalArgumentException.class, () -> x.get(0, 0, 0, 0, 0)).getMessage());
        assertEquals("index (1, 7) is out of range for shape (2, 3)",
                assertThrows(IllegalArgumentException.class, () -> x.set(new int[] {1, 7}, 0f)).getMessage());
        assertEquals("item() needs exactly one element, got shape (2, 3)",
                assertThrows(IllegalArgumentException.class, x::item).getMessage());
    }
}
