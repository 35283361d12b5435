package dev.lanes.kernels;

/**
 * Argument checks of the elementwise, activation, softmax and reduction facades, on top of
 * {@link Check}. Every failure names the argument and the sizes and happens before anything is
 * written.
 */
final class ArrayChecks {
    private ArrayChecks() {
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

    /** Throws if the two ranges share an element of the same array. */
    static void disjoint(String name, float[] array, int offset, int length, String otherName, float[] other,
                         int otherOffset, int otherLength) {
        if (array == other && length > 0 && otherLength > 0 && offset < (long) otherOffset + otherLength
                && otherOffset < (long) offset + length) {
            throw new IllegalArgumentException(name + " (" + length + " elements at offset " + offset + ") overlaps "
                    + otherName + " (" + otherLength + " elements at offset " + otherOffset + ")");
        }
    }

    /**
     * Throws unless {@code array} is non-null and every element {@code offset + i * stride},
     * {@code i < length}, lies within it. Any stride is allowed for inputs, including 0 (one
     * element broadcast) and negative strides (offset is then the index of element 0).
     */
    static void strided(String name, float[] array, int offset, int stride, int length) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must be non-negative, got " + length);
        }
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

    /**
     * Throws unless the stride of output {@code name} is non-zero (a zero stride would write one
     * element repeatedly). The message is built here, on failure only: a concatenation at the call
     * would allocate on every call.
     */
    static void outputStride(String name, int stride) {
        if (stride == 0) {
            throw new IllegalArgumentException("stride of " + name + " must be non-zero for an output, got 0");
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
}
