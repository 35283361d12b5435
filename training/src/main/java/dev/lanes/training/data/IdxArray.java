package dev.lanes.training.data;

import java.util.Arrays;

/**
 * The contents of an IDX file of unsigned bytes: its dimensions (for MNIST images
 * {@code (count, rows, columns)}, for labels {@code (count)}) and its data in row-major order.
 *
 * @param source where it was read from (a file name), for error messages
 * @param dims   the dimensions, each at least 0; the product equals {@code data.length}
 * @param data   the values as stored (read with {@code & 0xFF} for 0..255)
 */
public record IdxArray(String source, int[] dims, byte[] data) {
    /** Checks that the dimensions match the data length. */
    public IdxArray {
        long count = 1;
        for (int dim : dims) {
            if (dim < 0) {
                throw new IllegalArgumentException("dims has a negative entry: " + Arrays.toString(dims));
            }
            count *= dim;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " hold " + count
                    + " values but data.length is " + data.length);
        }
        dims = dims.clone();
    }

    /** {@return the dimensions (a copy)} */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /**
     * {@return the size of dimension {@code axis}}
     *
     * @param axis the dimension, from 0
     */
    public int dim(int axis) {
        return dims[axis];
    }

    /** {@return the number of dimensions} */
    public int rank() {
        return dims.length;
    }

    /**
     * {@return the value at flat index {@code i} as 0..255}
     *
     * @param i the flat (row-major) index
     */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }
}
