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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class MatMulTest {
    private static final long SEED = 0x5eed_0003L;

    private static String message(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }

    /**
     * The naive product in double, written from numpy's definition: promote vectors, broadcast
     * the batch dimensions, triple loop per batch entry.
     */
    static Tensor naive(Tensor a, Tensor b) {
        boolean rowVector = a.rank() == 1;
        boolean columnVector = b.rank() == 1;
        Tensor a2 = rowVector ? a.reshape(1, a.dim(0)) : a;
        Tensor b2 = columnVector ? b.contiguous().reshape(b.dim(0), 1) : b;
        int m = a2.dim(-2);
        int k = a2.dim(-1);
        int n = b2.dim(-1);
        int[] batchA = Arrays.copyOf(a2.shape().dims(), a2.rank() - 2);
        int[] batchB = Arrays.copyOf(b2.shape().dims(), b2.rank() - 2);
        int[] batch = Shape.broadcast(Shape.of(batchA), Shape.of(batchB)).dims();
        int[] outDims = Arrays.copyOf(batch, batch.length + 2);
        outDims[batch.length] = m;
        outDims[batch.length + 1] = n;
        Tensor out = Tensor.zeros(outDims);
        forEachIndex(batch, index -> {
            int[] ia = Arrays.copyOf(broadcastIndex(index, batchA), batchA.length + 2);
            int[] ib = Arrays.copyOf(broadcastIndex(index, batchB), batchB.length + 2);
            int[] io = Arrays.copyOf(index, batch.length + 2);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        ia[ia.length - 2] = i;
                        ia[ia.length - 1] = p;
                        ib[ib.length - 2] = p;
                        ib[ib.length - 1] = j;
                        sum += (double) a2.get(ia) * b2.get(ib);
                    }
                    io[io.length - 2] = i;
                    io[io.length - 1] = j;
                    out.set(io, (float) sum);
                }
            }
        });
        int[] dims = out.shape().dims();
        if (rowVector) {
            dims = remove(dims, dims.length - 2);
        }
        if (columnVector) {
            dims = remove(dims, dims.length - 1);
        }
        return out.reshape(dims);
    }

    private static int[] remove(int[] values, int index) {
        int[] out = new int[values.length - 1];
        for (int i = 0, j = 0; i < values.length; i++) {
            if (i != index) {
                out[j++] = values[i];
            }
        }
        return out;
    }

    /** Shapes for a @ b: sizes 0..6 (0 hits the empty paths), batch dims that broadcast. */
    record Case(int[] a, int[] b, long seed) {
        static Case of(int[] mnk, int[] batch, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int m = mnk[0];
            int n = mnk[1];
            int k = mnk[2];
            int[] a = operand(batch, random, m, k, random.nextInt(6) == 0);
            int[] b = operand(batch, random, k, n, random.nextInt(6) == 0);
            if (a.length == 1) { // a vector: its single dim is k
                a[0] = k;
            }
            if (b.length == 1) {
                b[0] = k;
            }
            return new Case(a, b, seed);
        }

        private static int[] operand(int[] batch, SplittableRandom random, int rows, int cols, boolean vector) {
            if (vector) {
                return new int[] {cols};
            }
            int rank = random.nextInt(batch.length + 1);
            int[] dims = new int[rank + 2];
            for (int i = 0; i < rank; i++) {
                dims[i] = random.nextInt(3) == 0 ? 1 : batch[batch.length - rank + i];
            }
            dims[rank] = rows;
            dims[rank + 1] = cols;
            return dims;
        }

        @Override
        public String toString() {
            return str(a) + " @ " + str(b) + ", seed " + seed;
        }
    }

    private static Gen<Case> cases() {
        return intArrays(range(3, 3), range(0, 6))
                .zip(intArrays(range(0, 3), range(1, 3)), longRange(0, Long.MAX_VALUE), Case::of);
    }

    @Test
    void matchesNaiveProductOverLayoutsAndBroadcastBatches() {
        // Small-integer values: every product and sum is exact in float32 and double alike.
        qt().withFixedSeed(SEED).withExamples(400).forAll(cases()).checkAssert(c -> {
            Tensor a = TestTensors.random(c.a(), c.seed());
            Tensor b = TestTensors.random(c.b(), ~c.seed());
            Tensor expected = naive(a, b);
            Tensor actual = a.matmul(b);
            assertEquals(expected.shape(), actual.shape(), c.toString());
            assertArrayEquals(expected.toArray(), actual.toArray(), c.toString());
        });
    }

    @Test
    void outFormWithAlphaBetaIntoAnyLayout() {
        qt().withFixedSeed(SEED + 1).withExamples(300).forAll(cases()).checkAssert(c -> {
            Tensor a = TestTensors.random(c.a(), c.seed());
            Tensor b = TestTensors.random(c.b(), ~c.seed());
            Tensor product = naive(a, b);
            Tensor out = TestTensors.random(product.shape().dims(), c.seed() + 5); // maybe column-major
            Tensor before = out.copy();
            Tensor.matmul(out, a, b, 2f, 0.5f);
            Tensor expected = product.mul(2f).add(before.mul(0.5f));
            assertArrayEquals(expected.toArray(), out.toArray(), c.toString());
            int padding = 0;
            for (float v : out.data()) {
                padding += Float.isNaN(v) ? 1 : 0;
            }
            assertEquals(out.data().length - out.size(), padding, "padding written: " + c);
        });
    }

    @Test
    void transposedViewsGoToTheGemmWithoutACopy() {
        Tensor a = Tensor.arange(12).reshape(3, 4);
        assertEquals(4, MatMul.layout(3, 4, a.stride(0), a.stride(1)));
        Tensor t = a.transpose();
        assertEquals(-4, MatMul.layout(4, 3, t.stride(0), t.stride(1)));
        Tensor batched = Tensor.arange(24).reshape(2, 3, 4).transpose();
        assertEquals(-4, MatMul.layout(4, 3, batched.stride(1), batched.stride(2)));
        Tensor rows = Tensor.arange(40).reshape(5, 8).slice(1, 0, 4);
        assertEquals(8, MatMul.layout(5, 4, rows.stride(0), rows.stride(1)));
        // A step along the columns is neither row- nor column-major: it is copied.
        Tensor stepped = Tensor.arange(40).reshape(5, 8).slice(1, 0, 8, 2);
        assertEquals(0, MatMul.layout(5, 4, stepped.stride(0), stepped.stride(1)));
        // Broadcast rows (stride 0) are copied too.
        assertEquals(0, MatMul.layout(3, 4, 0, 1));
        // x^T @ x for a tall matrix: transA.
        Tensor x = Tensor.randn(Shape.of(7, 3), 1);
        Tensor.assertAllClose(x.transpose().matmul(x), naive(x.transpose(), x), 1e-5, 1e-5);
    }

    @Test
    void largerShapesAgainstDoubleReference() {
        // Sizes past the GEMM's blocking, normal values: the float error grows with k.
        int[][] shapes = {{65, 33, 130}, {17, 129, 64}, {1, 257, 300}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            Tensor a = Tensor.randn(Shape.of(k, m), SEED).transpose();
            Tensor b = Tensor.randn(Shape.of(2, k, n), SEED + 1);
            Tensor expected = naive(a, b);
            Tensor.assertAllClose(a.matmul(b), expected, 1e-5, 1e-6 * k);
        }
    }

    @Test
    void batchSharingTheRightOperandFoldsIntoOneGemm() {
        // (4, 5, 6) @ (6, 3): the four batch entries stack their rows; the result must not change.
        Tensor a = Tensor.randn(Shape.of(4, 5, 6), SEED);
        Tensor b = Tensor.randn(Shape.of(6, 3), SEED + 1);
        Tensor folded = a.matmul(b);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a.select(0, i).matmul(b).toArray(), folded.select(0, i).toArray(), "entry " + i);
        }
        Tensor.assertAllClose(folded, naive(a, b), 1e-5, 1e-5);
    }

    @Test
    void vectors() {
        Tensor v = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        Tensor m = Tensor.arange(6).reshape(3, 2);
        assertEquals(Shape.scalar(), v.matmul(v).shape());
        assertEquals(14f, v.matmul(v).item());
        assertArrayEquals(new float[] {16, 22}, v.matmul(m).toArray());
        assertArrayEquals(new float[] {16, 22}, m.transpose().matmul(v).toArray());
        assertArrayEquals(new float[] {1, 5, 9}, m.matmul(Tensor.ones(2)).toArray());
        assertEquals(Shape.of(4, 2), v.matmul(Tensor.zeros(4, 3, 2)).shape());
    }

    @Test
    void outMayAliasAnInput() {
        Tensor a = Tensor.arange(4).reshape(2, 2);
        Tensor expected = naive(a, a);
        Tensor.matmul(a, a, a, 1f, 0f);
        assertArrayEquals(expected.toArray(), a.toArray());
    }

    @Test
    void errorsNameBothShapes() {
        assertEquals("matmul: inner dimensions differ, (2, 3) @ (4, 5) (3 != 4)",
                message(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5))));
        assertEquals("matmul: inner dimensions differ, (2, 3) @ (2) (3 != 2)",
                message(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2))));
        assertEquals("matmul: the batch dimensions of (2, 3, 4) and (3, 4, 5) do not broadcast",
                message(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5))));
        assertEquals("matmul needs operands of rank >= 1, got () @ (3)",
                message(() -> Tensor.scalar(1f).matmul(Tensor.zeros(3))));
        assertEquals("matmul: out has shape (3, 2) but (2, 3) @ (3, 3) is (2, 3)",
                message(() -> Tensor.matmul(Tensor.zeros(3, 2), Tensor.zeros(2, 3), Tensor.zeros(3, 3), 1, 0)));
        assertTrue(message(() -> Tensor.matmul(Tensor.zeros(2).expand(3, 2), Tensor.zeros(3, 1), Tensor.zeros(1, 2),
                1, 0)).startsWith("matmul: cannot write to an expanded view"));
    }
}
