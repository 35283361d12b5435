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

import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class ElementwiseTest {
    private static final long SEED = 0x5eed_0001L;

    /** Two operand shapes that broadcast to {@code out}, and a seed for values and layouts. */
    record Case(int[] out, int[] a, int[] b, long seed) {
        static Case of(int[] out, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            return new Case(out, operand(out, random), operand(out, random), seed);
        }

        // A suffix of out's dims, some replaced by 1.
        private static int[] operand(int[] out, SplittableRandom random) {
            int rank = random.nextInt(out.length + 1);
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                int d = out[out.length - rank + i];
                dims[i] = random.nextInt(3) == 0 ? 1 : d;
            }
            return dims;
        }

        // The broadcast shape, by the rule written out: aligned at the end, a 1 takes the other dim.
        int[] expectedDims() {
            int rank = Math.max(a.length, b.length);
            int[] dims = new int[rank];
            for (int i = 1; i <= rank; i++) {
                int da = i <= a.length ? a[a.length - i] : 1;
                int db = i <= b.length ? b[b.length - i] : 1;
                dims[rank - i] = da == 1 ? db : da;
            }
            return dims;
        }

        @Override
        public String toString() {
            return "a " + str(a) + " op b " + str(b) + " (from " + str(out) + "), seed " + seed;
        }
    }

    static Gen<Case> cases() {
        return intArrays(range(0, 4), range(0, 4)).zip(longRange(0, Long.MAX_VALUE), Case::of);
    }

    private static String message(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }

    // The naive reference: every output element read through get() at its broadcast indices.
    private static void assertBroadcast(Tensor expectedA, Tensor expectedB, Tensor actual, BinaryOperator<Float> op,
                                        String what) {
        int[] dims = actual.shape().dims();
        forEachIndex(dims, index -> {
            float x = expectedA.get(broadcastIndex(index, expectedA.shape().dims()));
            float y = expectedB.get(broadcastIndex(index, expectedB.shape().dims()));
            float want = op.apply(x, y);
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(actual.get(index)),
                    what + " at " + str(index) + ": " + x + ", " + y + " gave " + actual.get(index));
        });
    }

    @Test
    void broadcastingMatchesNaiveReference() {
        qt().withFixedSeed(SEED).withExamples(300).forAll(cases()).checkAssert(c -> {
            Tensor a = TestTensors.random(c.a, c.seed);
            Tensor b = TestTensors.random(c.b, ~c.seed);
            float[] aBefore = a.toArray();
            assertBroadcast(a, b, a.add(b), (x, y) -> x + y, "add " + c);
            assertBroadcast(a, b, a.sub(b), (x, y) -> x - y, "sub " + c);
            assertBroadcast(a, b, a.mul(b), (x, y) -> x * y, "mul " + c);
            assertBroadcast(a, b, a.div(b), (x, y) -> x / y, "div " + c);
            assertBroadcast(a, b, a.maximum(b), Math::max, "maximum " + c);
            assertBroadcast(a, b, a.minimum(b), Math::min, "minimum " + c);
            assertEquals(Shape.of(c.expectedDims()), a.add(b).shape(), c.toString());
            assertTrue(a.add(b).isContiguous(), c.toString());
            assertArrayEquals(aBefore, a.toArray(), "input changed: " + c);
        });
    }

    @Test
    void outFormsWriteIntoStridedViewsOnly() {
        qt().withFixedSeed(SEED + 1).withExamples(200).forAll(cases()).checkAssert(c -> {
            Tensor a = TestTensors.random(c.a, c.seed);
            Tensor b = TestTensors.random(c.b, ~c.seed);
            Shape shape = Shape.broadcast(a.shape(), b.shape());
            Tensor out = TestTensors.random(shape.dims(), c.seed + 7); // a strided view with NaN padding
            Tensor.add(out, a, b);
            assertBroadcast(a, b, out, (x, y) -> x + y, "add(out) " + c);
            Tensor.mul(out, a, b);
            assertBroadcast(a, b, out, (x, y) -> x * y, "mul(out) " + c);
            // NaN padding around a strided out must stay NaN: nothing outside the view was written.
            float[] data = out.data();
            int nanCount = 0;
            for (float v : data) {
                nanCount += Float.isNaN(v) ? 1 : 0;
            }
            assertEquals(data.length - out.size(), nanCount, "padding written: " + c);
        });
    }

    @Test
    void inPlaceOpsBroadcastTheOperand() {
        qt().withFixedSeed(SEED + 2).withExamples(200).forAll(cases()).checkAssert(c -> {
            Tensor target = TestTensors.random(c.out, c.seed);
            Tensor b = TestTensors.random(c.b, ~c.seed);
            Tensor before = target.copy();
            assertBroadcast(before, b, target.addInPlace(b), (x, y) -> x + y, "addInPlace " + c);
            before = target.copy();
            assertBroadcast(before, b, target.subInPlace(b), (x, y) -> x - y, "subInPlace " + c);
            before = target.copy();
            assertBroadcast(before, b, target.mulInPlace(b), (x, y) -> x * y, "mulInPlace " + c);
            before = target.copy();
            assertBroadcast(before, b, target.axpyInPlace(0.5f, b), (x, y) -> x + 0.5f * y, "axpyInPlace " + c);
            before = target.copy();
            assertBroadcast(before, b, target.copyFrom(b), (x, y) -> y, "copyFrom " + c);
        });
    }

    @Test
    void scalarOps() {
        Tensor x = Tensor.fromArray(new float[] {1, -2, 3, Float.NaN}, 2, 2);
        assertArrayEquals(new float[] {3, 0, 5, Float.NaN}, x.add(2f).toArray());
        assertArrayEquals(new float[] {-1, -4, 1, Float.NaN}, x.sub(2f).toArray());
        assertArrayEquals(new float[] {2, -4, 6, Float.NaN}, x.mul(2f).toArray());
        assertArrayEquals(new float[] {0.5f, -1, 1.5f, Float.NaN}, x.div(2f).toArray());
        assertArrayEquals(new float[] {1, 0, 3, Float.NaN}, x.maximum(0f).toArray());
        assertArrayEquals(new float[] {0, -2, 0, Float.NaN}, x.minimum(0f).toArray());
        assertArrayEquals(new float[] {1, -1, 1, Float.NaN}, x.clamp(-1, 1).toArray());
        assertArrayEquals(new float[] {-1, 2, -3, Float.NaN}, x.neg().toArray());
        assertArrayEquals(new float[] {1, 2, 3, Float.NaN}, x.abs().toArray());
        assertArrayEquals(new float[] {1, 4, 9, Float.NaN}, x.square().toArray());
        Tensor y = x.copy().addInPlace(1f).scaleInPlace(-2f);
        assertArrayEquals(new float[] {-4, 2, -8, Float.NaN}, y.toArray());
        assertEquals("clamp needs min <= max, got min 1.0, max -1.0", message(() -> x.clamp(1, -1)));
    }

    @Test
    void transcendentalsWithinOneUlpOfStrictMath() {
        SplittableRandom random = new SplittableRandom(SEED);
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble(-80, 80));
        }
        Tensor x = Tensor.fromArray(values, 10, 100).transpose(); // a strided input
        Tensor exp = x.exp();
        Tensor log = x.abs().log();
        Tensor sqrt = x.abs().sqrt();
        forEachIndex(x.shape().dims(), index -> {
            float v = x.get(index);
            assertUlp((float) StrictMath.exp(v), exp.get(index), "exp(" + v + ")");
            assertUlp((float) StrictMath.log(Math.abs(v)), log.get(index), "log(" + Math.abs(v) + ")");
            assertUlp((float) StrictMath.sqrt(Math.abs(v)), sqrt.get(index), "sqrt(" + Math.abs(v) + ")");
        });
    }

    private static void assertUlp(float expected, float actual, String what) {
        assertTrue(Math.abs(expected - actual) <= Math.ulp(expected), what + ": expected " + expected + ", got "
                + actual + " (seed " + SEED + ")");
    }

    @Test
    void fillTouchesOnlyTheView() {
        Tensor base = Tensor.full(Shape.of(4, 5), -1f);
        base.slice(1, 1, 5, 2).slice(0, 1, 3).fill(9f);
        float[] expected = {
            -1, -1, -1, -1, -1,
            -1, 9, -1, 9, -1,
            -1, 9, -1, 9, -1,
            -1, -1, -1, -1, -1};
        assertArrayEquals(expected, base.toArray());
        base.select(0, 3).zero();
        assertEquals(0f, base.get(3, 4));
    }

    @Test
    void overlappingOperandsAreReadBeforeWriting() {
        // x += x[0, :]: the broadcast row is part of x and changes during the loop.
        Tensor x = Tensor.arange(9).reshape(3, 3);
        Tensor expected = x.copy().add(x.select(0, 0).copy());
        assertArrayEquals(expected.toArray(), x.addInPlace(x.select(0, 0)).toArray());
        // x += x^T: a symmetric result only if the transpose is read before it is written.
        Tensor y = Tensor.arange(9).reshape(3, 3);
        Tensor symmetric = y.copy().add(y.transpose().copy());
        assertArrayEquals(symmetric.toArray(), y.addInPlace(y.transpose()).toArray());
        // A shifted window: out = columns 1..3, input = columns 0..2 of the same array.
        Tensor z = Tensor.arange(8).reshape(2, 4);
        Tensor left = z.slice(1, 0, 3);
        Tensor shifted = left.copy().mul(10f);
        Tensor.mul(z.slice(1, 1, 4), left, Tensor.scalar(10f));
        assertArrayEquals(shifted.toArray(), z.slice(1, 1, 4).toArray());
        // Identical views (element for element) need no copy and give the same result.
        Tensor w = Tensor.arange(6).reshape(2, 3);
        Tensor.add(w, w, w.reshape(2, 3));
        assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10}, w.toArray());
    }

    @Test
    void errorsNameBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4);
        assertEquals("add: shapes (2, 3) and (4) do not broadcast", message(() -> a.add(b)));
        assertEquals("maximum: shapes (2, 3) and (4) do not broadcast", message(() -> a.maximum(b)));
        assertEquals("addInPlace: shape (4) does not broadcast to (2, 3)", message(() -> a.addInPlace(b)));
        assertEquals("mulInPlace: shape (2, 3) does not broadcast to (3)",
                message(() -> Tensor.zeros(3).mulInPlace(a)));
        assertEquals("copyFrom: shape (4) does not broadcast to (2, 3)", message(() -> a.copyFrom(b)));
        assertEquals("sub: out has shape (3, 2) but (2, 3) and (3) broadcast to (2, 3)",
                message(() -> Tensor.sub(Tensor.zeros(3, 2), a, Tensor.zeros(3))));
    }
}
