package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private static int[] randomLabels(int count, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }

    @Test
    void partsPartitionTheIndicesInAscendingOrder() {
        qt().withFixedSeed(301).forAll(integers().between(0, 300), integers().between(1, 6), booleans().all(),
                        longs().all())
                .checkAssert((count, classes, stratified, seed) -> {
                    int[] labels = randomLabels(count, classes, seed);
                    int[][] parts = Splits.splitIndices(labels, classes, new double[] {0.7, 0.2, 0.1}, seed, stratified);
                    String where = "count " + count + ", stratified " + stratified + ", seed " + seed;
                    int[] all = Arrays.stream(parts).flatMapToInt(Arrays::stream).sorted().toArray();
                    int[] expected = new int[count];
                    Arrays.setAll(expected, i -> i);
                    assertArrayEquals(expected, all, where);
                    for (int[] part : parts) {
                        for (int i = 1; i < part.length; i++) {
                            assertTrue(part[i - 1] < part[i], where);
                        }
                    }
                    // Cut points round(n * cumulative fraction), the fractions summed in double.
                    long firstCut = Math.round(count * 0.7);
                    long secondCut = Math.round(count * (0.7 + 0.2));
                    assertEquals(firstCut, parts[0].length, where);
                    assertEquals(secondCut - firstCut, parts[1].length, where);
                });
    }

    /**
     * Stratified parts follow the class proportions. Bound: a prefix of the interleaved sequence
     * ends at some key t and holds between t·m - 1.5 and t·m + 0.5 items of a class of size m; the
     * prefix length L is then within 1.5·C of t·n (C classes), so each class count is within
     * 1.5 + 1.5·C·m/n of L·m/n. A random split of these sizes would typically miss by 10 or more.
     */
    @Test
    void stratifiedPrefixesKeepTheClassProportions() {
        qt().withFixedSeed(302).withExamples(30).forAll(integers().between(1000, 4000), integers().between(2, 5),
                        longs().all())
                .checkAssert((count, classes, seed) -> {
                    int[] labels = randomLabels(count, classes, seed);
                    int[] total = new int[classes];
                    for (int label : labels) {
                        total[label]++;
                    }
                    double[] fractions = {0.6, 0.15, 0.25};
                    int[][] parts = Splits.splitIndices(labels, classes, fractions, seed, true);
                    int[] prefixCounts = new int[classes];
                    int prefixLength = 0;
                    for (int p = 0; p < parts.length - 1; p++) {
                        for (int index : parts[p]) {
                            prefixCounts[labels[index]]++;
                        }
                        prefixLength += parts[p].length;
                        for (int c = 0; c < classes; c++) {
                            double share = (double) prefixLength * total[c] / count;
                            double bound = 1.5 + 1.5 * classes * total[c] / count;
                            assertTrue(Math.abs(prefixCounts[c] - share) <= bound, "class " + c + " has "
                                    + prefixCounts[c] + " in the first " + (p + 1) + " parts, share " + share
                                    + ", count " + count + ", seed " + seed);
                        }
                    }
                });
    }

    @Test
    void stratifiedSplitOfBalancedClassesIsNearlyExact() {
        // 10 items per class: a 25% validation part takes 10 items, 2 or 3 of each class.
        Dataset data = TestData.indexed(40, 1, 2, 2, 4, 8);
        Splits.TrainValidation split = Splits.trainValidation(data, 0.25, 3, true);
        assertEquals(30, split.train().count());
        assertEquals(10, split.validation().count());
        for (int perClass : split.validation().classCounts()) {
            assertTrue(perClass == 2 || perClass == 3, Arrays.toString(split.validation().classCounts()));
        }
    }

    @Test
    void splitsAreDeterministicPerSeed() {
        int[] labels = randomLabels(200, 4, 5);
        double[] fractions = {0.5, 0.5};
        assertArrayEquals(Splits.splitIndices(labels, 4, fractions, 9, true)[0],
                Splits.splitIndices(labels, 4, fractions, 9, true)[0], "seed 9");
        assertFalse(Arrays.equals(Splits.splitIndices(labels, 4, fractions, 9, false)[0],
                Splits.splitIndices(labels, 4, fractions, 10, false)[0]), "seeds 9 and 10 split alike");
    }

    @Test
    void trainValidationSplitsTheDataset() {
        Dataset data = TestData.indexed(40, 1, 2, 2, 4, 8);
        Splits.TrainValidation split = Splits.trainValidation(data, 0.25, 3, false);
        assertEquals(30, split.train().count());
        assertEquals(10, split.validation().count());
        List<Dataset> three = Splits.split(data, new double[] {0.8, 0.1, 0.1}, 3, false);
        assertEquals(List.of(32, 4, 4), three.stream().map(Dataset::count).toList());
    }

    @Test
    void balancedIndicesTakeTheSameNumberPerClass() {
        int[] labels = randomLabels(500, 5, 12);
        int[] chosen = Splits.balancedIndices(labels, 5, 20, 4);
        assertEquals(100, chosen.length);
        int[] perClass = new int[5];
        for (int i = 0; i < chosen.length; i++) {
            perClass[labels[chosen[i]]]++;
            assertTrue(i == 0 || chosen[i - 1] < chosen[i], "not ascending at " + i);
        }
        assertArrayEquals(new int[] {20, 20, 20, 20, 20}, perClass);
        assertArrayEquals(chosen, Splits.balancedIndices(labels, 5, 20, 4));
    }

    @Test
    void badArgumentsAreReported() {
        int[] labels = {0, 1, 1, 0};
        assertEquals("fractions must sum to 1, sum to 0.9: [0.5, 0.4]", assertThrows(IllegalArgumentException.class,
                () -> Splits.splitIndices(labels, 2, new double[] {0.5, 0.4}, 1, false)).getMessage());
        assertEquals("fractions[1] must be positive and finite, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> Splits.splitIndices(labels, 2, new double[] {1, 0}, 1, false)).getMessage());
        assertEquals("validationFraction must be in (0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> Splits.trainValidation(TestData.indexed(4, 1, 1, 1, 2, 1), 1, 1, false)).getMessage());
        assertEquals("class 0 has 2 items, fewer than perClass 3", assertThrows(IllegalArgumentException.class,
                () -> Splits.balancedIndices(labels, 2, 3, 1)).getMessage());
        assertEquals("labels[2] is 5, outside 0..1", assertThrows(IllegalArgumentException.class,
                () -> Splits.splitIndices(new int[] {0, 1, 5}, 2, new double[] {1}, 1, true)).getMessage());
    }
}
