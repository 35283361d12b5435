package dev.lanes.tensor;

import static dev.lanes.tensor.TestTensors.broadcastIndex;
import static dev.lanes.tensor.TestTensors.forEachIndex;
import static dev.lanes.tensor.TestTensors.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.intArrays;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.range;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReductionTest {
    private static final long SEED = 0x5eed_0002L;

    private static String message(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }

    // Naive: out index = x index with the axis set to 0, then squeezed.
    private static float[] naiveAlongAxis(Tensor x, int axis, boolean max) {
        int[] dims = x.shape().dims();
        int[] kept = dims.clone();
        kept[axis] = 1;
        Tensor out = Tensor.full(Shape.of(kept), max ? Float.NEGATIVE_INFINITY : 0f);
        forEachIndex(dims, index -> {
            int[] o = index.clone();
            o[axis] = 0;
            float v = x.get(index);
            out.set(o, max ? Math.max(out.get(o), v) : out.get(o) + v);
        });
        return out.toArray();
    }

    @Test
    void axisReductionsMatchNaiveLoops() {
        // Small-integer values: every sum is exact, so equality is the right check.
        qt().withFixedSeed(SEED).withExamples(300)
                .forAll(intArrays(range(1, 4), range(0, 5)), longRange(0, Long.MAX_VALUE))
                .checkAssert((dims, seed) -> {
                    Tensor x = TestTensors.random(dims, seed);
                    String what = "shape " + str(dims) + ", seed " + seed;
                    for (int axis = 0; axis < dims.length; axis++) {
                        float[] sum = naiveAlongAxis(x, axis, false);
                        assertArrayEquals(sum, x.sum(axis).toArray(), "sum axis " + axis + " " + what);
                        assertArrayEquals(sum, x.sum(axis - dims.length, true).toArray(), "sum keep " + what);
                        int[] kept = dims.clone();
                        kept[axis] = 1;
                        assertEquals(Shape.of(kept), x.sum(axis, true).shape(), what);
                        assertEquals(x.shape().rank() - 1, x.sum(axis).rank(), what);
                        if (dims[axis] > 0) {
                            assertArrayEquals(naiveAlongAxis(x, axis, true), x.max(axis).toArray(),
                                    "max axis " + axis + " " + what);
                            float[] mean = sum.clone();
                            for (int i = 0; i < mean.length; i++) {
                                mean[i] = (float) ((double) mean[i] / dims[axis]);
                            }
                            float[] actual = x.mean(axis).toArray();
                            for (int i = 0; i < mean.length; i++) {
                                assertEquals(mean[i], actual[i], Math.ulp(mean[i]), "mean axis " + axis + " " + what);
                            }
                        }
                    }
                    float total = 0;
                    for (float v : x.toArray()) {
                        total += v;
                    }
                    assertEquals(total, x.sum(), what);
                });
    }

    @Test
    void sumToReversesBroadcasting() {
        qt().withFixedSeed(SEED + 1).withExamples(300).forAll(ElementwiseTest.cases()).checkAssert(c -> {
            Tensor x = TestTensors.random(c.out(), c.seed());
            int[] target = c.a();
            Tensor expected = Tensor.zeros(target);
            forEachIndex(c.out(), index -> {
                int[] t = broadcastIndex(index, target);
                expected.set(t, expected.get(t) + x.get(index));
            });
            assertArrayEquals(expected.toArray(), x.sumTo(Shape.of(target)).toArray(), "sumTo " + c);
            // The out form, accumulating into a strided view.
            Tensor out = TestTensors.random(target, c.seed() + 3);
            Tensor before = out.copy();
            Tensor.sumTo(out, x, true);
            assertArrayEquals(before.add(expected).toArray(), out.toArray(), "sumTo accumulate " + c);
            Tensor.sumTo(out, x, false);
            assertArrayEquals(expected.toArray(), out.toArray(), "sumTo overwrite " + c);
        });
    }

    @Test
    void wholeTensorReductions() {
        Tensor x = Tensor.fromArray(new float[] {3, -1, 7, 2, 7, -5}, 2, 3);
        assertEquals(13f, x.sum());
        assertEquals(13f / 6, x.mean(), 1e-6f);
        assertEquals(7f, x.max());
        assertEquals(-5f, x.min());
        assertEquals(9f, x.transpose().slice(1, 0, 1).sum()); // row 0 of x: 3 - 1 + 7
        assertEquals(0f, Tensor.zeros(3, 0).sum());
        assertTrue(Float.isNaN(Tensor.zeros(0).mean()));
        assertEquals(4.5f, Tensor.scalar(4.5f).sum());
        // One NaN anywhere makes max and min NaN, even after larger values.
        x.set(1, 1, Float.NaN);
        assertTrue(Float.isNaN(x.max()));
        assertTrue(Float.isNaN(x.min()));
        assertTrue(Float.isNaN(x.max(0).get(1)));
        assertEquals(7f, x.max(0).get(2));
        assertEquals("max of an empty tensor of shape (2, 0)", message(() -> Tensor.zeros(2, 0).max()));
        assertEquals("max along axis 1 of shape (2, 0): the axis is empty", message(() -> Tensor.zeros(2, 0).max(1)));
        assertEquals(Shape.of(0), Tensor.zeros(0, 3).max(1).shape());
        assertEquals("axis 2 is out of range for shape (2, 3) (rank 2)", message(() -> x.sum(2)));
    }

    @Test
    void sumAccumulatesInDouble() {
        // 2^24 + 1 + 1 + ...: a float accumulator would stay at 2^24.
        float[] values = new float[1001];
        Arrays.fill(values, 1f);
        values[0] = 1 << 24;
        assertEquals((1 << 24) + 1000, Tensor.fromArray(values, 1001).sum());
    }

    @Test
    void argmax() {
        Tensor x = Tensor.fromArray(new float[] {
            1, 5, 5, 0,
            -3, -2, -9, -2,
            0, Float.NaN, 9, Float.NaN}, 3, 4);
        assertArrayEquals(new int[] {1, 1, 1}, x.argmax(1)); // ties: first; NaN: first NaN
        assertArrayEquals(new int[] {1, 1, 1}, x.argmax(-1));
        assertArrayEquals(new int[] {0, 2, 2, 2}, x.argmax(0));
        assertArrayEquals(new int[] {0, 2, 2, 2}, x.transpose().argmax(1));
        Tensor y = Tensor.arange(24).reshape(2, 3, 4).permute(1, 2, 0); // (3, 4, 2), strided
        int[] expected = new int[12];
        Arrays.fill(expected, 1);
        assertArrayEquals(expected, y.argmax(2));
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2, 2}, y.argmax(0));
        assertEquals("argmax along axis 0 of shape (0, 2): the axis is empty",
                message(() -> Tensor.zeros(0, 2).argmax(0)));
    }

    @Test
    void sumToOfItself() {
        Tensor x = Tensor.arange(6).reshape(2, 3);
        Tensor.sumTo(x, x, false);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, x.toArray());
        Tensor.sumTo(x, x, true);
        assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10}, x.toArray());
        Tensor.sumTo(x.select(0, 0), x, false); // row 0 = the column sums, read before writing
        assertArrayEquals(new float[] {6, 10, 14, 6, 8, 10}, x.toArray());
    }

    @Test
    void sumToErrors() {
        assertEquals("sumTo: shape (2) does not broadcast to (3, 3)",
                message(() -> Tensor.zeros(3, 3).sumTo(Shape.of(2))));
        assertEquals("sumTo: cannot write to an expanded view (shape (3), strides (0)): several elements"
                + " share one location", message(() -> Tensor.sumTo(Tensor.zeros(1).expand(3), Tensor.zeros(3), true)));
    }
}
