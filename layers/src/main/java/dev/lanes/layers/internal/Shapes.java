package dev.lanes.layers.internal;

import dev.lanes.tensor.Shape;

/** Shape checks with the messages every layer and loss uses: who, what, expected, actual. */
public final class Shapes {
    private Shapes() {
    }

    /**
     * Throws {@link IllegalArgumentException} "{@code owner}: {@code what} expected
     * {@code expected}, got {@code actual}".
     */
    public static IllegalArgumentException mismatch(String owner, String what, String expected, Shape actual) {
        return new IllegalArgumentException(owner + ": " + what + " expected " + expected + ", got " + actual);
    }

    /** Checks that {@code actual} equals {@code expected}. */
    public static void requireEqual(String owner, String what, Shape actual, Shape expected) {
        if (!actual.equals(expected)) {
            throw mismatch(owner, what, expected.toString(), actual);
        }
    }

    /** {@code (N, d1, d2, ...)}: a shape description with a symbolic batch dimension. */
    public static String withBatch(int... dims) {
        StringBuilder text = new StringBuilder("(N");
        for (int d : dims) {
            text.append(", ").append(d);
        }
        return text.append(')').toString();
    }

    /** {@code shape} without its first (batch) dimension, as {@code (N, d1, ...)}. */
    public static String withBatch(Shape shape) {
        int[] dims = shape.dims();
        return withBatch(java.util.Arrays.copyOfRange(dims, Math.min(1, dims.length), dims.length));
    }

    /** {@code shape} with {@code batch} prepended. */
    public static Shape prepend(int batch, Shape shape) {
        int[] dims = shape.dims();
        int[] out = new int[dims.length + 1];
        out[0] = batch;
        System.arraycopy(dims, 0, out, 1, dims.length);
        return Shape.of(out);
    }

    /** {@code shape} without its first dimension. */
    public static Shape dropFirst(Shape shape) {
        int[] dims = shape.dims();
        return Shape.of(java.util.Arrays.copyOfRange(dims, 1, dims.length));
    }
}
