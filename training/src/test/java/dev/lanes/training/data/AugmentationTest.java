package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lanes.training.random.SplitMix64;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final float FILL = -7f;

    private static float[] random(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextDouble();
        }
        return values;
    }

    @Test
    void shiftByZeroIsTheIdentity() {
        qt().withFixedSeed(101).forAll(integers().between(1, 9), integers().between(1, 9), longs().all())
                .checkAssert((height, width, seed) -> {
                    float[] plane = random(height * width + 3, seed);
                    float[] before = plane.clone();
                    Augmentation.shift(plane, 3, height, width, 0, 0, FILL);
                    assertArrayEquals(before, plane, "seed " + seed);
                });
    }

    @Test
    void flipTwiceIsTheIdentity() {
        qt().withFixedSeed(102).forAll(integers().between(1, 9), integers().between(1, 9), longs().all())
                .checkAssert((height, width, seed) -> {
                    float[] plane = random(height * width + 2, seed);
                    float[] before = plane.clone();
                    Augmentation.flipHorizontal(plane, 2, height, width);
                    Augmentation.flipHorizontal(plane, 2, height, width);
                    assertArrayEquals(before, plane, "seed " + seed);
                });
    }

    @Test
    void flipMirrorsEachRow() {
        float[] plane = {1, 2, 3, 4, 5, 6};
        Augmentation.flipHorizontal(plane, 0, 2, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, plane);
    }

    /** Every pixel moves by (dy, dx); pixels without a source become the fill. */
    @Test
    void shiftedContentMovesAsExpected() {
        qt().withFixedSeed(103).forAll(integers().between(1, 8), integers().between(1, 8),
                        integers().between(-9, 9), integers().between(-9, 9))
                .checkAssert((height, width, dy, dx) -> {
                    long seed = 31L * height + 7L * width + dy * 3L + dx;
                    float[] original = random(height * width, seed);
                    float[] plane = original.clone();
                    Augmentation.shift(plane, 0, height, width, dy, dx, FILL);
                    for (int y = 0; y < height; y++) {
                        for (int x = 0; x < width; x++) {
                            int sy = y - dy;
                            int sx = x - dx;
                            float expected = sy >= 0 && sy < height && sx >= 0 && sx < width
                                    ? original[sy * width + sx] : FILL;
                            assertEquals(expected, plane[y * width + x],
                                    "(" + y + ", " + x + ") of " + height + "x" + width + " shifted by (" + dy + ", " + dx
                                            + ")");
                        }
                    }
                });
    }

    @Test
    void shiftLeavesTheRestOfTheArrayAlone() {
        float[] array = random(2 + 4 * 5 + 3, 5);
        float[] before = array.clone();
        Augmentation.shift(array, 2, 4, 5, 1, -2, FILL);
        assertArrayEquals(Arrays.copyOfRange(before, 0, 2), Arrays.copyOfRange(array, 0, 2));
        assertArrayEquals(Arrays.copyOfRange(before, 22, 25), Arrays.copyOfRange(array, 22, 25));
        // Row 0 is uncovered by a downward shift; row 1 holds row 0 moved two to the left.
        for (int x = 0; x < 5; x++) {
            assertEquals(FILL, array[2 + x]);
        }
        assertArrayEquals(new float[] {before[4], before[5], before[6], FILL, FILL}, Arrays.copyOfRange(array, 7, 12));
    }

    @Test
    void applyWithoutShiftOrFlipChangesNothing() {
        float[] images = random(3 * 2 * 4 * 4, 6);
        float[] before = images.clone();
        Augmentation.NONE.apply(images, 0, 3, 2, 4, 4, new float[] {0, 0}, new SplitMix64(1));
        assertArrayEquals(before, images);
    }

    @Test
    void certainFlipFlipsEveryChannel() {
        float[] images = random(2 * 3 * 2 * 5, 7);
        float[] expected = images.clone();
        for (int plane = 0; plane < 6; plane++) {
            Augmentation.flipHorizontal(expected, plane * 10, 2, 5);
        }
        new Augmentation(0, 1).apply(images, 0, 2, 3, 2, 5, new float[3], new SplitMix64(8));
        assertArrayEquals(expected, images);
    }

    @Test
    void applyIsDeterministicPerSeedAndUsesEachChannelsFill() {
        Augmentation augmentation = new Augmentation(2, 0.5);
        float[] first = random(4 * 2 * 6 * 6, 9);
        float[] second = first.clone();
        float[] fill = {-1, -2};
        augmentation.apply(first, 0, 4, 2, 6, 6, fill, new SplitMix64(42));
        augmentation.apply(second, 0, 4, 2, 6, 6, fill, new SplitMix64(42));
        assertArrayEquals(first, second, "seed 42");
        // Replaying the documented draw order reproduces the result image by image.
        float[] replay = random(4 * 2 * 6 * 6, 9);
        SplitMix64 random = new SplitMix64(42);
        for (int n = 0; n < 4; n++) {
            int dy = random.nextInt(5) - 2;
            int dx = random.nextInt(5) - 2;
            boolean flip = random.nextDouble() < 0.5;
            for (int c = 0; c < 2; c++) {
                int offset = (n * 2 + c) * 36;
                Augmentation.shift(replay, offset, 6, 6, dy, dx, fill[c]);
                if (flip) {
                    Augmentation.flipHorizontal(replay, offset, 6, 6);
                }
            }
        }
        assertArrayEquals(replay, first, "seed 42");
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("maxShift must be at least 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, 0)).getMessage());
        assertEquals("flipProbability must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, 1.5)).getMessage());
        assertEquals("flipProbability must be in [0, 1], got NaN",
                assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, Double.NaN)).getMessage());
        assertEquals("plane.length 10 is too short for (3, 4) at offset 0",
                assertThrows(IllegalArgumentException.class,
                        () -> Augmentation.shift(new float[10], 0, 3, 4, 1, 1, 0)).getMessage());
        assertEquals("fill has 1 entries for 2 channels",
                assertThrows(IllegalArgumentException.class, () -> new Augmentation(1, 0)
                        .apply(new float[8], 0, 1, 2, 2, 2, new float[1], new SplitMix64(1))).getMessage());
        assertEquals("images.length 8 is too short for 2 images of (2, 2, 2) at offset 0",
                assertThrows(IllegalArgumentException.class, () -> new Augmentation(1, 0)
                        .apply(new float[8], 0, 2, 2, 2, 2, new float[2], new SplitMix64(1))).getMessage());
    }
}
