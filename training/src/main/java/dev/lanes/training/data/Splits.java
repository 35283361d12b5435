package dev.lanes.training.data;

import dev.lanes.training.random.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Seeded splits of a dataset into parts (train / validation / test) and class-balanced samples.
 *
 * <p>The indices are put in a seeded random sequence and cut at {@code round(n * (f0 + ... + fi))}
 * (the fractions summed in double precision). Without stratification the sequence is a plain
 * shuffle; with stratification each class is shuffled and the classes are spread evenly over the
 * sequence, so the parts have the same sizes and each keeps the class proportions to within about
 * one item per class. Each part lists its indices in ascending order, the order of the source
 * file; loaders shuffle per epoch anyway.
 */
public final class Splits {
    private Splits() {
    }

    /**
     * A training part and a validation part.
     *
     * @param train the training part
     * @param validation the validation part
     */
    public record TrainValidation(Dataset train, Dataset validation) {
    }

    /**
     * Splits off a fraction of {@code dataset} for validation.
     *
     * @param dataset the dataset
     * @param validationFraction in (0, 1)
     * @param seed the seed of the shuffle
     * @param stratified true to split each class in the same proportions
     * @return the training and validation parts
     */
    public static TrainValidation trainValidation(Dataset dataset, double validationFraction, long seed,
                                                  boolean stratified) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        List<Dataset> parts = split(dataset, new double[] {1 - validationFraction, validationFraction}, seed,
                stratified);
        return new TrainValidation(parts.get(0), parts.get(1));
    }

    /**
     * Splits {@code dataset} into parts of the given fractions (see {@link #splitIndices}).
     *
     * @param dataset the dataset
     * @param fractions the fraction of each part; they add up to 1
     * @param seed the seed of the shuffle
     * @param stratified true to split each class in the same proportions
     * @return the parts, in the order of the fractions
     */
    public static List<Dataset> split(Dataset dataset, double[] fractions, long seed, boolean stratified) {
        int[][] parts = splitIndices(dataset.labelArray(), dataset.classes(), fractions, seed, stratified);
        List<Dataset> result = new ArrayList<>(parts.length);
        for (int[] part : parts) {
            result.add(dataset.subset(part));
        }
        return result;
    }

    /**
     * {@return the indices of each part, each part ascending; together they hold every index once}
     *
     * @param labels    one label in {@code 0..classes-1} per item
     * @param classes the number of classes
     * @param fractions positive, summing to 1 (within 1e-9)
     * @param seed the seed of the shuffle
     * @param stratified true to split each class in the same proportions
     */
    public static int[][] splitIndices(int[] labels, int classes, double[] fractions, long seed, boolean stratified) {
        checkFractions(fractions);
        SplitMix64 random = new SplitMix64(SplitMix64.derive(seed, 0x53504c4954L));
        int[] sequence;
        if (stratified) {
            sequence = interleavedByClass(labels, classes, random);
        } else {
            sequence = identity(labels.length);
            shuffle(sequence, random);
        }
        int[] cut = cutPoints(sequence.length, fractions);
        int[][] parts = new int[fractions.length][];
        for (int p = 0; p < fractions.length; p++) {
            parts[p] = Arrays.copyOfRange(sequence, cut[p], cut[p + 1]);
            Arrays.sort(parts[p]);
        }
        return parts;
    }

    /**
     * All indices, each class shuffled, then merged so that every class is spread evenly over the
     * sequence: the item of rank k in a class of size m gets the key (k + 0.5) / m, and the items
     * are sorted by key (ties by class). Any prefix of length L then holds about L·m/n items of
     * each class, so cutting the sequence gives parts of exactly the unstratified sizes whose
     * class counts are within about one item of the proportional share.
     */
    private static int[] interleavedByClass(int[] labels, int classes, SplitMix64 random) {
        int[][] groups = indicesByClass(labels, classes);
        Integer[] order = new Integer[labels.length];
        double[] key = new double[labels.length];
        int filled = 0;
        for (int[] group : groups) {
            shuffle(group, random);
            for (int rank = 0; rank < group.length; rank++) {
                key[group[rank]] = (rank + 0.5) / group.length;
                order[filled++] = group[rank];
            }
        }
        Arrays.sort(order, (a, b) -> {
            int byKey = Double.compare(key[a], key[b]);
            return byKey != 0 ? byKey : Integer.compare(labels[a], labels[b]);
        });
        int[] sequence = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            sequence[i] = order[i];
        }
        return sequence;
    }

    /**
     * {@return a class-balanced sample: {@code perClass} indices of each class, drawn without
     * replacement by a seeded shuffle within the class, returned in ascending order}
     *
     * @param labels the class of each image
     * @param classes the number of classes
     * @param perClass the images drawn from each class, {@code >= 1}
     * @param seed the seed of the shuffle
     * @throws IllegalArgumentException if a class has fewer than {@code perClass} items
     */
    public static int[] balancedIndices(int[] labels, int classes, int perClass, long seed) {
        if (perClass < 0) {
            throw new IllegalArgumentException("perClass must be at least 0, got " + perClass);
        }
        SplitMix64 random = new SplitMix64(SplitMix64.derive(seed, 0x42414c4eL));
        int[][] groups = indicesByClass(labels, classes);
        int[] result = new int[perClass * classes];
        for (int c = 0; c < classes; c++) {
            if (groups[c].length < perClass) {
                throw new IllegalArgumentException("class " + c + " has " + groups[c].length + " items, fewer than perClass "
                        + perClass);
            }
            shuffle(groups[c], random);
            System.arraycopy(groups[c], 0, result, c * perClass, perClass);
        }
        Arrays.sort(result);
        return result;
    }

    /**
     * {@return a class-balanced sample of {@code dataset} (see {@link #balancedIndices})}
     *
     * @param dataset the dataset
     * @param perClass the images drawn from each class, {@code >= 1}
     * @param seed the seed of the shuffle
     */
    public static Dataset balancedSample(Dataset dataset, int perClass, long seed) {
        return dataset.subset(balancedIndices(dataset.labelArray(), dataset.classes(), perClass, seed));
    }

    private static void checkFractions(double[] fractions) {
        if (fractions.length == 0) {
            throw new IllegalArgumentException("fractions is empty");
        }
        double sum = 0;
        for (int i = 0; i < fractions.length; i++) {
            if (!(fractions[i] > 0) || !Double.isFinite(fractions[i])) {
                throw new IllegalArgumentException("fractions[" + i + "] must be positive and finite, got " + fractions[i]);
            }
            sum += fractions[i];
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("fractions must sum to 1, sum to " + sum + ": " + Arrays.toString(fractions));
        }
    }

    /** Part p holds positions {@code cut[p]..cut[p+1]-1}; the last cut is exactly {@code n}. */
    private static int[] cutPoints(int n, double[] fractions) {
        int[] cut = new int[fractions.length + 1];
        double cumulative = 0;
        for (int p = 0; p < fractions.length - 1; p++) {
            cumulative += fractions[p];
            cut[p + 1] = (int) Math.min(n, Math.round(n * cumulative));
        }
        cut[fractions.length] = n;
        return cut;
    }

    private static int[][] indicesByClass(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] is " + labels[i] + ", outside 0.." + (classes - 1));
            }
            counts[labels[i]]++;
        }
        int[][] groups = new int[classes][];
        for (int c = 0; c < classes; c++) {
            groups[c] = new int[counts[c]];
            counts[c] = 0;
        }
        for (int i = 0; i < labels.length; i++) {
            groups[labels[i]][counts[labels[i]]++] = i;
        }
        return groups;
    }

    private static int[] identity(int n) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        return indices;
    }

    private static void shuffle(int[] values, SplitMix64 random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
