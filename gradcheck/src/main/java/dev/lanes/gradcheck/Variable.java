package dev.lanes.gradcheck;

import dev.lanes.tensor.Tensor;

/** A block of coordinates the checker perturbs: an input, a parameter, a function argument. */
abstract class Variable {
    final String name;
    final int[] dims;
    final int size;

    Variable(String name, int[] dims) {
        this.name = name;
        this.dims = dims.clone();
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        this.size = n;
    }

    abstract double get(int i);

    /** Stores the representable value nearest {@code value} at i; returns what was stored. */
    abstract double set(int i, double value);

    /** A float tensor perturbed in place (a contiguous tensor: the caller's copy or a parameter). */
    static Variable of(String name, Tensor tensor) {
        if (!tensor.isContiguous()) {
            throw new IllegalArgumentException("variable " + name + " must be contiguous");
        }
        float[] data = tensor.data();
        int offset = tensor.offset();
        return new Variable(name, tensor.shape().dims()) {
            @Override
            double get(int i) {
                return data[offset + i];
            }

            @Override
            double set(int i, double value) {
                float stored = (float) value;
                data[offset + i] = stored;
                return stored;
            }
        };
    }

    /** A double array perturbed in place. */
    static Variable of(String name, double[] values, int[] dims) {
        return new Variable(name, dims) {
            @Override
            double get(int i) {
                return values[i];
            }

            @Override
            double set(int i, double value) {
                values[i] = value;
                return value;
            }
        };
    }

    /** {@code name[i, j, ...]} for flat index {@code flat}, row-major over dims. */
    static String element(String name, int[] dims, int flat) {
        if (dims.length == 0) {
            return name;
        }
        int[] index = new int[dims.length];
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            index[axis] = dims[axis] == 0 ? 0 : flat % dims[axis];
            flat = dims[axis] == 0 ? 0 : flat / dims[axis];
        }
        StringBuilder text = new StringBuilder(name).append('[');
        for (int axis = 0; axis < index.length; axis++) {
            text.append(axis == 0 ? "" : ", ").append(index[axis]);
        }
        return text.append(']').toString();
    }
}
