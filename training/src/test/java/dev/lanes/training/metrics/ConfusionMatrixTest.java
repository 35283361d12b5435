package dev.lanes.training.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    //                   actual:  0  0  0  0  1  1  1  2  2  2
    private static final int[] ACTUAL = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    private static final int[] PREDICTED = {0, 0, 1, 2, 1, 1, 0, 2, 2, 2};

    @Test
    void countsAndMetricsByHand() {
        ConfusionMatrix matrix = Metrics.confusion(3, ACTUAL, PREDICTED, 10);
        assertArrayEquals(new long[][] {{2, 1, 1}, {1, 2, 0}, {0, 0, 3}}, matrix.counts());
        assertEquals(10, matrix.total());
        assertEquals(0.7, matrix.accuracy(), 1e-15);
        assertEquals(0.7, Metrics.accuracy(ACTUAL, PREDICTED, 10), 1e-15);
        assertEquals(7, Metrics.correct(ACTUAL, PREDICTED, 10));
        // Precision: column c. Class 0: 2 / (2 + 1), class 1: 2 / 3, class 2: 3 / 4.
        assertEquals(2.0 / 3, matrix.precision(0), 1e-15);
        assertEquals(2.0 / 3, matrix.precision(1), 1e-15);
        assertEquals(0.75, matrix.precision(2), 1e-15);
        // Recall: row c. Class 0: 2 / 4, class 1: 2 / 3, class 2: 3 / 3.
        assertEquals(0.5, matrix.recall(0), 1e-15);
        assertEquals(2.0 / 3, matrix.recall(1), 1e-15);
        assertEquals(1.0, matrix.recall(2), 1e-15);
        assertEquals((2.0 / 3 + 2.0 / 3 + 0.75) / 3, matrix.macroPrecision(), 1e-15);
        assertEquals((0.5 + 2.0 / 3 + 1.0) / 3, matrix.macroRecall(), 1e-15);
    }

    @Test
    void zeroOverZeroIsZero() {
        ConfusionMatrix matrix = new ConfusionMatrix(3);
        assertEquals(0.0, matrix.accuracy());
        matrix.add(0, 0);
        matrix.add(1, 0);
        // Class 2 never occurs and is never predicted; class 1 is never predicted.
        assertEquals(0.0, matrix.precision(2));
        assertEquals(0.0, matrix.recall(2));
        assertEquals(0.0, matrix.precision(1));
        assertEquals(0.0, matrix.recall(1));
        assertEquals(0.5, matrix.precision(0));
        assertEquals(1.0, matrix.recall(0));
        matrix.reset();
        assertEquals(0, matrix.total());
        assertEquals(0, matrix.count(1, 0));
        assertEquals(0.0, Metrics.accuracy(new int[0], new int[0], 0));
    }

    @Test
    void countsAddUpAndAgreeWithAccuracy() {
        qt().withFixedSeed(901).forAll(integers().between(1, 12), integers().between(0, 300), longs().all())
                .checkAssert((classes, count, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int[] actual = new int[count];
                    int[] predicted = new int[count];
                    for (int i = 0; i < count; i++) {
                        actual[i] = random.nextInt(classes);
                        predicted[i] = random.nextBoolean() ? actual[i] : random.nextInt(classes);
                    }
                    ConfusionMatrix matrix = new ConfusionMatrix(classes);
                    matrix.add(actual, predicted, count / 2);
                    matrix.add(java.util.Arrays.copyOfRange(actual, count / 2, count),
                            java.util.Arrays.copyOfRange(predicted, count / 2, count), count - count / 2);
                    long sum = 0;
                    long weightedRecall = 0;
                    for (int a = 0; a < classes; a++) {
                        long row = 0;
                        for (int p = 0; p < classes; p++) {
                            sum += matrix.count(a, p);
                            row += matrix.count(a, p);
                        }
                        weightedRecall += Math.round(matrix.recall(a) * row);
                    }
                    assertEquals((long) count, sum, "seed " + seed);
                    assertEquals(Metrics.accuracy(actual, predicted, count), matrix.accuracy(), 1e-12, "seed " + seed);
                    // Recall weighted by class size is the accuracy: sum of TP over total.
                    assertEquals((long) Metrics.correct(actual, predicted, count), weightedRecall, "seed " + seed);
                });
    }

    @Test
    void formatsAsAlignedText() {
        String text = Metrics.confusion(3, ACTUAL, PREDICTED, 10).format(List.of("cat", "dog", "emu"));
        assertEquals("""
                actual    0    1    2   <- predicted
                0 cat     2    1    1
                1 dog     1    2    0
                2 emu     0    0    3
                """, text);
    }

    @Test
    void badInputIsRejectedBeforeCounting() {
        ConfusionMatrix matrix = new ConfusionMatrix(3);
        assertEquals("predicted[1] is 3, outside 0..2", assertThrows(IllegalArgumentException.class,
                () -> matrix.add(new int[] {0, 1}, new int[] {0, 3}, 2)).getMessage());
        assertEquals(0, matrix.total());
        assertEquals("count 3 exceeds actual.length 2 or predicted.length 2", assertThrows(IllegalArgumentException.class,
                () -> matrix.add(new int[2], new int[2], 3)).getMessage());
        assertEquals("actual is -1, outside 0..2",
                assertThrows(IllegalArgumentException.class, () -> matrix.add(-1, 0)).getMessage());
        assertEquals("classes must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0)).getMessage());
        assertEquals("names has 2 entries for 3 classes",
                assertThrows(IllegalArgumentException.class, () -> matrix.format(List.of("a", "b"))).getMessage());
    }

    @Test
    void addingABatchAllocatesNothing() {
        // The trainer counts every batch: a message string built per element cost 4 KB a step.
        ConfusionMatrix matrix = new ConfusionMatrix(10);
        int[] actual = new int[64];
        int[] predicted = new int[64];
        for (int i = 0; i < 64; i++) {
            actual[i] = i % 10;
            predicted[i] = (i * 7) % 10;
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        for (int warm = 0; warm < 20_000; warm++) {
            matrix.add(actual, predicted, 64);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int round = 0; round < 1000; round++) {
            matrix.add(actual, predicted, 64);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(true, allocated < 1024, allocated + " bytes allocated by 1000 batches");
        assertEquals(21_000 * 64, matrix.total());
    }
}
