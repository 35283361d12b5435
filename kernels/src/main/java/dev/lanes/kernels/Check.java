package dev.lanes.kernels;

/**
 * The argument checks of every kernel facade and geometry, in one place. Each failure names the
 * argument and the sizes, so a caller sees what was wrong without reading kernel code; the
 * facades run them before anything is written. Messages are built on failure only: a
 * concatenation at the call would allocate on every call.
 */
final class Check {
    private Check() {
    }

    /** Throws unless {@code value} is non-null. */
    static void notNull(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /** Throws unless {@code value >= 0}. */
    static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be non-negative, got " + value);
        }
    }

    /** Throws unless {@code value >= 1}. */
    static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Throws unless {@code value} is finite. */
    static void finite(String name, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }

    /** Throws unless the two lengths are equal. */
    static void sameLength(String name, int length, String otherName, int otherLength) {
        if (length != otherLength) {
            throw new IllegalArgumentException(name + " has length " + length + " but " + otherName + " has length "
                    + otherLength);
        }
    }

    /** Throws unless {@code size} floats fit in an array (with room for the JVM's header words). */
    static void fitsInArray(String what, long size) {
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException(what + " is " + size + ", more than an array can hold");
        }
    }

    /**
     * The number of elements of (batch, channels, spatial) planes, each count non-negative.
     *
     * @throws IllegalArgumentException when a count is negative or the product exceeds an array
     */
    static int planes(int batch, int channels, int spatial) {
        nonNegative("batch", batch);
        nonNegative("channels", channels);
        nonNegative("spatial", spatial);
        long size = (long) batch * channels * spatial;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch * channels * spatial = " + size + " exceeds an array");
        }
        return (int) size;
    }

    /** Throws unless the row stride {@code ld} is at least {@code max(1, columns)}. */
    static void leadingDimension(String name, int ld, int columns) {
        if (ld < Math.max(1, columns)) {
            throw new IllegalArgumentException(name + " must be at least max(1, " + columns + "), got " + ld);
        }
    }

    /**
     * Throws unless {@code array} is non-null and holds a (rows, columns) matrix with row stride
     * {@code ld} starting at {@code offset}. An empty matrix needs only a non-null array and a
     * non-negative offset.
     */
    static void matrix(String name, float[] array, int offset, int ld, int rows, int columns) {
        notNull(name, array);
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
    static void range(String name, float[] array, int offset, int length) {
        notNull(name, array);
        if (offset < 0 || length < 0 || (long) offset + length > array.length) {
            throw new IllegalArgumentException(name + " is too short: " + length + " elements at offset "
                    + offset + " need length " + ((long) offset + length) + ", got " + array.length);
        }
    }

    /** Throws unless {@code array} is non-null and holds {@code length} indexes at {@code offset}. */
    static void indexes(String name, int[] array, int offset, long length) {
        notNull(name, array);
        if (offset < 0 || offset + length > array.length) {
            throw new IllegalArgumentException(name + " is too short: " + length + " indexes at offset " + offset
                    + " need length " + (offset + length) + ", got " + array.length);
        }
    }

    /** Throws unless every index in {@code array[offset .. offset + length)} lies in {@code [0, bound)}. */
    static void indexesBelow(String name, int[] array, int offset, int length, int bound) {
        for (int i = 0; i < length; i++) {
            int index = array[offset + i];
            if (index < 0 || index >= bound) {
                throw new IllegalArgumentException(name + "[" + (offset + i) + "] is " + index
                        + ", outside the plane of " + bound + " elements");
            }
        }
    }

    /** Throws unless {@code array} holds {@code batch} images of {@code perImage} floats at {@code offset}. */
    static void images(String name, float[] array, int offset, int batch, int perImage) {
        long length = (long) batch * perImage;
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " would need " + length + " floats for batch " + batch
                    + " of " + perImage + ", more than an array can hold");
        }
        notNull(name, array);
        if (offset < 0 || offset + length > array.length) {
            throw new IllegalArgumentException(name + " is too short: batch " + batch + " of " + perImage
                    + " floats at offset " + offset + " needs length " + (offset + length) + ", got "
                    + array.length);
        }
    }

    /**
     * Throws unless {@code array} is non-null and every element {@code offset + i * stride},
     * {@code i < length}, lies within it. Any stride is allowed for inputs, including 0 (one
     * element broadcast) and negative strides (offset is then the index of element 0).
     */
    static void strided(String name, float[] array, int offset, int stride, int length) {
        notNull(name, array);
        nonNegative("length", length);
        if (offset < 0) {
            throw new IllegalArgumentException("offset of " + name + " must be non-negative, got " + offset);
        }
        if (length == 0) {
            return;
        }
        long last = offset + (long) (length - 1) * stride;
        if (last < 0) {
            throw new IllegalArgumentException(name + ": " + length + " elements at offset " + offset
                    + " with stride " + stride + " reach index " + last + ", below 0");
        }
        long needed = Math.max(last, offset) + 1;
        if (needed > array.length) {
            throw new IllegalArgumentException(name + " is too short: " + length + " elements at offset " + offset
                    + " with stride " + stride + " need length " + needed + ", got " + array.length);
        }
    }

    /** Throws unless the stride of output {@code name} is non-zero: a zero stride would write one element repeatedly. */
    static void outputStride(String name, int stride) {
        if (stride == 0) {
            throw new IllegalArgumentException("stride of " + name + " must be non-zero for an output, got 0");
        }
    }

    /**
     * Throws unless {@code out} and {@code in}, each {@code length} elements from its offset, are
     * the same region (in place) or do not overlap: a partial overlap would make the result
     * depend on the order in which vector chunks are written.
     */
    static void sameOrDisjoint(String outName, float[] out, int offOut, String inName, float[] in, int offIn,
                               int length) {
        if (out == in && offOut != offIn && length > 0
                && offOut < (long) offIn + length && offIn < (long) offOut + length) {
            throw new IllegalArgumentException(outName + " (offset " + offOut + ") and " + inName + " (offset "
                    + offIn + ") overlap partially over " + length
                    + " elements; use the same offset or disjoint ranges");
        }
    }

    /** Throws when the two ranges lie in the same array and overlap. */
    static void disjoint(String name, float[] array, int offset, long length,
                         String otherName, float[] other, int otherOffset, long otherLength) {
        if (array == other && length > 0 && otherLength > 0
                && offset < otherOffset + otherLength && otherOffset < offset + length) {
            throw new IllegalArgumentException(name + " [" + offset + ", " + (offset + length) + ") and "
                    + otherName + " [" + otherOffset + ", " + (otherOffset + otherLength)
                    + ") overlap in the same array");
        }
    }
}
