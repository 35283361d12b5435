package dev.lanes.kernels.panama.conv;

import dev.lanes.kernels.Parallel;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Scratch arrays of a plan, one set per concurrently running task. A task takes a free slot for
 * its duration, so the number of slots is the thread count, not the number of tasks, and the
 * arrays are reused from call to call (they are reallocated only when the thread count grows).
 * What a task computes never depends on which slot it got: every slot is fully overwritten
 * before it is read.
 */
final class ScratchSlots {
    private final int[] sizes;
    private float[][][] slots = new float[0][][];
    private AtomicIntegerArray busy = new AtomicIntegerArray(0);

    /** Slots of {@code sizes.length} arrays, array i holding sizes[i] floats. */
    ScratchSlots(int... sizes) {
        this.sizes = sizes.clone();
    }

    /** Makes sure there is a slot for every thread; call before a parallel loop, not inside it. */
    void ensure() {
        int count = Parallel.threads();
        if (slots.length >= count) {
            return;
        }
        float[][][] grown = java.util.Arrays.copyOf(slots, count);
        for (int i = slots.length; i < count; i++) {
            grown[i] = new float[sizes.length][];
            for (int j = 0; j < sizes.length; j++) {
                grown[i][j] = new float[sizes[j]];
            }
        }
        slots = grown;
        busy = new AtomicIntegerArray(count);
    }

    /** Takes a free slot. */
    int acquire() {
        AtomicIntegerArray flags = busy;
        for (int i = 0; i < flags.length(); i++) {
            if (flags.compareAndSet(i, 0, 1)) {
                return i;
            }
        }
        throw new IllegalStateException("more concurrent tasks than scratch slots (" + flags.length()
                + "): was the thread count changed during a call, or the plan used from two threads?");
    }

    void release(int slot) {
        busy.set(slot, 0);
    }

    /** Array {@code which} of a slot. */
    float[] array(int slot, int which) {
        return slots[slot][which];
    }

    long bytes() {
        long floats = 0;
        for (float[][] slot : slots) {
            for (float[] array : slot) {
                floats += array.length;
            }
        }
        return floats * Float.BYTES;
    }
}
