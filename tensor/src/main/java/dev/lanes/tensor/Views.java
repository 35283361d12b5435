package dev.lanes.tensor;

/** The view operations of {@link Tensor}: each returns a tensor over the same array, or throws. */
final class Views {
    private Views() {
    }

    static Tensor reshape(Tensor x, int[] requested) {
        int[] dims = inferDims(x.shape, requested);
        Shape shape = Shape.of(dims);
        int[] strides = x.isContiguous() ? shape.contiguousStrides() : viewStrides(x.shape.dims, x.strides, dims);
        if (strides == null) {
            throw new IllegalArgumentException("cannot reshape " + x.shape + " with strides " + Shape.format(x.strides)
                    + " to " + shape + " without copying; use contiguous().reshape(...) to copy");
        }
        return new Tensor(x.data, x.offset, shape, strides);
    }

    // Resolves one -1 and checks that the element counts agree.
    private static int[] inferDims(Shape from, int[] requested) {
        if (requested == null) {
            throw new IllegalArgumentException("dims must not be null");
        }
        int[] dims = requested.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1 && inferred < 0) {
                inferred = i;
            } else if (dims[i] < 0) {
                throw new IllegalArgumentException("cannot reshape " + from + " to " + Shape.format(requested)
                        + ": dimensions must be non-negative, with at most one -1");
            } else {
                known *= dims[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || from.size() % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + from + " (" + from.size() + " elements) to "
                        + Shape.format(requested));
            }
            dims[inferred] = (int) (from.size() / known);
            known *= dims[inferred];
        }
        if (known != from.size()) {
            throw new IllegalArgumentException("cannot reshape " + from + " (" + from.size() + " elements) to "
                    + Shape.format(requested) + " (" + known + " elements)");
        }
        return dims;
    }

    /**
     * Strides that walk the same elements in the same row-major order with the new dims, or null
     * when there are none. The old dims split into chunks whose axes are laid out contiguously
     * relative to each other (stride of each = stride of the next times its size); a view exists
     * exactly when every chunk is tiled by a run of new dims with the same element count.
     */
    static int[] viewStrides(int[] oldDims, int[] oldStrides, int[] newDims) {
        int[] newStrides = new int[newDims.length];
        long size = 1;
        for (int d : oldDims) {
            size *= d;
        }
        if (size == 0 || oldDims.length == 0) {
            // No element (or one) to walk: any strides will do; use row-major ones.
            return Shape.ofTrusted(newDims.clone()).contiguousStrides();
        }
        int next = newDims.length - 1; // the innermost new dim not yet assigned
        int old = oldDims.length - 1;
        while (old >= 0) {
            // Collect the chunk ending at old: extend outward while the axis continues the chunk.
            int base = oldStrides[old];
            long chunk = oldDims[old];
            int start = old;
            while (start > 0 && (oldDims[start - 1] == 1 || (long) oldStrides[start - 1] == chunk * base)) {
                chunk *= oldDims[start - 1];
                start--;
            }
            // Tile the chunk with new dims (size-1 new dims attach freely).
            long tiled = 1;
            while (next >= 0 && (tiled < chunk || newDims[next] == 1)) {
                newStrides[next] = (int) (tiled * base);
                tiled *= newDims[next];
                next--;
            }
            if (tiled != chunk) {
                return null;
            }
            old = start - 1;
        }
        return next < 0 ? newStrides : null;
    }

    static Tensor permute(Tensor x, int[] axes) {
        int r = x.rank();
        if (axes == null || axes.length != r) {
            throw new IllegalArgumentException("permutation " + (axes == null ? "null" : Shape.format(axes))
                    + " does not list the " + r + " axes of shape " + x.shape);
        }
        boolean[] seen = new boolean[r];
        int[] dims = new int[r];
        int[] strides = new int[r];
        for (int i = 0; i < r; i++) {
            int axis = axes[i] < 0 ? axes[i] + r : axes[i];
            if (axis < 0 || axis >= r || seen[axis]) {
                throw new IllegalArgumentException("permutation " + Shape.format(axes)
                        + " is not a permutation of the " + r + " axes of shape " + x.shape);
            }
            seen[axis] = true;
            dims[i] = x.shape.dims[axis];
            strides[i] = x.strides[axis];
        }
        return new Tensor(x.data, x.offset, Shape.ofTrusted(dims), strides);
    }

    static Tensor slice(Tensor x, int axis, int start, int end, int step) {
        int a = x.shape.axis(axis);
        int dim = x.shape.dims[a];
        if (step < 1) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
        if (start < 0 || end > dim || start > end) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") is out of range for axis " + axis
                    + " of shape " + x.shape);
        }
        int[] dims = x.shape.dims.clone();
        int[] strides = x.strides.clone();
        dims[a] = (end - start + step - 1) / step;
        strides[a] = x.strides[a] * step;
        int offset = dims[a] == 0 ? x.offset : x.offset + start * x.strides[a];
        return new Tensor(x.data, offset, Shape.ofTrusted(dims), strides);
    }

    static Tensor select(Tensor x, int axis, int index) {
        int a = x.shape.axis(axis);
        if (index < 0 || index >= x.shape.dims[a]) {
            throw new IllegalArgumentException("index " + index + " is out of range for axis " + axis + " of shape "
                    + x.shape);
        }
        return new Tensor(x.data, x.offset + index * x.strides[a], Shape.ofTrusted(remove(x.shape.dims, a)),
                remove(x.strides, a));
    }

    static Tensor squeeze(Tensor x) {
        int kept = 0;
        for (int d : x.shape.dims) {
            kept += d == 1 ? 0 : 1;
        }
        int[] dims = new int[kept];
        int[] strides = new int[kept];
        for (int i = 0, j = 0; i < x.rank(); i++) {
            if (x.shape.dims[i] != 1) {
                dims[j] = x.shape.dims[i];
                strides[j++] = x.strides[i];
            }
        }
        return new Tensor(x.data, x.offset, Shape.ofTrusted(dims), strides);
    }

    static Tensor squeeze(Tensor x, int axis) {
        int a = x.shape.axis(axis);
        if (x.shape.dims[a] != 1) {
            throw new IllegalArgumentException("cannot squeeze axis " + axis + " of shape " + x.shape
                    + ": its size is not 1");
        }
        return new Tensor(x.data, x.offset, Shape.ofTrusted(remove(x.shape.dims, a)), remove(x.strides, a));
    }

    static Tensor unsqueeze(Tensor x, int axis) {
        int r = x.rank();
        if (axis < -r - 1 || axis > r) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for unsqueeze of shape " + x.shape
                    + " (must be in [" + (-r - 1) + ", " + r + "])");
        }
        int a = axis < 0 ? axis + r + 1 : axis;
        int[] dims = new int[r + 1];
        int[] strides = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            if (i == a) {
                dims[i] = 1;
                // Any stride is right for size 1; this one keeps a contiguous tensor contiguous.
                strides[i] = a < r ? x.strides[a] * x.shape.dims[a] : 1;
            } else {
                dims[i] = x.shape.dims[j];
                strides[i] = x.strides[j++];
            }
        }
        return new Tensor(x.data, x.offset, Shape.ofTrusted(dims), strides);
    }

    static Tensor expand(Tensor x, int[] target) {
        if (target == null) {
            throw new IllegalArgumentException("dims must not be null");
        }
        int r = target.length;
        int shift = r - x.rank();
        if (shift < 0) {
            throw new IllegalArgumentException("cannot expand " + x.shape + " to " + Shape.format(target)
                    + ": fewer dimensions");
        }
        int[] dims = new int[r];
        int[] strides = new int[r];
        for (int i = 0; i < r; i++) {
            int from = i >= shift ? x.shape.dims[i - shift] : 1;
            int to = target[i] == -1 && i >= shift ? from : target[i];
            if (to < 0 || (from != to && from != 1)) {
                throw new IllegalArgumentException("cannot expand " + x.shape + " to " + Shape.format(target));
            }
            dims[i] = to;
            strides[i] = i >= shift && from == to ? x.strides[i - shift] : 0;
        }
        return new Tensor(x.data, x.offset, Shape.of(dims), strides);
    }

    private static int[] remove(int[] values, int index) {
        int[] out = new int[values.length - 1];
        System.arraycopy(values, 0, out, 0, index);
        System.arraycopy(values, index + 1, out, index, values.length - index - 1);
        return out;
    }
}
