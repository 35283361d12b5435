package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static IdxArray images(byte... pixels) {
        return new IdxArray("images", new int[] {pixels.length / 4, 2, 2}, pixels);
    }

    @Test
    void idxPixelsAreScaledToTheUnitInterval() throws IdxFormatException {
        IdxArray images = images((byte) 0, (byte) 51, (byte) 255, (byte) 128, (byte) 1, (byte) 2, (byte) 3, (byte) 4);
        IdxArray labels = new IdxArray("labels", new int[] {2}, new byte[] {9, 0});
        Dataset data = Dataset.fromIdx(images, labels, 10, null);
        assertEquals(2, data.count());
        assertEquals(1, data.channels());
        assertEquals(4, data.imageSize());
        assertArrayEquals(new float[] {0f, 0.2f, 1f, 128 / 255f}, data.image(0));
        assertArrayEquals(new int[] {9, 0}, data.labels());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), data.classNames());
    }

    @Test
    void countMismatchNamesBothFiles() {
        IdxArray images = images(new byte[8]);
        IdxArray labels = new IdxArray("labels", new int[] {3}, new byte[3]);
        IdxFormatException error = assertThrows(IdxFormatException.class,
                () -> Dataset.fromIdx(images, labels, 10, null));
        assertEquals("images holds 2 images but labels holds 3 labels", error.getMessage());
    }

    @Test
    void labelOutOfRangeIsCorruptData() {
        IdxArray labels = new IdxArray("labels", new int[] {2}, new byte[] {3, (byte) 200});
        IdxFormatException error = assertThrows(IdxFormatException.class,
                () -> Dataset.fromIdx(images(new byte[8]), labels, 10, null));
        assertEquals("labels: label 1 is 200, outside 0..9", error.getMessage());
    }

    @Test
    void normalizationAndTheZeroValue() {
        float[] pixels = {0, 1, 2, 3, 10, 20, 30, 40};
        Dataset data = Dataset.of(pixels, new int[] {1}, 2, 2, 2, 2, List.of("a", "b"));
        Dataset normal = data.normalized(new float[] {1.5f, 25f}, new float[] {0.5f, 10f});
        assertArrayEquals(new float[] {-3, -1, 1, 3, -1.5f, -0.5f, 0.5f, 1.5f}, normal.image(0));
        assertEquals(-3f, normal.zeroValue(0));
        assertEquals(-2.5f, normal.zeroValue(1));
        assertEquals(0f, data.zeroValue(0));
        assertArrayEquals(new float[] {1.5f, 25f}, data.channelMeans());
        // Population std of {0,1,2,3} is sqrt(1.25); of {10,20,30,40} sqrt(125).
        assertArrayEquals(new float[] {(float) Math.sqrt(1.25), (float) Math.sqrt(125)}, data.channelStds(), 1e-6f);
    }

    @Test
    void subsetCopiesImagesAndLabelsInOrder() {
        Dataset data = TestData.indexed(5, 1, 2, 2, 3, 1);
        Dataset picked = data.subset(new int[] {4, 0, 4});
        assertEquals(3, picked.count());
        assertArrayEquals(data.image(4), picked.image(0));
        assertArrayEquals(data.image(0), picked.image(1));
        assertArrayEquals(new int[] {1, 0, 1}, picked.labels());
        assertArrayEquals(new int[] {1, 2, 0}, picked.classCounts());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> data.subset(new int[] {0, 5}));
        assertEquals("indices[1] is 5, outside 0..4", error.getMessage());
    }

    @Test
    void constructionErrorsNameTheArgument() {
        assertEquals("images.length is 7 but 2 images of (1, 2, 2) need 8",
                assertThrows(IllegalArgumentException.class,
                        () -> Dataset.of(new float[7], new int[2], 1, 2, 2, 3, null)).getMessage());
        assertEquals("labels[1] is 3, outside 0..2",
                assertThrows(IllegalArgumentException.class,
                        () -> Dataset.of(new float[8], new int[] {0, 3}, 1, 2, 2, 3, null)).getMessage());
        assertEquals("classNames has 1 entries for 3 classes",
                assertThrows(IllegalArgumentException.class,
                        () -> Dataset.of(new float[8], new int[2], 1, 2, 2, 3, List.of("a"))).getMessage());
        Dataset data = TestData.indexed(2, 2, 2, 2, 2, 1);
        assertEquals("mean and std need 2 entries, have 1 and 2",
                assertThrows(IllegalArgumentException.class,
                        () -> data.normalized(new float[1], new float[] {1, 1})).getMessage());
        assertEquals("channel 1: mean 0.0 must be finite and std 0.0 positive and finite",
                assertThrows(IllegalArgumentException.class,
                        () -> data.normalized(new float[2], new float[] {1, 0})).getMessage());
    }
}
