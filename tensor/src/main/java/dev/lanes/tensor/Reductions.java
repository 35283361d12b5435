package dev.lanes.tensor;

import dev.lanes.tensor.InnerLoops.Binary;

/**
 * Sums, maxima and minima of {@link Tensor}. Every reduction writes into an output walked with
 * stride 0 along the reduced axes ({@link Strided#reduce}), in the input's row-major order, so
 * one code path serves the total, a single axis and {@code sumTo}.
 */
final class Reductions {
    private Reductions() {
    }

    // The reduction of all elements: SUM, MAX or MIN.
    static float all(Tensor x, Binary op) {
        if (x.size() == 0) {
            if (op == Binary.ADD) {
                return 0f;
            }
            throw new IllegalArgumentException((op == Binary.MAX ? "max" : "min")
                    + " of an empty tensor of shape " + x.shape);
        }
        float[] out = {identity(op)};
        Strided.reduce(op, out, 0, new int[x.rank()], x.data, x.offset, x.strides, x.shape.dims);
        return out[0];
    }

    // The reduction along one axis, which is kept with size 1 or removed.
    static Tensor along(Tensor x, Binary op, int axis, boolean keepDims) {
        int a = x.shape.axis(axis);
        int[] kept = x.shape.dims();
        if (kept[a] == 0 && op != Binary.ADD) {
            throw new IllegalArgumentException("max along axis " + axis + " of shape " + x.shape
                    + ": the axis is empty");
        }
        kept[a] = 1;
        Tensor out = Tensor.full(Shape.ofTrusted(kept), identity(op));
        Strided.reduce(op, out.data, 0, out.stridesFor(x.shape), x.data, x.offset, x.strides, x.shape.dims);
        return keepDims ? out : out.squeeze(a);
    }

    static void sumTo(Tensor out, Tensor x, boolean accumulate) {
        if (!out.shape.broadcastsTo(x.shape)) {
            throw new IllegalArgumentException("sumTo: shape " + out.shape + " does not broadcast to " + x.shape);
        }
        out.requireWritable("sumTo");
        if (x.data == out.data && x.size() > 0 && out.size() > 0 && x.overlaps(out)) {
            x = x.copy(); // out is cleared (or summed into) before all of x is read
        }
        if (!accumulate) {
            out.fill(0f);
        }
        Strided.reduce(Binary.ADD, out.data, out.offset, out.stridesFor(x.shape), x.data, x.offset, x.strides,
                x.shape.dims);
    }

    static int[] argmax(Tensor x, int axis) {
        int a = x.shape.axis(axis);
        int n = x.shape.dims[a];
        if (n == 0) {
            throw new IllegalArgumentException("argmax along axis " + axis + " of shape " + x.shape
                    + ": the axis is empty");
        }
        // Walk every position of the other axes (a view without the axis) and scan the axis.
        Tensor rest = x.select(a, 0);
        int stride = x.strides[a];
        int[] result = new int[rest.size()];
        int[] index = new int[rest.rank()];
        int position = rest.offset;
        for (int t = 0; t < result.length; t++) {
            result[t] = InnerLoops.argmax(x.data, position, stride, n);
            for (int d = rest.rank() - 1; d >= 0; d--) {
                position += rest.strides[d];
                if (++index[d] < rest.shape.dims[d]) {
                    break;
                }
                index[d] = 0;
                position -= rest.strides[d] * rest.shape.dims[d];
            }
        }
        return result;
    }

    private static float identity(Binary op) {
        return switch (op) {
            case ADD -> 0f;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
            default -> throw new AssertionError(op);
        };
    }
}
