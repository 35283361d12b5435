package dev.lanes.unsupervised;

import dev.lanes.tensor.Tensor;

/** Checks of row-major matrices passed to the models, with messages naming the owner and the sizes. */
final class Matrices {
    private Matrices() {
    }

    /** Throws unless {@code data} holds {@code rows} rows of {@code columns} floats from {@code offset}. */
    static void requireRows(String owner, String what, float[] data, int offset, int rows, int columns) {
        if (data == null) {
            throw new IllegalArgumentException(owner + ": " + what + " must not be null");
        }
        if (rows < 0) {
            throw new IllegalArgumentException(owner + ": " + what + " row count must not be negative, got " + rows);
        }
        long needed = (long) rows * columns;
        if (offset < 0 || offset + needed > data.length) {
            throw new IllegalArgumentException(owner + ": " + what + " needs " + rows + " rows of " + columns
                    + " values (" + needed + " floats) from offset " + offset + ", but the array holds "
                    + data.length);
        }
    }

    /** The matrix (rows, columns) a 2-D tensor holds, as a contiguous tensor; else a clear exception. */
    static Tensor requireMatrix(String owner, String what, Tensor t, int columns) {
        if (t == null) {
            throw new IllegalArgumentException(owner + ": " + what + " must not be null");
        }
        if (t.shape().rank() != 2 || t.dim(1) != columns) {
            throw new IllegalArgumentException(owner + ": " + what + " expected (N, " + columns + "), got "
                    + t.shape());
        }
        return t.isContiguous() ? t : t.copy();
    }

    /**
     * Throws unless every value is finite and, for {@code binary}, 0 or 1, or for
     * {@code unitInterval}, in [0, 1]; the message names the first bad value, its row and column.
     */
    static void requireValues(String owner, String what, float[] data, int offset, int rows, int columns,
                              boolean binary, boolean unitInterval) {
        for (int row = 0; row < rows; row++) {
            int start = offset + row * columns;
            for (int column = 0; column < columns; column++) {
                float value = data[start + column];
                boolean ok = binary ? value == 0f || value == 1f
                        : unitInterval ? value >= 0f && value <= 1f : Float.isFinite(value);
                if (!ok) {
                    throw new IllegalArgumentException(owner + ": " + what + " value " + value + " at row " + row
                            + ", column " + column + " is not " + (binary ? "0 or 1" : unitInterval
                            ? "in [0, 1]" : "finite") + (binary ? ": Bernoulli visible units model binary data "
                            + "(binarise it first, or use Gaussian visible units)" : ""));
                }
            }
        }
    }
}
