package dev.lanes.tensor;

import static dev.lanes.tensor.TestTensors.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.intArrays;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.range;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Algebraic properties of views and ops over generated shapes, layouts and values (fixed seeds). */
class PropertiesTest {
    private static final long SEED = 0x5eed_0004L;
    private static final int EXAMPLES = 300;

    private static Gen<int[]> dims() {
        return intArrays(range(0, 4), range(0, 4));
    }

    private static Gen<Long> seeds() {
        return longRange(0, Long.MAX_VALUE);
    }

    @Test
    void permuteThenInversePermuteIsIdentity() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES).forAll(dims(), seeds()).checkAssert((dims, seed) -> {
            Tensor x = TestTensors.random(dims, seed);
            int[] p = TestTensors.permutation(dims.length, new SplittableRandom(seed));
            Tensor y = x.permute(p);
            String what = str(dims) + " permuted by " + str(p) + ", seed " + seed;
            for (int i = 0; i < p.length; i++) {
                assertEquals(dims[p[i]], y.dim(i), what);
            }
            Tensor back = y.permute(TestTensors.inverse(p));
            assertSame(x.data(), back.data(), what);
            assertEquals(x.shape(), back.shape(), what);
            assertArrayEquals(x.strides(), back.strides(), what);
            assertArrayEquals(x.toArray(), back.toArray(), what);
            assertArrayEquals(y.toArray(), y.contiguous().toArray(), what);
        });
    }

    /** A regrouping of the prime factors of the size, in order, with 1s sprinkled in. */
    private static int[] regroup(int[] dims, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> factors = new ArrayList<>();
        for (int d : dims) {
            for (int f = 2; d > 1; f++) {
                while (d % f == 0) {
                    factors.add(f);
                    d /= f;
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        int current = 1;
        for (int f : factors) {
            if (current > 1 && random.nextBoolean()) {
                out.add(current);
                current = 1;
            }
            current *= f;
            if (random.nextInt(5) == 0) {
                out.add(1);
            }
        }
        out.add(current);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Brute force: the memory position of every element of x in row-major order. A view with the
     * target dims exists iff the strides this forces (the position step of each unit index) give
     * back every one of these positions.
     */
    private static boolean viewExists(Tensor x, int[] target) {
        int[] positions = new int[x.size()];
        int[] counter = {0};
        TestTensors.forEachIndex(x.shape().dims(), index -> {
            int position = x.offset();
            for (int i = 0; i < index.length; i++) {
                position += index[i] * x.stride(i);
            }
            positions[counter[0]++] = position;
        });
        if (positions.length <= 1) {
            return true;
        }
        int[] strides = new int[target.length];
        int flat = 1;
        for (int d = target.length - 1; d >= 0; d--) {
            strides[d] = target[d] > 1 ? positions[flat] - positions[0] : 0;
            flat *= target[d];
        }
        boolean[] ok = {true};
        counter[0] = 0;
        TestTensors.forEachIndex(target, index -> {
            int position = positions[0];
            for (int i = 0; i < index.length; i++) {
                position += index[i] * strides[i];
            }
            ok[0] &= position == positions[counter[0]++];
        });
        return ok[0];
    }

    @Test
    void reshapeKeepsRowMajorOrderAndRoundTrips() {
        qt().withFixedSeed(SEED + 1).withExamples(EXAMPLES)
                .forAll(intArrays(range(0, 4), range(1, 5)), seeds()).checkAssert((dims, seed) -> {
                    Tensor x = TestTensors.random(dims, seed);
                    int[] target = regroup(dims, seed);
                    String what = str(dims) + " strides " + str(x.strides()) + " to " + str(target) + ", seed " + seed;
                    Tensor y;
                    boolean viewExists = viewExists(x, target);
                    try {
                        y = x.reshape(target);
                        assertTrue(viewExists, "a view that cannot exist: " + what);
                    } catch (IllegalArgumentException e) {
                        // Only when no strides can do it; the explicit copy then works.
                        assertTrue(!viewExists, "refused a possible view: " + what);
                        assertTrue(e.getMessage().contains("without copying"), e.getMessage());
                        y = x.contiguous().reshape(target);
                    }
                    assertArrayEquals(x.toArray(), y.toArray(), what);
                    Tensor back = y.reshape(dims);
                    assertArrayEquals(x.toArray(), back.toArray(), what);
                    if (x.isContiguous()) {
                        assertSame(x.data(), y.data(), what);
                        for (int i = 0; i < dims.length; i++) {
                            if (dims[i] > 1) {
                                assertEquals(x.stride(i), back.stride(i), what);
                            }
                        }
                    }
                });
    }

    @Test
    void broadcastingCommutes() {
        qt().withFixedSeed(SEED + 2).withExamples(EXAMPLES).forAll(ElementwiseTest.cases()).checkAssert(c -> {
            Tensor a = TestTensors.randomNormal(c.a(), c.seed());
            Tensor b = TestTensors.randomNormal(c.b(), ~c.seed());
            assertArrayEquals(a.add(b).toArray(), b.add(a).toArray(), "add " + c);
            assertArrayEquals(a.mul(b).toArray(), b.mul(a).toArray(), "mul " + c);
            assertArrayEquals(a.maximum(b).toArray(), b.maximum(a).toArray(), "maximum " + c);
            assertArrayEquals(a.sub(b).toArray(), b.sub(a).neg().toArray(), "sub " + c);
            // Broadcasting is the same as expanding first.
            Shape shape = a.add(b).shape();
            assertArrayEquals(a.add(b).toArray(), a.expand(shape).add(b.expand(shape)).toArray(), "expand " + c);
        });
    }

    @Test
    void sumOverAxesInAnyOrderEqualsTotal() {
        // Small integers: every partial sum is exact, so the order cannot change the result.
        qt().withFixedSeed(SEED + 3).withExamples(EXAMPLES).forAll(dims(), seeds()).checkAssert((dims, seed) -> {
            Tensor x = TestTensors.random(dims, seed);
            int[] order = TestTensors.permutation(dims.length, new SplittableRandom(seed));
            Tensor reduced = x;
            for (int axis : order) {
                reduced = reduced.sum(axis, true);
            }
            String what = str(dims) + " axes " + str(order) + ", seed " + seed;
            assertEquals(x.sum(), reduced.item(), what);
            assertEquals(x.sum(), x.sumTo(Shape.scalar()).item(), what);
            float total = 0;
            for (float v : x.toArray()) {
                total += v;
            }
            assertEquals(total, x.sum(), what);
        });
    }

    @Test
    void transposeOfProductIsProductOfTransposes() {
        qt().withFixedSeed(SEED + 4).withExamples(EXAMPLES)
                .forAll(intArrays(range(4, 4), range(0, 5)), seeds()).checkAssert((s, seed) -> {
                    int batch = s[0];
                    Tensor a = TestTensors.random(new int[] {batch, s[1], s[2]}, seed);
                    Tensor b = TestTensors.random(new int[] {s[2], s[3]}, ~seed);
                    Tensor left = a.matmul(b).transpose();
                    Tensor right = b.transpose().matmul(a.transpose());
                    assertArrayEquals(left.toArray(), right.toArray(), str(s) + ", seed " + seed);
                });
    }

    @Test
    void slicesCompose() {
        qt().withFixedSeed(SEED + 5).withExamples(EXAMPLES)
                .forAll(intArrays(range(1, 3), range(1, 6)), seeds()).checkAssert((dims, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    Tensor x = TestTensors.random(dims, seed);
                    int axis = random.nextInt(dims.length);
                    int n = dims[axis];
                    int start = random.nextInt(n + 1);
                    int end = start + random.nextInt(n - start + 1);
                    int inner = random.nextInt(end - start + 1);
                    int innerEnd = inner + random.nextInt(end - start - inner + 1);
                    Tensor twice = x.slice(axis, start, end).slice(axis, inner, innerEnd);
                    Tensor once = x.slice(axis, start + inner, start + innerEnd);
                    String what = str(dims) + " axis " + axis + " [" + start + ", " + end + ") then [" + inner + ", "
                            + innerEnd + "), seed " + seed;
                    assertArrayEquals(once.toArray(), twice.toArray(), what);
                    // unsqueeze then squeeze is the identity view.
                    int at = random.nextInt(dims.length + 1);
                    assertArrayEquals(x.strides(), x.unsqueeze(at).squeeze(at).strides(), what);
                    // Stepped slices pick every step-th index.
                    int step = 1 + random.nextInt(3);
                    Tensor stepped = x.slice(axis, 0, n, step);
                    for (int i = 0; i < stepped.dim(axis); i++) {
                        assertArrayEquals(x.select(axis, i * step).toArray(), stepped.select(axis, i).toArray(), what);
                    }
                });
    }
}
