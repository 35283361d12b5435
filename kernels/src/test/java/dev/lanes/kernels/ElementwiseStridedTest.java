package dev.lanes.kernels;

import static dev.lanes.kernels.FloatTesting.assertSameBits;

import dev.lanes.kernels.panama.pointwise.PanamaElementwise;
import dev.lanes.kernels.scalar.ScalarElementwise;
import dev.lanes.kernels.spi.ElementwiseKernel.Binary;
import dev.lanes.kernels.spi.ElementwiseKernel.Unary;
import dev.lanes.kernels.spi.ElementwiseKernel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Strided elementwise calls against an oracle of their own: the vector kernel hands strided calls to
 * the scalar one, so comparing the two would test a kernel against itself.
 */
@Tag("panama")
class ElementwiseStridedTest {
    private final ElementwiseKernel panama = new PanamaElementwise();
    private final ElementwiseKernel scalar = new ScalarElementwise();

    /**
     * Strided calls against a direct index loop written here (not the scalar kernel, which the
     * vector kernel hands strided calls to): every kernel set and the facade, strides from -3 to 3
     * on each operand, sentinels in the gaps and around.
     */
    @Test
    void stridedMatchesADirectIndexLoop() {
        long seed = 48;
        SplittableRandom random = new SplittableRandom(seed);
        int[][] strides = {{2, 2, 2}, {3, 3, 3}, {1, 2, 3}, {3, 1, 2}, {2, 3, 1}, {-2, 3, -3}, {-3, -2, 0}, {1, 0, -1},
            {2, 1, 1}, {1, 2, 1}, {1, 1, 2}, {-1, 1, 1}};
        for (int n : new int[] {1, 2, 3, 5, 8, 17, 40}) {
            for (int[] s : strides) {
                int span = 3 * n + 4;
                float[] a = FloatTesting.sprinkleSpecials(random, FloatTesting.uniform(random, span, -5, 5));
                float[] b = FloatTesting.uniform(random, span, -5, 5);
                int offOut = start(s[0], n, 1);
                int offA = start(s[1], n, 2);
                int offB = start(s[2], n, 0);
                float alpha = (float) random.nextDouble(-3, 3);
                String what = "length " + n + " strides " + Arrays.toString(s) + " (seed " + seed + ")";
                for (ElementwiseKernel kernel : new ElementwiseKernel[] {scalar, panama}) {
                    String who = kernel.getClass().getSimpleName() + " " + what;
                    for (Binary op : Binary.values()) {
                        float[] expected = FloatTesting.sentinels(span);
                        for (int i = 0; i < n; i++) {
                            expected[offOut + i * s[0]] = apply(op, a[offA + i * s[1]], b[offB + i * s[2]]);
                        }
                        float[] out = FloatTesting.sentinels(span);
                        kernel.binary(op, out, offOut, s[0], a, offA, s[1], b, offB, s[2], n);
                        assertSameBits(who + " " + op, expected, out);
                    }
                    for (Unary op : Unary.values()) {
                        float[] expected = FloatTesting.sentinels(span);
                        for (int i = 0; i < n; i++) {
                            float x = a[offA + i * s[1]];
                            expected[offOut + i * s[0]] = op == Unary.ABS ? Math.abs(x) : (float) Math.sqrt(x);
                        }
                        float[] out = FloatTesting.sentinels(span);
                        kernel.unary(op, out, offOut, s[0], a, offA, s[1], n);
                        assertSameBits(who + " " + op, expected, out);
                    }
                    float[] copied = FloatTesting.sentinels(span);
                    float[] scaled = FloatTesting.sentinels(span);
                    float[] clipped = FloatTesting.sentinels(span);
                    float[] accumulated = b.clone();
                    float[] expectedCopy = FloatTesting.sentinels(span);
                    float[] expectedScale = FloatTesting.sentinels(span);
                    float[] expectedClip = FloatTesting.sentinels(span);
                    float[] expectedAxpy = b.clone();
                    for (int i = 0; i < n; i++) {
                        float x = a[offA + i * s[1]];
                        int at = offOut + i * s[0];
                        expectedCopy[at] = x;
                        expectedScale[at] = alpha * x;
                        expectedClip[at] = x < -1f ? -1f : x > 1f ? 1f : x;
                        expectedAxpy[at] = Math.fma(alpha, x, expectedAxpy[at]);
                    }
                    kernel.copy(copied, offOut, s[0], a, offA, s[1], n);
                    kernel.scale(scaled, offOut, s[0], alpha, a, offA, s[1], n);
                    kernel.clip(clipped, offOut, s[0], a, offA, s[1], -1f, 1f, n);
                    kernel.axpy(accumulated, offOut, s[0], alpha, a, offA, s[1], n);
                    assertSameBits(who + " copy", expectedCopy, copied);
                    assertSameBits(who + " scale", expectedScale, scaled);
                    assertSameBits(who + " clip", expectedClip, clipped);
                    assertSameBits(who + " axpy", expectedAxpy, accumulated);
                }
                float[] expected = FloatTesting.sentinels(span);
                for (int i = 0; i < n; i++) {
                    expected[offOut + i * s[0]] = a[offA + i * s[1]] - b[offB + i * s[2]];
                }
                float[] out = FloatTesting.sentinels(span);
                Elementwise.sub(out, offOut, s[0], a, offA, s[1], b, offB, s[2], n);
                assertSameBits("facade sub " + what, expected, out);
            }
        }
    }

    /** The offset at which a strided run of n elements starts so that every index lands in [base, ...). */
    private static int start(int stride, int n, int base) {
        return stride < 0 ? base + (n - 1) * -stride : base;
    }

    /**
     * The binary operations spelled out independently of the kernels: comparisons for max and min
     * (NaN first, then the signed zeros, which compare equal).
     */
    private static float apply(Binary op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> x != x || y != y ? Float.NaN
                    : x == y ? (Float.floatToIntBits(x) == 0 ? x : y) : x > y ? x : y;
            case MIN -> x != x || y != y ? Float.NaN
                    : x == y ? (Float.floatToIntBits(x) == 0 ? y : x) : x < y ? x : y;
        };
    }
}
