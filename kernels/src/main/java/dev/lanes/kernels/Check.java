package dev.lanes.kernels;

/**
 * Argument checks shared by the kernel facades. Each failure names the argument and the sizes, so
 * a caller sees what was wrong without reading kernel code; checks run before anything is written.
 */
public final class Check {
    private Check() {
    }

    /** Throws unless {@code value >= 0}. */
    public static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be non-negative, got " + value);
        }
    }

    /** Throws unless {@code value >= 1}. */
    public static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Throws unless the row stride {@code ld} is at least {@code max(1, columns)}. */
    public static void leadingDimension(String name, int ld, int columns) {
        if (ld < Math.max(1, columns)) {
            throw new IllegalArgumentException(name + " must be at least max(1, " + columns + "), got " + ld);
        }
    }

    /**
     * Throws unless {@code array} is non-null and holds a (rows, columns) matrix with row stride
     * {@code ld} starting at {@code offset}. An empty matrix needs only a non-null array and a
     * non-negative offset.
     */
    public static void matrix(String name, float[] array, int offset, int ld, int rows, int columns) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset of " + name + " must be non-negative, got " + offset);
        }
        if (rows == 0 || columns == 0) {
            return;
        }
        long end = offset + (long) (rows - 1) * ld + columns;
        if (end > array.length) {
            throw new IllegalArgumentException(name + " is too short: a (" + rows + ", " + columns
                    + ") matrix with row stride " + ld + " at offset " + offset + " needs length "
                    + end + ", got " + array.length);
        }
    }

    /** Throws unless {@code array} is non-null and {@code [offset, offset + length)} lies within it. */
    public static void range(String name, float[] array, int offset, int length) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (offset < 0 || length < 0 || (long) offset + length > array.length) {
            throw new IllegalArgumentException(name + " is too short: " + length + " elements at offset "
                    + offset + " need length " + ((long) offset + length) + ", got " + array.length);
        }
    }
}
