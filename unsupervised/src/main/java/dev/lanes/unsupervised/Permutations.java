package dev.lanes.unsupervised;

import java.util.random.RandomGenerator;

/** The visiting order of an epoch. */
final class Permutations {
    private Permutations() {
    }

    /** Fills {@code order} with a uniformly random permutation of 0..length-1 (Fisher-Yates). */
    static void shuffle(int[] order, RandomGenerator random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
