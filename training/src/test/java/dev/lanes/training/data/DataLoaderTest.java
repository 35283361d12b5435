package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** The dataset indices of one epoch, batch by batch. */
    private static List<int[]> epoch(DataLoader loader, int epoch) {
        List<int[]> batches = new ArrayList<>();
        loader.startEpoch(epoch);
        while (loader.hasNext()) {
            Batch batch = loader.next();
            batches.add(Arrays.copyOf(batch.indices(), batch.size()));
        }
        return batches;
    }

    private static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void everyIndexExactlyOncePerEpochWithAPartialLastBatch() {
        qt().withFixedSeed(201).forAll(integers().between(0, 60), integers().between(1, 17), booleans().all(),
                        longs().all())
                .checkAssert((count, batchSize, shuffle, seed) -> {
                    DataLoader loader = new DataLoader(TestData.indexed(count, 1, 2, 2, 3, 1), batchSize, shuffle,
                            false, seed, Augmentation.NONE);
                    String where = "count " + count + ", batch " + batchSize + ", seed " + seed;
                    for (int e = 0; e < 3; e++) {
                        List<int[]> batches = epoch(loader, e);
                        assertEquals(loader.batchesPerEpoch(), batches.size(), where);
                        assertEquals((count + batchSize - 1) / batchSize, batches.size(), where);
                        for (int b = 0; b < batches.size() - 1; b++) {
                            assertEquals(batchSize, batches.get(b).length, where);
                        }
                        if (!batches.isEmpty()) {
                            int expectedLast = count % batchSize == 0 ? batchSize : count % batchSize;
                            assertEquals(expectedLast, batches.getLast().length, where);
                        }
                        int[] seen = flatten(batches);
                        Arrays.sort(seen);
                        int[] all = new int[count];
                        Arrays.setAll(all, i -> i);
                        assertArrayEquals(all, seen, where + ", epoch " + e);
                    }
                });
    }

    @Test
    void dropLastSkipsOnlyThePartialBatch() {
        qt().withFixedSeed(202).forAll(integers().between(0, 60), integers().between(1, 17), longs().all())
                .checkAssert((count, batchSize, seed) -> {
                    DataLoader loader = new DataLoader(TestData.indexed(count, 1, 1, 1, 2, 1), batchSize, true, true,
                            seed, Augmentation.NONE);
                    List<int[]> batches = epoch(loader, 0);
                    String where = "count " + count + ", batch " + batchSize + ", seed " + seed;
                    assertEquals(count / batchSize, batches.size(), where);
                    assertEquals(count / batchSize * batchSize, loader.imagesPerEpoch(), where);
                    int[] seen = flatten(batches);
                    assertEquals(seen.length, Arrays.stream(seen).distinct().count(), where);
                    for (int[] batch : batches) {
                        assertEquals(batchSize, batch.length, where);
                    }
                });
    }

    @Test
    void orderDependsOnlyOnSeedAndEpoch() {
        Dataset data = TestData.indexed(50, 1, 2, 2, 5, 3);
        DataLoader first = new DataLoader(data, 8, true, false, 77, Augmentation.NONE);
        DataLoader second = new DataLoader(data, 8, true, false, 77, Augmentation.NONE);
        int[] epoch0 = flatten(epoch(first, 0));
        int[] epoch1 = flatten(epoch(first, 1));
        int[] epoch2 = flatten(epoch(first, 2));
        // A fresh loader that jumps straight to epoch 2, then goes back to 0, sees the same orders.
        assertArrayEquals(epoch2, flatten(epoch(second, 2)), "seed 77");
        assertArrayEquals(epoch0, flatten(epoch(second, 0)), "seed 77");
        assertFalse(Arrays.equals(epoch0, epoch1), "epochs 0 and 1 have the same order, seed 77");
        DataLoader otherSeed = new DataLoader(data, 8, true, false, 78, Augmentation.NONE);
        assertFalse(Arrays.equals(epoch0, flatten(epoch(otherSeed, 0))), "seeds 77 and 78 give the same order");
        // The batch size only changes where the order is cut.
        assertArrayEquals(epoch1, flatten(epoch(new DataLoader(data, 13, true, false, 77, Augmentation.NONE), 1)));
    }

    @Test
    void withoutShuffleTheOrderIsTheFileOrder() {
        DataLoader loader = new DataLoader(TestData.indexed(10, 1, 1, 1, 2, 1), 4, false, false, 5, Augmentation.NONE);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, flatten(epoch(loader, 3)));
    }

    @Test
    void batchHoldsTheImagesAndLabelsOfItsIndicesInReusedArrays() {
        Dataset data = TestData.indexed(23, 2, 3, 3, 4, 9);
        DataLoader loader = new DataLoader(data, 5, true, false, 12, Augmentation.NONE);
        loader.startEpoch(4);
        Batch first = loader.next();
        float[] images = first.images();
        int[] labels = first.labels();
        assertEquals(5 * 18, images.length);
        int batches = 1;
        for (Batch batch = first; ; batch = loader.next()) {
            assertSame(first, batch);
            assertSame(images, batch.images());
            assertSame(labels, batch.labels());
            assertEquals(4, batch.epoch());
            assertEquals(batches - 1, batch.number());
            for (int i = 0; i < batch.size(); i++) {
                int index = batch.indices()[i];
                assertArrayEquals(data.image(index), Arrays.copyOfRange(images, i * 18, (i + 1) * 18), "image " + index);
                assertEquals(data.label(index), labels[i]);
            }
            if (!loader.hasNext()) {
                break;
            }
            batches++;
        }
        assertEquals(5, batches);
        assertEquals(3, first.size());
        NoSuchElementException end = assertThrows(NoSuchElementException.class, loader::next);
        assertEquals("epoch 4 has no batch left after 5", end.getMessage());
    }

    @Test
    void augmentationIsSeededPerEpochAndIndependentOfShuffling() {
        Dataset data = TestData.indexed(12, 1, 5, 5, 3, 4);
        Augmentation augmentation = new Augmentation(2, 0.5);
        DataLoader a = new DataLoader(data, 12, false, false, 99, augmentation);
        DataLoader b = new DataLoader(data, 12, false, false, 99, augmentation);
        a.startEpoch(1);
        float[] epoch1 = a.next().images().clone();
        b.startEpoch(1);
        assertArrayEquals(epoch1, b.next().images(), "seed 99");
        a.startEpoch(2);
        assertFalse(Arrays.equals(epoch1, a.next().images()), "epochs 1 and 2 augmented alike, seed 99");
        // Without augmentation the same loader gives the images unchanged.
        DataLoader plain = new DataLoader(data, 12, false, false, 99, Augmentation.NONE);
        plain.startEpoch(1);
        float[] original = plain.next().images();
        assertNotEquals(Arrays.toString(original), Arrays.toString(epoch1));
    }

    @Test
    void shiftsFillWithTheNormalizedZero() {
        float[] ones = new float[9];
        Arrays.fill(ones, 1f);
        Dataset data = Dataset.of(ones, new int[] {0}, 1, 3, 3, 1, null).normalized(new float[] {0.5f}, new float[] {0.25f});
        DataLoader loader = new DataLoader(data, 1, false, false, 3, new Augmentation(3, 0));
        boolean sawFill = false;
        for (int e = 0; e < 20; e++) {
            loader.startEpoch(e);
            for (float value : Arrays.copyOf(loader.next().images(), 9)) {
                assertTrue(value == 2f || value == -2f, "value " + value + " in epoch " + e + ", seed 3");
                sawFill |= value == -2f;
            }
        }
        assertTrue(sawFill, "no shift in 20 epochs, seed 3");
    }

    @Test
    void steadyStateBatchesDoNotAllocate() {
        Dataset data = TestData.indexed(256, 1, 28, 28, 10, 5);
        DataLoader loader = new DataLoader(data, 32, true, false, 6, new Augmentation(2, 0.5));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        loader.startEpoch(0);
        while (loader.hasNext()) {
            loader.next();
        }
        loader.startEpoch(1);
        long before = threads.getThreadAllocatedBytes(id);
        int batches = 0;
        while (loader.hasNext()) {
            loader.next();
            batches++;
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(8, batches);
        // A single 28x28 image copy would be over 3 KB; allow for the measurement's own noise.
        assertTrue(allocated < 1024, allocated + " bytes allocated by " + batches + " batches");
    }

    @Test
    void misuseIsReported() {
        Dataset data = TestData.indexed(3, 1, 1, 1, 2, 1);
        assertEquals("batchSize must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(data, 0, true, false, 1, Augmentation.NONE)).getMessage());
        DataLoader loader = new DataLoader(data, 2, true, false, 1, Augmentation.NONE);
        assertFalse(loader.hasNext());
        assertEquals("call startEpoch before next",
                assertThrows(IllegalStateException.class, loader::next).getMessage());
        assertEquals("epoch must be at least 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> loader.startEpoch(-1)).getMessage());
    }
}
