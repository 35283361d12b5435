package dev.lanes.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FactoryTest {
    private static String message(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }

    @Test
    void constantFactories() {
        assertArrayEquals(new float[6], Tensor.zeros(2, 3).toArray());
        assertArrayEquals(new float[] {1, 1, 1}, Tensor.ones(3).toArray());
        assertArrayEquals(new float[] {2.5f, 2.5f}, Tensor.full(Shape.of(1, 2), 2.5f).toArray());
        assertEquals(Shape.of(2, 0), Tensor.ones(Shape.of(2, 0)).shape());
        assertEquals(7f, Tensor.scalar(7f).item());
        assertEquals(0, Tensor.scalar(7f).rank());
        assertTrue(Tensor.zeros(2, 3).isContiguous());
    }

    @Test
    void arange() {
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).toArray());
        assertArrayEquals(new float[] {1, 1.5f, 2, 2.5f}, Tensor.arange(1, 3, 0.5).toArray());
        assertArrayEquals(new float[] {3, 1}, Tensor.arange(3, 0, -2).toArray());
        assertEquals(0, Tensor.arange(2, 1, 1).size());
        assertEquals(10, Tensor.arange(0, 1, 0.1).size());
        assertEquals("arange needs finite start, end and a non-zero step, got start 0.0, end 1.0, step 0.0",
                message(() -> Tensor.arange(0, 1, 0)));
    }

    @Test
    void fromArrayCopiesAndChecksTheLength() {
        float[] values = {1, 2, 3, 4, 5, 6};
        Tensor x = Tensor.fromArray(values, 3, 2);
        assertNotSame(values, x.data());
        values[0] = 100;
        assertEquals(1f, x.get(0, 0));
        assertEquals(6f, x.get(2, 1));
        assertEquals("values has length 6 but shape (4, 2) has 8 elements",
                message(() -> Tensor.fromArray(values, 4, 2)));
        assertEquals("values must not be null", message(() -> Tensor.fromArray(null, 1)));
        assertEquals("dimension 0 must be non-negative, got -2 in (-2, 3)", message(() -> Tensor.zeros(-2, 3)));
    }

    @Test
    void randIsDeterministicAndUniform() {
        Tensor a = Tensor.rand(Shape.of(100, 100), 42);
        Tensor b = Tensor.rand(Shape.of(100, 100), 42);
        assertArrayEquals(a.toArray(), b.toArray());
        assertFalse(Arrays.equals(a.toArray(), Tensor.rand(Shape.of(100, 100), 43).toArray()));
        assertTrue(a.min() >= 0f && a.max() < 1f, "range " + a.min() + " .. " + a.max());
        // 10^4 uniforms: the mean is 0.5 within 5 standard errors (0.29 / 100 each).
        assertEquals(0.5, a.mean(), 5 * 0.29 / 100);
        Tensor c = Tensor.rand(Shape.of(1000), -2f, 3f, 7);
        assertTrue(c.min() >= -2f && c.max() < 3f);
        assertEquals("rand needs finite low < high, got low 1.0, high 1.0",
                message(() -> Tensor.rand(Shape.of(1), 1f, 1f, 0)));
    }

    @Test
    void randnIsDeterministicAndStandardNormal() {
        Tensor a = Tensor.randn(Shape.of(20001), 42); // odd: the last element uses half a pair
        assertArrayEquals(a.toArray(), Tensor.randn(Shape.of(20001), 42).toArray());
        double n = a.size();
        double mean = a.sum() / n;
        double variance = a.sub(a.mean()).square().sum() / n;
        assertEquals(0, mean, 5 / Math.sqrt(n), "mean");
        assertEquals(1, variance, 5 * Math.sqrt(2 / n), "variance");
        Tensor b = Tensor.randn(Shape.of(10000), 3f, 0.5f, 1);
        assertEquals(3, b.mean(), 5 * 0.5 / 100);
        assertEquals("randn needs a finite mean and std >= 0, got mean 0.0, std -1.0",
                message(() -> Tensor.randn(Shape.of(1), 0f, -1f, 0)));
    }

    /**
     * SplitMix64 as SplittableRandom's documentation describes it (the golden-gamma increment and
     * Stafford's mix functions), written out here so that the tensors are pinned to the published
     * algorithm and not merely to this JDK's implementation.
     */
    private static final class SplitMix {
        private long seed;

        SplitMix(long seed) {
            this.seed = seed;
        }

        int nextInt() {
            long z = seed += 0x9e3779b97f4a7c15L;
            z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
            return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
        }

        long nextLong() {
            long z = seed += 0x9e3779b97f4a7c15L;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }

    @Test
    void generatorsFollowThePublishedAlgorithm() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            SplitMix uniform = new SplitMix(seed);
            float[] rand = Tensor.rand(Shape.of(64), seed).toArray();
            for (int i = 0; i < rand.length; i++) {
                assertEquals((uniform.nextInt() >>> 8) / 16777216f, rand[i], "rand seed " + seed + " element " + i);
            }
            SplitMix normal = new SplitMix(seed);
            float[] randn = Tensor.randn(Shape.of(64), seed).toArray();
            for (int i = 0; i < randn.length; i += 2) {
                double u1 = ((normal.nextLong() >>> 11) + 1) / 0x1.0p53; // (0, 1]
                double u2 = (normal.nextLong() >>> 11) / 0x1.0p53;
                double radius = Math.sqrt(-2 * Math.log(u1));
                float z0 = (float) (radius * Math.cos(2 * Math.PI * u2));
                float z1 = (float) (radius * Math.sin(2 * Math.PI * u2));
                // Math may differ from StrictMath in the last double bit: allow one float ulp.
                assertEquals(z0, randn[i], Math.ulp(z0), "randn seed " + seed + " element " + i);
                assertEquals(z1, randn[i + 1], Math.ulp(z1), "randn seed " + seed + " element " + (i + 1));
            }
        }
    }
}
