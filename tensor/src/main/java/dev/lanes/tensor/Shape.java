package dev.lanes.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor: an immutable list of non-negative ints.
 *
 * <p>Rank 0 (no dimensions, one element) is allowed; a dimension of 0 makes an empty tensor. The
 * element count must fit in an int, because the data lives in one {@code float[]}. Axes may be
 * given from the end as in numpy: axis {@code -1} is the last one.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0], 1);

    /** Never exposed: callers get copies from {@link #dims()}. */
    final int[] dims;
    private final int size;

    private Shape(int[] dims, int size) {
        this.dims = dims;
        this.size = size;
    }

    /**
     * {@return the shape with the given dimensions (copied)}
     *
     * @param dims the dimensions, each {@code >= 0}; none for rank 0
     * @throws IllegalArgumentException if a dimension is negative or the element count exceeds
     *         {@code Integer.MAX_VALUE}
     */
    public static Shape of(int... dims) {
        if (dims == null) {
            throw new IllegalArgumentException("dims must not be null");
        }
        if (dims.length == 0) {
            return SCALAR;
        }
        long size = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " must be non-negative, got "
                        + dims[i] + " in " + format(dims));
            }
            size *= dims[i];
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + format(dims) + " has more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        return new Shape(dims.clone(), (int) size);
    }

    /** {@return the shape of rank 0: no dimensions, one element} */
    public static Shape scalar() {
        return SCALAR;
    }

    /** {@return the number of dimensions} */
    public int rank() {
        return dims.length;
    }

    /**
     * {@return the dimension along {@code axis}; negative axes count from the end}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     */
    public int dim(int axis) {
        return dims[axis(axis)];
    }

    /** {@return the number of elements: the product of the dimensions (1 for rank 0)} */
    public int size() {
        return size;
    }

    /** {@return a copy of the dimensions} */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * Maps {@code axis} in {@code [-rank, rank)} to {@code [0, rank)}.
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @return the axis in {@code [0, rank)}
     * @throws IllegalArgumentException if the axis is out of range
     */
    public int axis(int axis) {
        int r = dims.length;
        if (axis < -r || axis >= r) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this
                    + " (rank " + r + ")");
        }
        return axis < 0 ? axis + r : axis;
    }

    /** {@return the row-major (C order) strides of this shape, in elements} */
    public int[] contiguousStrides() {
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= Math.max(dims[i], 1);
        }
        return strides;
    }

    /**
     * {@return the numpy broadcast of two shapes: aligned from the last dimension, each pair of
     * dimensions must be equal or one of them 1; missing leading dimensions count as 1}
     *
     * @param a one shape
     * @param b the other shape
     * @throws IllegalArgumentException naming both shapes if they do not broadcast
     */
    public static Shape broadcast(Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int da = i <= a.rank() ? a.dims[a.rank() - i] : 1;
            int db = i <= b.rank() ? b.dims[b.rank() - i] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
            }
            out[rank - i] = da == 1 ? db : da;
        }
        return new Shape(out, sizeOf(out));
    }

    /**
     * {@return whether this shape broadcasts to {@code target} without changing {@code target}}
     *
     * @param target the shape to broadcast to
     */
    public boolean broadcastsTo(Shape target) {
        if (rank() > target.rank()) {
            return false;
        }
        for (int i = 1; i <= rank(); i++) {
            int d = dims[rank() - i];
            if (d != 1 && d != target.dims[target.rank() - i]) {
                return false;
            }
        }
        return true;
    }

    /** Trusted constructor for dims already checked (package use). */
    static Shape ofTrusted(int[] dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims, sizeOf(dims));
    }

    private static int sizeOf(int[] dims) {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        return size;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Shape shape && Arrays.equals(dims, shape.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Like {@code (2, 3, 4)}; rank 1 prints as {@code (5)} and rank 0 as {@code ()}. */
    @Override
    public String toString() {
        return format(dims);
    }

    static String format(int[] values) {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(values[i]);
        }
        return text.append(')').toString();
    }
}
