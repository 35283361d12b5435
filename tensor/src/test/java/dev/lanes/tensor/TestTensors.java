package dev.lanes.tensor;

import java.util.SplittableRandom;

/**
 * Test helpers: tensors with random values in random strided layouts, and naive index
 * arithmetic that the tests use as their reference instead of the code under test.
 */
final class TestTensors {
    private TestTensors() {
    }

    /** Small integers as floats: sums and products of a few of them are exact in float32. */
    static float smallInteger(SplittableRandom random) {
        return random.nextInt(-8, 9);
    }

    /**
     * A tensor of the given shape whose values are small integers drawn from {@code seed}, laid out
     * (depending on the seed) contiguously, or inside a larger array with a random axis order,
     * padding between rows, a random offset and sometimes a step of 2: an arbitrary strided view.
     */
    static Tensor random(int[] dims, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor x = randomLayout(dims, random);
        forEachIndex(dims, index -> x.set(index, smallInteger(random)));
        return x;
    }

    /** Like {@link #random} with normally distributed values (not exact under arithmetic). */
    static Tensor randomNormal(int[] dims, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor x = randomLayout(dims, random);
        forEachIndex(dims, index -> x.set(index, (float) (random.nextGaussian())));
        return x;
    }

    static Tensor randomLayout(int[] dims, SplittableRandom random) {
        int r = dims.length;
        if (r == 0 || random.nextInt(4) == 0) {
            return Tensor.zeros(dims);
        }
        // Allocate the axes in a random order, each padded and possibly stepped, then view it back.
        int[] order = permutation(r, random);
        int[] baseDims = new int[r];
        int[] steps = new int[r];
        int[] starts = new int[r];
        for (int i = 0; i < r; i++) {
            int d = dims[order[i]];
            steps[i] = random.nextInt(4) == 0 ? 2 : 1;
            starts[i] = random.nextInt(2);
            baseDims[i] = starts[i] + d * steps[i] + random.nextInt(2);
        }
        Tensor base = Tensor.full(Shape.of(baseDims), Float.NaN); // padding shows up if read
        Tensor view = base;
        for (int i = 0; i < r; i++) {
            int d = dims[order[i]];
            view = view.slice(i, starts[i], starts[i] + d * steps[i], steps[i]);
        }
        return view.permute(inverse(order));
    }

    static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static int[] inverse(int[] p) {
        int[] q = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            q[p[i]] = i;
        }
        return q;
    }

    interface IndexConsumer {
        void accept(int[] index);
    }

    /** Calls {@code action} with every index of {@code dims} in row-major order. */
    static void forEachIndex(int[] dims, IndexConsumer action) {
        long size = 1;
        for (int d : dims) {
            size *= d;
        }
        int[] index = new int[dims.length];
        for (long t = 0; t < size; t++) {
            action.accept(index.clone());
            for (int d = dims.length - 1; d >= 0; d--) {
                if (++index[d] < dims[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
    }

    /** The index into an operand of shape {@code dims} that numpy broadcasting reads for {@code out}. */
    static int[] broadcastIndex(int[] out, int[] dims) {
        int[] index = new int[dims.length];
        int shift = out.length - dims.length;
        for (int i = 0; i < dims.length; i++) {
            index[i] = dims[i] == 1 ? 0 : out[i + shift];
        }
        return index;
    }

    static String str(int[] values) {
        return Shape.format(values);
    }
}
