package dev.lanes.tensor;

/**
 * The storage half of {@link Tensor}: the array, offset, shape and strides, the layout queries,
 * element access by index, and the checks the package's ops share (writable output, overlap).
 * Package-private: its public methods are part of {@link Tensor}'s API and documented with it.
 * Sealed, so every instance is a {@code Tensor}.
 */
abstract sealed class TensorLayout permits TensorMath {
    final float[] data;
    final int offset;
    final Shape shape;
    final int[] strides;

    /** Trusted: callers guarantee every element lies within {@code data}. */
    TensorLayout(float[] data, int offset, Shape shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    // ---------------------------------------------------------------- layout

    /** {@return the shape} */
    public Shape shape() {
        return shape;
    }

    /** {@return the number of dimensions} */
    public int rank() {
        return shape.rank();
    }

    /**
     * {@return the dimension along {@code axis} (negative counts from the end)}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** {@return the number of elements} */
    public int size() {
        return shape.size();
    }

    /** {@return the backing array itself (shared, not a copy), for kernels} */
    public float[] data() {
        return data;
    }

    /** {@return the index in {@link #data()} of the first element} */
    public int offset() {
        return offset;
    }

    /** {@return a copy of the strides, in elements} */
    public int[] strides() {
        return strides.clone();
    }

    /**
     * {@return the stride along {@code axis}, in elements}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     */
    public int stride(int axis) {
        return strides[shape.axis(axis)];
    }

    /**
     * {@return whether the elements lie in row-major order at {@code data()[offset(), offset() +
     * size())}} Strides of size-1 dimensions do not matter; an empty tensor is contiguous.
     */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dims[i];
            if (d == 0) {
                return true;
            }
            if (d != 1 && strides[i] != expected) {
                return false;
            }
            expected *= d;
        }
        return true;
    }

    // ---------------------------------------------------------------- elements

    /**
     * {@return the element at {@code index} (one index per dimension)}
     *
     * @param index one index per dimension, each in {@code [0, dim)}
     */
    public float get(int... index) {
        return data[position(index)];
    }

    /**
     * {@return the element at {@code i} of a rank-1 tensor}
     *
     * @param i the index along axis 0
     */
    public float get(int i) {
        requireRank(1);
        return data[offset + check(0, i) * strides[0]];
    }

    /**
     * {@return the element at {@code (i, j)} of a rank-2 tensor}
     *
     * @param i the index along axis 0
     * @param j the index along axis 1
     */
    public float get(int i, int j) {
        requireRank(2);
        return data[offset + check(0, i) * strides[0] + check(1, j) * strides[1]];
    }

    /**
     * {@return the element at {@code (i, j, k)} of a rank-3 tensor}
     *
     * @param i the index along axis 0
     * @param j the index along axis 1
     * @param k the index along axis 2
     */
    public float get(int i, int j, int k) {
        requireRank(3);
        return data[offset + check(0, i) * strides[0] + check(1, j) * strides[1] + check(2, k) * strides[2]];
    }

    /**
     * {@return the element at {@code (i, j, k, l)} of a rank-4 tensor}
     *
     * @param i the index along axis 0
     * @param j the index along axis 1
     * @param k the index along axis 2
     * @param l the index along axis 3
     */
    public float get(int i, int j, int k, int l) {
        requireRank(4);
        return data[offset + check(0, i) * strides[0] + check(1, j) * strides[1] + check(2, k) * strides[2]
                + check(3, l) * strides[3]];
    }

    /**
     * Sets the element at {@code index}; through a view, the shared array changes.
     *
     * @param index one index per dimension, each in {@code [0, dim)}
     * @param value the new value of the element
     */
    public void set(int[] index, float value) {
        data[position(index)] = value;
    }

    /**
     * Sets element {@code i} of a rank-1 tensor.
     *
     * @param i the index along axis 0
     * @param value the new value of the element
     */
    public void set(int i, float value) {
        requireRank(1);
        data[offset + check(0, i) * strides[0]] = value;
    }

    /**
     * Sets element {@code (i, j)} of a rank-2 tensor.
     *
     * @param i the index along axis 0
     * @param j the index along axis 1
     * @param value the new value of the element
     */
    public void set(int i, int j, float value) {
        requireRank(2);
        data[offset + check(0, i) * strides[0] + check(1, j) * strides[1]] = value;
    }

    /**
     * Sets element {@code (i, j, k)} of a rank-3 tensor.
     *
     * @param i the index along axis 0
     * @param j the index along axis 1
     * @param k the index along axis 2
     * @param value the new value of the element
     */
    public void set(int i, int j, int k, float value) {
        requireRank(3);
        data[offset + check(0, i) * strides[0] + check(1, j) * strides[1] + check(2, k) * strides[2]] = value;
    }

    /**
     * Sets element {@code (i, j, k, l)} of a rank-4 tensor.
     *
     * @param i the index along axis 0
     * @param j the index along axis 1
     * @param k the index along axis 2
     * @param l the index along axis 3
     * @param value the new value of the element
     */
    public void set(int i, int j, int k, int l, float value) {
        requireRank(4);
        data[offset + check(0, i) * strides[0] + check(1, j) * strides[1] + check(2, k) * strides[2]
                + check(3, l) * strides[3]] = value;
    }

    /** {@return the only element of a one-element tensor (any rank)} */
    public float item() {
        if (size() != 1) {
            throw new IllegalArgumentException("item() needs exactly one element, got shape " + shape);
        }
        return data[offset];
    }


    private int position(int[] index) {
        if (index == null || index.length != rank()) {
            throw new IllegalArgumentException("index " + (index == null ? "null" : Shape.format(index))
                    + " does not have one entry per dimension of shape " + shape);
        }
        int position = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dims[i]) {
                throw new IllegalArgumentException("index " + Shape.format(index) + " is out of range for shape "
                        + shape);
            }
            position += index[i] * strides[i];
        }
        return position;
    }

    private void requireRank(int rank) {
        if (rank() != rank) {
            throw new IllegalArgumentException("a rank-" + rank + " index does not fit shape " + shape);
        }
    }

    private int check(int axis, int index) {
        if (index < 0 || index >= shape.dims[axis]) {
            throw new IllegalArgumentException("index " + index + " is out of range for axis " + axis + " of shape "
                    + shape);
        }
        return index;
    }

    // ---------------------------------------------------------------- helpers

    /** This tensor's strides when broadcast to {@code target} (stride 0 on broadcast axes). */
    int[] stridesFor(Shape target) {
        int[] out = new int[target.rank()];
        int shift = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            out[i + shift] = shape.dims[i] == 1 ? 0 : strides[i];
        }
        return out;
    }

    /** Throws unless every element has its own memory location (no stride 0 on a dimension > 1). */
    void requireWritable(String name) {
        for (int i = 0; i < rank(); i++) {
            if (strides[i] == 0 && shape.dims[i] > 1) {
                throw new IllegalArgumentException(name + ": cannot write to an expanded view (shape " + shape
                        + ", strides " + Shape.format(strides) + "): several elements share one location");
            }
        }
    }

    /** Whether the memory ranges [first, last element] of the two tensors intersect. */
    boolean overlaps(TensorLayout other) {
        return offset <= other.lastPosition() && other.offset <= lastPosition();
    }

    private int lastPosition() {
        int last = offset;
        for (int i = 0; i < rank(); i++) {
            last += (shape.dims[i] - 1) * strides[i];
        }
        return last;
    }
}
