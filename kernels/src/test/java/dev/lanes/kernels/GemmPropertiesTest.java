package dev.lanes.kernels;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random sgemm cases against the scalar reference (see {@link GemmCase}): shapes, transposes,
 * offsets, padded leading dimensions, alpha, beta and values. QuickTheories shrinks a failure to
 * a small case; the seed is fixed and printed with it.
 */
class GemmPropertiesTest {
    private static final long SEED = 0x5EED_6E33L;

    /** Mostly small sizes (every tail of the tiles), sometimes past the K and row blocks. */
    private static Gen<Integer> size() {
        return integers().between(0, 40).mix(integers().between(41, 300), 15);
    }

    private static Gen<Float> scalar() {
        Gen<Float> special = integers().between(0, 3).map(i -> new float[] {0f, 1f, -1f, 0.7f}[i]);
        Gen<Float> random = integers().between(-2000, 2000).map(i -> i / 1000f);
        return special.mix(random, 50);
    }

    @Test
    void matchesTheReference() {
        Gen<int[]> shape = size().zip(size(), size(), (m, n, k) -> new int[] {m, n, k});
        Gen<boolean[]> transposes = booleans().all().zip(booleans().all(), (x, y) -> new boolean[] {x, y});
        Gen<float[]> scalars = scalar().zip(scalar(), (alpha, beta) -> new float[] {alpha, beta});
        Gen<long[]> layout = integers().between(0, 9).zip(integers().between(0, 5), longs().all(),
                (offset, pad, seed) -> new long[] {offset, pad, seed});
        qt().withFixedSeed(SEED).withExamples(150).withShrinkCycles(200)
                .forAll(shape, transposes, scalars, layout)
                .checkAssert((s, t, ab, l) -> {
                    GemmCase c = new GemmCase(t[0], t[1], s[0], s[1], s[2], ab[0], ab[1],
                            (int) l[0], (int) l[1], l[2]);
                    try {
                        c.check();
                    } catch (AssertionError e) {
                        throw new AssertionError("QuickTheories seed " + SEED + ": " + e.getMessage(), e);
                    }
                });
    }
}
