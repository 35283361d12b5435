package dev.lanes.autodiff;

import dev.lanes.kernels.Elementwise;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Broadcasting elementwise arithmetic and its reverse, the sum down to a broadcast operand's
 * shape. Contiguous operands of the same shape, and an operand that repeats along the leading
 * axes (a bias row added to every row of a batch), go straight to the {@link Elementwise}
 * kernels, one call per row, and allocate nothing; other layouts take the {@link Tensor} ops.
 */
final class Broadcast {
    /** The elementwise operations. */
    enum Op { ADD, SUB, MUL, DIV }

    private Broadcast() {
    }

    /**
     * Checks that two shapes broadcast (numpy rules), without building the result.
     *
     * @throws IllegalArgumentException naming the operation and both shapes
     */
    static void check(String op, Shape a, Shape b) {
        for (int i = 1; i <= Math.min(a.rank(), b.rank()); i++) {
            int da = a.dim(a.rank() - i);
            int db = b.dim(b.rank() - i);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " do not broadcast");
            }
        }
    }

    /**
     * The row length r when {@code part} without its leading 1s is a suffix of {@code full}'s
     * dimensions (so part repeats every r elements of a row-major full), else -1; also -1 when
     * the shapes are equal or r would be 0 or 1 (a scalar takes the general path, not a kernel
     * call per element).
     */
    static int rowLength(Shape full, Shape part) {
        if (part.rank() > full.rank() || part.equals(full)) {
            return -1;
        }
        int lead = 0;
        while (lead < part.rank() && part.dim(lead) == 1) {
            lead++;
        }
        int offset = full.rank() - part.rank();
        for (int axis = lead; axis < part.rank(); axis++) {
            if (part.dim(axis) != full.dim(offset + axis)) {
                return -1;
            }
        }
        int length = 1;
        for (int axis = lead; axis < part.rank(); axis++) {
            length *= part.dim(axis);
        }
        return length > 1 ? length : -1;
    }

    /** {@code out = a op b}, out contiguous with the broadcast shape of a and b. */
    static void binary(Op op, Tensor out, Tensor a, Tensor b) {
        int n = out.size();
        if (n == 0) {
            return;
        }
        if (a.isContiguous() && b.isContiguous()) {
            boolean fullA = a.shape().equals(out.shape());
            boolean fullB = b.shape().equals(out.shape());
            if (fullA && fullB) {
                kernel(op, out.data(), out.offset(), a.data(), a.offset(), b.data(), b.offset(), n);
                return;
            }
            int rowB = fullA ? rowLength(out.shape(), b.shape()) : -1;
            if (rowB > 0) {
                for (int k = 0; k < n; k += rowB) {
                    kernel(op, out.data(), out.offset() + k, a.data(), a.offset() + k, b.data(), b.offset(), rowB);
                }
                return;
            }
            int rowA = fullB ? rowLength(out.shape(), a.shape()) : -1;
            if (rowA > 0) {
                for (int k = 0; k < n; k += rowA) {
                    kernel(op, out.data(), out.offset() + k, a.data(), a.offset(), b.data(), b.offset() + k, rowA);
                }
                return;
            }
        }
        switch (op) {
            case ADD -> Tensor.add(out, a, b);
            case SUB -> Tensor.sub(out, a, b);
            case MUL -> Tensor.mul(out, a, b);
            case DIV -> Tensor.div(out, a, b);
        }
    }

    private static void kernel(Op op, float[] out, int oo, float[] a, int ao, float[] b, int bo, int n) {
        switch (op) {
            case ADD -> Elementwise.add(out, oo, a, ao, b, bo, n);
            case SUB -> Elementwise.sub(out, oo, a, ao, b, bo, n);
            case MUL -> Elementwise.mul(out, oo, a, ao, b, bo, n);
            case DIV -> Elementwise.div(out, oo, a, ao, b, bo, n);
        }
    }

    /**
     * {@code grad (+)= full summed down to grad's shape}, which broadcasts to full's: {@code +=}
     * when {@code accumulate}, else overwrite. A repeated row is summed row after row in float.
     * grad is contiguous.
     */
    static void sumInto(Tensor grad, boolean accumulate, Tensor full) {
        float[] g = grad.data();
        int go = grad.offset();
        if (full.size() == 0 || grad.size() == 0) {
            if (!accumulate) {
                grad.zero();
            }
            return;
        }
        if (full.isContiguous() && grad.shape().equals(full.shape())) {
            if (accumulate) {
                Elementwise.add(g, go, g, go, full.data(), full.offset(), grad.size());
            } else {
                Elementwise.copy(g, go, full.data(), full.offset(), grad.size());
            }
            return;
        }
        int row = full.isContiguous() ? rowLength(full.shape(), grad.shape()) : -1;
        if (row > 0) {
            int start = 0;
            if (!accumulate) {
                Elementwise.copy(g, go, full.data(), full.offset(), row);
                start = row;
            }
            for (int k = start; k < full.size(); k += row) {
                Elementwise.add(g, go, g, go, full.data(), full.offset() + k, row);
            }
            return;
        }
        Tensor.sumTo(grad, full, accumulate);
    }
}
