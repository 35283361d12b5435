package dev.lanes.recurrent;

/**
 * The input of one recurrent layer as time-major matrices side by side: the whole input is their
 * concatenation along features. The first layer has one part (the batch-first input turned
 * time-major); a layer above a bidirectional one has two, the hidden states of each direction of
 * the layer below, read where that layer keeps them (no copy). Each part is (steps x batch,
 * width), row-major and contiguous, rows in time order; its gradient has the same layout.
 */
final class SequenceParts {
    private final float[][] values = new float[2][];
    private final int[] offsets = new int[2];
    private final int[] widths = new int[2];
    private final float[][] gradients = new float[2][];
    private int count;

    /** Forgets the parts. */
    void clear() {
        count = 0;
    }

    /** Adds a part and the array its gradient goes to (same layout, from offset 0). */
    void add(float[] values, int offset, int width, float[] gradient) {
        this.values[count] = values;
        offsets[count] = offset;
        widths[count] = width;
        gradients[count] = gradient;
        count++;
    }

    int count() {
        return count;
    }

    float[] values(int part) {
        return values[part];
    }

    int offset(int part) {
        return offsets[part];
    }

    int width(int part) {
        return widths[part];
    }

    float[] gradient(int part) {
        return gradients[part];
    }

    /** The first input feature of a part: the column of the input weights it multiplies. */
    int column(int part) {
        int column = 0;
        for (int p = 0; p < part; p++) {
            column += widths[p];
        }
        return column;
    }
}
