package dev.lanes.tensor;

import static dev.lanes.tensor.TestTensors.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.intArrays;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.range;

import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * A contiguous tensor takes the {@code dev.lanes.kernels} paths of {@link InnerLoops}; the same
 * values in a strided layout (every axis stride at least 2) take the plain loops. Both must give
 * the same bits (NaN compared as NaN), with NaN, ±0 and ±Inf among the values and ties in
 * argmax, over generated shapes whose last axis spans the vector tails of every width.
 */
class KernelPathTest {
    private static final long SEED = 0x5eed_0007L;
    private static final int EXAMPLES = 150;

    /** A shape (rank 1 to 3, last axis 1 to 70) and a seed for values and layout. */
    record Case(int[] dims, long seed) {
        static Case of(int[] outer, int last, long seed) {
            int[] dims = java.util.Arrays.copyOf(outer, outer.length + 1);
            dims[outer.length] = last;
            return new Case(dims, seed);
        }

        @Override
        public String toString() {
            return "shape " + str(dims) + ", seed " + seed;
        }
    }

    static Gen<Case> cases() {
        return intArrays(range(0, 2), range(1, 5)).zip(range(1, 70), longRange(0, Long.MAX_VALUE), Case::of);
    }

    /**
     * Values drawn from {@code seed}: small integers with both zeros (ties), or normals; about one
     * in eight a NaN, an infinity or a signed zero.
     */
    static Tensor values(int[] dims, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean ties = random.nextBoolean();
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f};
        Tensor x = Tensor.zeros(dims);
        float[] data = x.data();
        for (int i = 0; i < data.length; i++) {
            if (random.nextInt(8) == 0) {
                data[i] = special[random.nextInt(special.length)];
            } else if (ties) {
                int v = random.nextInt(-3, 4);
                data[i] = v == 0 && random.nextBoolean() ? -0f : v;
            } else {
                data[i] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    /** A copy of x in a layout with the axes stored in a random order and every stride >= 2. */
    static Tensor strided(Tensor x, SplittableRandom random) {
        int r = x.rank();
        int[] order = TestTensors.permutation(r, random);
        int[] baseDims = new int[r + 1];
        for (int i = 0; i < r; i++) {
            baseDims[i] = x.dim(order[i]);
        }
        baseDims[r] = 2;
        Tensor base = Tensor.full(Shape.of(baseDims), Float.NaN);
        Tensor view = base.select(r, 0).permute(TestTensors.inverse(order));
        view.copyFrom(x);
        return view;
    }

    private static void assertSame(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        assertArrayEquals(expected.toArray(), actual.toArray(), what); // floatToIntBits: NaN == NaN
    }

    /** A copy of t in t's kind of layout: contiguous, or strided as {@link #strided}. */
    private static Tensor like(Tensor t) {
        return t.isContiguous() ? t.copy() : strided(t, new SplittableRandom(t.size()));
    }

    // op on contiguous operands (the kernel paths) against op on strided ones (the loops).
    private static void check(Case c, String name, BiFunction<Tensor, Tensor, Tensor> op) {
        Tensor x = values(c.dims(), c.seed());
        Tensor b = values(c.dims(), c.seed() ^ 0x9e3779b97f4a7c15L);
        Tensor xStrided = strided(x, new SplittableRandom(~c.seed()));
        Tensor bStrided = strided(b, new SplittableRandom(c.seed() + 1));
        assertTrue(x.size() <= 1 || !xStrided.isContiguous() && !bStrided.isContiguous(), c.toString());
        Tensor expected = op.apply(x, b);
        assertSame(expected, op.apply(xStrided, bStrided), name + ", " + c);
        assertSame(expected, op.apply(x, bStrided), name + " (b strided), " + c);
    }

    @Test
    void unaryOpsAgree() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
            check(c, "copy", (x, b) -> x.copy());
            check(c, "neg", (x, b) -> x.neg());
            check(c, "abs", (x, b) -> x.abs());
            check(c, "square", (x, b) -> x.square());
            check(c, "exp", (x, b) -> x.exp());
            check(c, "log", (x, b) -> x.log());
            check(c, "sqrt", (x, b) -> x.sqrt());
            check(c, "copyFrom", (x, b) -> like(x).copyFrom(b));
        });
    }

    @Test
    void binaryOpsAgree() {
        qt().withFixedSeed(SEED + 1).withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
            check(c, "add", Tensor::add);
            check(c, "sub", Tensor::sub);
            check(c, "mul", Tensor::mul);
            check(c, "div", Tensor::div);
            check(c, "maximum", Tensor::maximum);
            check(c, "minimum", Tensor::minimum);
            check(c, "maximum with itself", (x, b) -> x.maximum(x));
            check(c, "minimum with itself", (x, b) -> b.minimum(b));
            check(c, "sqrt of maximum", (x, b) -> x.maximum(b).sqrt());
            check(c, "addInPlace", (x, b) -> like(x).addInPlace(b));
            check(c, "subInPlace", (x, b) -> like(x).subInPlace(b));
            check(c, "mulInPlace", (x, b) -> like(x).mulInPlace(b));
            check(c, "divInPlace", (x, b) -> like(x).divInPlace(b));
            check(c, "axpyInPlace", (x, b) -> like(x).axpyInPlace(-0.7f, b));
            check(c, "add(out, a, b)", (x, b) -> {
                Tensor out = like(x);
                Tensor.add(out, x, b);
                return out;
            });
        });
    }

    @Test
    void scalarOpsAgree() {
        float[] scalars = {2.5f, -0.3f, 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        qt().withFixedSeed(SEED + 2).withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
            float s = scalars[(int) Long.remainderUnsigned(c.seed(), scalars.length)];
            String what = "scalar " + s;
            check(c, "add " + what, (x, b) -> x.add(s));
            check(c, "sub " + what, (x, b) -> x.sub(s));
            check(c, "mul " + what, (x, b) -> x.mul(s));
            check(c, "div " + what, (x, b) -> x.div(s));
            check(c, "maximum " + what, (x, b) -> x.maximum(s));
            check(c, "minimum " + what, (x, b) -> x.minimum(s));
            check(c, "addInPlace " + what, (x, b) -> like(x).addInPlace(s));
            check(c, "scaleInPlace " + what, (x, b) -> like(x).scaleInPlace(s));
            check(c, "clampInPlace [-0, 1.5]", (x, b) -> like(x).clampInPlace(-0f, 1.5f));
            check(c, "clampInPlace [-1, 0]", (x, b) -> like(x).clampInPlace(-1f, 0f));
        });
    }

    @Test
    void reductionsAgree() {
        qt().withFixedSeed(SEED + 3).withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
            Tensor x = values(c.dims(), c.seed());
            Tensor y = strided(x, new SplittableRandom(~c.seed()));
            String what = c.toString();
            assertEquals(Float.floatToIntBits(x.max()), Float.floatToIntBits(y.max()), "max " + what);
            assertEquals(Float.floatToIntBits(x.min()), Float.floatToIntBits(y.min()), "min " + what);
            // Both paths against a fold with Math.max and Math.min over the elements in storage order.
            float largest = Float.NEGATIVE_INFINITY;
            float smallest = Float.POSITIVE_INFINITY;
            for (float v : x.data()) {
                largest = Math.max(largest, v);
                smallest = Math.min(smallest, v);
            }
            assertEquals(Float.floatToIntBits(largest), Float.floatToIntBits(x.max()), "max against Math.max " + what);
            assertEquals(Float.floatToIntBits(smallest), Float.floatToIntBits(x.min()), "min against Math.min " + what);
            for (int axis = 0; axis < x.rank(); axis++) {
                String along = "axis " + axis + ", " + what;
                // Along an outer axis, rows combine with the two-array max kernel (contiguous) or a loop.
                assertSame(x.max(axis), y.max(axis), "max " + along);
                int[] argmax = x.argmax(axis);
                assertArrayEquals(argmax, y.argmax(axis), "argmax " + along);
                // The element at the index is the maximum, bit for bit (+0 ranks above -0).
                float[] max = x.max(axis).toArray();
                Tensor moved = x.permute(axisLast(x.rank(), axis)).contiguous();
                for (int t = 0; t < argmax.length; t++) {
                    float atIndex = moved.data()[t * x.dim(axis) + argmax[t]];
                    assertEquals(Float.floatToIntBits(max[t]), Float.floatToIntBits(atIndex),
                            "argmax " + t + " " + along);
                }
            }
        });
    }

    // The axes in order with {@code axis} moved to the end.
    private static int[] axisLast(int rank, int axis) {
        int[] order = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != axis) {
                order[j++] = i;
            }
        }
        order[rank - 1] = axis;
        return order;
    }

    @Test
    void signedZerosAndNaN() {
        Tensor zeros = Tensor.fromArray(new float[] {-0f, 0f, 0f, -0f}, 4);
        assertArrayEquals(new int[] {1}, zeros.argmax(0));
        assertArrayEquals(new int[] {1}, strided(zeros, new SplittableRandom(SEED)).argmax(0));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(zeros.max()));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(zeros.min()));
        // max(-0, +0) is +0 and min(+0, -0) is -0 on the kernel (clip) path.
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, zeros.maximum(0f).toArray());
        assertArrayEquals(new float[] {-0f, -0f, -0f, -0f}, zeros.minimum(-0f).toArray());
        assertArrayEquals(new float[] {0f, -0f, -0f, 0f}, zeros.neg().toArray());
        Tensor nan = Tensor.fromArray(new float[] {1f, Float.NaN, 3f}, 3);
        assertArrayEquals(new float[] {Float.NaN, Float.NaN, Float.NaN}, nan.maximum(Float.NaN).toArray());
        assertArrayEquals(new float[] {1f, Float.NaN, 2f}, nan.minimum(2f).toArray());
        assertArrayEquals(new int[] {1}, nan.argmax(0));
        assertTrue(Float.isNaN(nan.min()), "min propagates NaN on the kernel path");
        assertTrue(Float.isNaN(strided(nan, new SplittableRandom(SEED)).min()), "and on the loop path");
        // Longer than two vectors at every width, so the kernel's vector body and tail both run.
        float[] data = new float[67];
        java.util.Arrays.fill(data, 0f);
        data[40] = -0f;
        for (Tensor t : new Tensor[] {Tensor.fromArray(data, 67), strided(Tensor.fromArray(data, 67),
                new SplittableRandom(SEED + 2))}) {
            assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(t.min()), "min: -0 below +0");
        }
        data[66] = Float.NEGATIVE_INFINITY;
        assertEquals(Float.NEGATIVE_INFINITY, Tensor.fromArray(data, 67).min(), "-Inf in the tail");
        java.util.Arrays.fill(data, Float.POSITIVE_INFINITY);
        assertEquals(Float.POSITIVE_INFINITY, Tensor.fromArray(data, 67).min(), "all +Inf");
    }

    /**
     * Two-tensor maximum and minimum, abs and sqrt on every pair of special values (two rows long
     * enough for the vector body and a tail at every width) equal Math's results bit for bit, on
     * the kernel path and on the loop path.
     */
    @Test
    void specialValuesFollowMath() {
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -2.5f,
            Float.MIN_VALUE, -Float.MAX_VALUE};
        int count = special.length * special.length;
        float[] a = new float[count];
        float[] b = new float[count];
        for (int i = 0; i < count; i++) {
            a[i] = special[i / special.length];
            b[i] = special[i % special.length];
        }
        Tensor x = Tensor.fromArray(a, 3, count / 3);
        Tensor y = Tensor.fromArray(b, 3, count / 3);
        Tensor xs = strided(x, new SplittableRandom(SEED));
        Tensor ys = strided(y, new SplittableRandom(SEED + 1));
        for (boolean kernel : new boolean[] {true, false}) {
            Tensor p = kernel ? x : xs;
            Tensor q = kernel ? y : ys;
            String path = kernel ? "contiguous" : "strided";
            float[] max = p.maximum(q).toArray();
            float[] min = p.minimum(q).toArray();
            float[] abs = p.abs().toArray();
            float[] sqrt = p.sqrt().toArray();
            for (int i = 0; i < count; i++) {
                String pair = path + " (" + a[i] + ", " + b[i] + ")";
                assertEquals(Float.floatToIntBits(Math.max(a[i], b[i])), Float.floatToIntBits(max[i]), "max " + pair);
                assertEquals(Float.floatToIntBits(Math.min(a[i], b[i])), Float.floatToIntBits(min[i]), "min " + pair);
                assertEquals(Float.floatToRawIntBits(Math.abs(a[i])), Float.floatToRawIntBits(abs[i]), "abs " + pair);
                assertEquals(Float.floatToIntBits((float) Math.sqrt(a[i])), Float.floatToIntBits(sqrt[i]),
                        "sqrt " + pair);
            }
        }
    }

    @Test
    void axpyRoundsOnce() {
        // -1 + 3 * (1/3 rounded up): a separately rounded product is exactly 1 and the sum 0; one
        // fused multiply-add keeps the product's error, 2^-25, as the axpy kernel does.
        float third = 1f / 3;
        float fused = Math.fma(3f, third, -1f);
        assertTrue(fused != 0f && -1f + 3f * third == 0f);
        Tensor x = Tensor.full(Shape.of(5), third);
        Tensor contiguous = Tensor.full(Shape.of(5), -1f).axpyInPlace(3f, x);
        Tensor stepped = Tensor.full(Shape.of(10), -1f).slice(0, 0, 10, 2).axpyInPlace(3f, x);
        for (int i = 0; i < 5; i++) {
            assertEquals(fused, contiguous.get(i), "contiguous " + i);
            assertEquals(fused, stepped.get(i), "strided " + i);
        }
    }
}
