package dev.lanes.gradcheck.reference;

import java.util.Arrays;

/** Small helpers shared by the reference implementations: sizes, conversions, shape checks. */
public final class Reference {
    private Reference() {
    }

    /**
     * {@return the number of elements of a shape}
     *
     * @param dims the shape
     */
    public static int size(int... dims) {
        int size = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            size = Math.multiplyExact(size, d);
        }
        return size;
    }

    /**
     * {@return the values of a float array, widened exactly}
     *
     * @param values the float values
     */
    public static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /**
     * {@return the values rounded to float}
     *
     * @param values the values, row-major
     */
    public static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    static void requireRank(String layer, int[] shape, int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException(layer + " expects a rank-" + rank + " input, got shape "
                    + Arrays.toString(shape));
        }
    }

    static void requireLength(String what, double[] values, int size) {
        if (values.length != size) {
            throw new IllegalArgumentException(what + " has " + values.length + " values, expected " + size);
        }
    }

    static void requireForward(Object saved, String layer) {
        if (saved == null) {
            throw new IllegalStateException(layer + ": backward before forward");
        }
    }
}
