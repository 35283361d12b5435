package dev.lanes.gradcheck;

import org.quicktheories.QuickTheory;

/** The property-test setup shared by the gradcheck tests: fixed seeds, 200 cases per property. */
public final class Cases {
    /** Generated cases per property. */
    public static final int COUNT = 200;

    private Cases() {
    }

    /**
     * {@code qt()} with a fixed seed (printed by QuickTheories on failure) and {@link #COUNT} cases.
     * QuickTheories 0.26 runs one case fewer than {@code withExamples} asks for (measured: 10 gives
     * 9, 200 gives 199), hence the + 1.
     */
    public static QuickTheory qt(long seed) {
        return QuickTheory.qt().withFixedSeed(seed).withExamples(COUNT + 1);
    }

    /** As {@link #qt(long)} with {@code factor} times as many cases (a property over several layers). */
    public static QuickTheory qt(long seed, int factor) {
        return QuickTheory.qt().withFixedSeed(seed).withExamples(COUNT * factor + 1);
    }
}
