package dev.lanes.gradcheck;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Input values for gradient checks, deterministic for a seed and kept away from the points where
 * the function has a kink or a jump, so central differences never straddle one.
 *
 * <p>The default relative step moves a coordinate x by cbrt(2^-23) * max(1, |x|), at most about
 * 0.01 for |x| &lt;= 2; every margin below is at least 0.05, five times that, so neither the
 * perturbed point nor the one across lies on the other side of a kink:
 * <ul>
 * <li>ReLU, leaky ReLU, ELU, SELU, step, softsign (|x|): {@link #kinkFree} keeps |x| &gt;= 0.1;
 * <li>hard sigmoid (kinks at ±3), clip bounds: {@link #awayFrom} with the kinks listed;
 * <li>max pooling: {@link #distinct} makes values within each plane pairwise 1/16 apart, so no
 *     window holds a tie and no perturbation moves its argmax;
 * <li>hinge losses: {@link #hingeScores} and {@link #multiHingeScores} keep every margin term
 *     at least 0.05 from 0;
 * <li>L1: {@link #awayFromTarget} keeps |prediction - target| &gt;= 0.05;
 * <li>binary cross-entropy from probabilities: {@link #probabilities} stays inside
 *     [margin, 1 - margin], away from the clamp at 0 and 1.
 * </ul>
 */
public final class Values {
    /** The spacing {@link #distinct} uses by default: 1/16, exact in float. */
    public static final double DEFAULT_GAP = 1.0 / 16;
    /** The distance from a kink that the generators keep by default. */
    public static final double DEFAULT_MARGIN = 0.05;

    private Values() {
    }

    /**
     * Uniform on [low, high).
     *
     * @param shape the shape of the tensor
     * @param seed the seed of the random values: the same seed gives the same values
     * @param low the lower bound (inclusive)
     * @param high the upper bound (exclusive)
     * @return a new tensor of the shape
     */
    public static Tensor uniform(Shape shape, long seed, double low, double high) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(low, high);
        }
        return Tensor.wrap(values, shape.dims());
    }

    /**
     * Random sign times a magnitude uniform on [0.1, 2): clear of the kinks at 0.
     *
     * @param shape the shape of the tensor
     * @param seed the seed of the random values: the same seed gives the same values
     * @return a new tensor of the shape
     */
    public static Tensor kinkFree(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            double magnitude = random.nextDouble(0.1, 2);
            values[i] = (float) (random.nextBoolean() ? magnitude : -magnitude);
        }
        return Tensor.wrap(values, shape.dims());
    }

    /**
     * Uniform on [low, high) but at least {@code margin} from every kink (redrawn until so).
     *
     * @param shape the shape of the tensor
     * @param seed the seed of the random values: the same seed gives the same values
     * @param low the lower bound (inclusive)
     * @param high the upper bound (exclusive)
     * @param margin the smallest distance from a kink, {@code > 0}
     * @param kinks the points to stay away from
     * @return a new tensor of the shape
     * @throws IllegalArgumentException if the kinks leave no room in the range
     */
    public static Tensor awayFrom(Shape shape, long seed, double low, double high, double margin, double... kinks) {
        double free = high - low;
        for (double kink : kinks) {
            free -= 2 * margin;
        }
        if (!(free > (high - low) / 4)) {
            throw new IllegalArgumentException("kinks " + java.util.Arrays.toString(kinks) + " with margin " + margin
                    + " leave too little of [" + low + ", " + high + ")");
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            float x;
            do {
                x = (float) random.nextDouble(low, high);
            } while (near(x, margin, kinks));
            values[i] = x;
        }
        return Tensor.wrap(values, shape.dims());
    }

    private static boolean near(double x, double margin, double[] kinks) {
        for (double kink : kinks) {
            if (Math.abs(x - kink) < margin) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #distinct(Shape, long, double, int)} with planes of the last two dimensions and gap 1/16.
     *
     * @param shape the shape of the tensor
     * @param seed the seed of the random values: the same seed gives the same values
     * @return a new tensor of the shape
     */
    public static Tensor distinct(Shape shape, long seed) {
        int rank = shape.rank();
        int plane = rank >= 2 ? shape.dim(rank - 1) * shape.dim(rank - 2) : shape.size();
        return distinct(shape, seed, DEFAULT_GAP, Math.max(1, plane));
    }

    /**
     * Values with no ties: each run of {@code groupSize} consecutive elements (row-major; a plane
     * of an NCHW tensor when groupSize = H*W) is a random permutation of
     * {@code (i - (groupSize-1)/2) * gap}, plus a random offset per group, so any two values of a
     * group differ by at least {@code gap}.
     *
     * @param shape the shape of the tensor
     * @param seed the seed of the random values: the same seed gives the same values
     * @param gap the distance between consecutive values of a group, {@code > 0}
     * @param groupSize the number of consecutive elements each permutation covers, {@code >= 1}
     * @return a new tensor of the shape
     */
    public static Tensor distinct(Shape shape, long seed, double gap, int groupSize) {
        if (groupSize < 1) {
            throw new IllegalArgumentException("groupSize must be at least 1, got " + groupSize);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[shape.size()];
        int[] order = new int[groupSize];
        for (int start = 0; start < values.length; start += groupSize) {
            int length = Math.min(groupSize, values.length - start);
            for (int i = 0; i < length; i++) {
                order[i] = i;
            }
            for (int i = length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            double offset = Math.floor(random.nextDouble(-4, 4)) * gap;
            for (int i = 0; i < length; i++) {
                values[start + i] = (float) ((order[i] - (length - 1) / 2.0) * gap + offset);
            }
        }
        return Tensor.wrap(values, shape.dims());
    }

    /**
     * Values spread within each channel (axis 1, as batch normalization groups them): the
     * elements of one channel, across the batch and the spatial axes, are a random permutation of
     * {@code (i - (m-1)/2) * gap} plus a random offset per channel, so any two differ by at least
     * gap and the channel's standard deviation is at least gap/2. Keeps the batch variance (and so
     * the conditioning of normalization) away from 0.
     *
     * @param shape the shape of the tensor
     * @param seed the seed of the random values: the same seed gives the same values
     * @param gap the distance between consecutive values of a group, {@code > 0}
     * @return a new tensor of the shape
     */
    public static Tensor distinctPerChannel(Shape shape, long seed, double gap) {
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("distinctPerChannel needs (N, C, ...), got " + shape);
        }
        int batch = shape.dim(0);
        int channels = shape.dim(1);
        int inner = shape.size() / Math.max(1, batch * channels);
        int m = batch * inner;
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[shape.size()];
        int[] order = new int[m];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            for (int i = m - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            double offset = random.nextDouble(-1, 1);
            for (int e = 0; e < m; e++) {
                int n = e / inner;
                values[(n * channels + c) * inner + e % inner] = (float) ((order[e] - (m - 1) / 2.0) * gap + offset);
            }
        }
        return Tensor.wrap(values, shape.dims());
    }

    /**
     * Probabilities uniform on [margin, 1 - margin].
     *
     * @param shape the shape of the tensor
     * @param seed the seed of the random values: the same seed gives the same values
     * @param margin the smallest distance from a kink, {@code > 0}
     * @return a new tensor of the shape
     */
    public static Tensor probabilities(Shape shape, long seed, double margin) {
        return uniform(shape, seed, margin, 1 - margin);
    }

    /**
     * 0 or 1 with equal chance (binary targets).
     *
     * @param shape the shape of the tensor
     * @param seed the seed of the random values: the same seed gives the same values
     * @return a new tensor of the shape
     */
    public static Tensor bits(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextBoolean() ? 1f : 0f;
        }
        return Tensor.wrap(values, shape.dims());
    }

    /**
     * -1 or +1 with equal chance (binary hinge targets).
     *
     * @param shape the shape of the tensor
     * @param seed the seed of the random values: the same seed gives the same values
     * @return a new tensor of the shape
     */
    public static Tensor signs(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextBoolean() ? 1f : -1f;
        }
        return Tensor.wrap(values, shape.dims());
    }

    /**
     * Class indices 0 to classes-1 as floats, shape (batch).
     *
     * @param batch the number of images (or rows) in the batch, {@code >= 1}
     * @param classes the number of classes, {@code >= 2}
     * @param seed the seed of the random values: the same seed gives the same values
     * @return a new tensor (batch)
     */
    public static Tensor classIndices(int batch, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[batch];
        for (int i = 0; i < batch; i++) {
            values[i] = random.nextInt(classes);
        }
        return Tensor.wrap(values, batch);
    }

    /**
     * One-hot rows (batch, classes) for class indices of shape (batch).
     *
     * @param indices the class indices, shape (batch)
     * @param classes the number of classes, {@code >= 2}
     * @return a new tensor (batch, classes)
     */
    public static Tensor oneHot(Tensor indices, int classes) {
        int batch = indices.dim(0);
        Tensor out = Tensor.zeros(batch, classes);
        for (int i = 0; i < batch; i++) {
            out.set(i, (int) indices.get(i), 1f);
        }
        return out;
    }

    /**
     * Scores p for ±1 targets t (same shape) with |1 - t p| &gt;= margin: clear of the hinge's
     * kink, on both the active and the inactive side.
     *
     * @param targets the ±1 targets
     * @param seed the seed of the random values: the same seed gives the same values
     * @param margin the smallest distance from a kink, {@code > 0}
     * @return a new tensor of the targets' shape
     */
    public static Tensor hingeScores(Tensor targets, long seed, double margin) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] t = targets.toArray();
        float[] values = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            float p;
            do {
                p = (float) random.nextDouble(-2, 2);
            } while (Math.abs(1 - t[i] * p) < margin);
            values[i] = p;
        }
        return Tensor.wrap(values, targets.shape().dims());
    }

    /**
     * Scores (batch, classes) for class indices y with |1 + s_j - s_y| &gt;= margin for every
     * j != y, and the rivals (j != y) pairwise at least margin apart: clear of the kinks of both
     * multi-class hinges (Weston-Watkins's margins, Crammer-Singer's choice of the strongest rival).
     *
     * @param indices the class indices, shape (batch)
     * @param classes the number of classes, {@code >= 2}
     * @param seed the seed of the random values: the same seed gives the same values
     * @param margin the smallest distance from a kink, {@code > 0}
     * @return a new tensor (batch, classes)
     */
    public static Tensor multiHingeScores(Tensor indices, int classes, long seed, double margin) {
        SplittableRandom random = new SplittableRandom(seed);
        int batch = indices.dim(0);
        float[] values = new float[batch * classes];
        for (int i = 0; i < batch; i++) {
            int y = (int) indices.get(i);
            float sy = (float) random.nextDouble(-2, 2);
            values[i * classes + y] = sy;
            for (int j = 0; j < classes; j++) {
                if (j == y) {
                    continue;
                }
                float s;
                boolean tooClose;
                do {
                    s = (float) random.nextDouble(-2, 2);
                    tooClose = Math.abs(1 + s - sy) < margin;
                    for (int k = 0; k < j && !tooClose; k++) {
                        tooClose = k != y && Math.abs(s - values[i * classes + k]) < margin;
                    }
                } while (tooClose);
                values[i * classes + j] = s;
            }
        }
        return Tensor.wrap(values, batch, classes);
    }

    /**
     * Predictions uniform on [-2, 2) with |prediction - target| &gt;= margin (for L1).
     *
     * @param target the targets the predictions must stay away from
     * @param seed the seed of the random values: the same seed gives the same values
     * @param margin the smallest distance from a kink, {@code > 0}
     * @return a new tensor of the target's shape
     */
    public static Tensor awayFromTarget(Tensor target, long seed, double margin) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] t = target.toArray();
        float[] values = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            float p;
            do {
                p = (float) random.nextDouble(-2, 2);
            } while (Math.abs(p - t[i]) < margin);
            values[i] = p;
        }
        return Tensor.wrap(values, target.shape().dims());
    }
}
