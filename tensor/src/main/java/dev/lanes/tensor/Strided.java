package dev.lanes.tensor;

import dev.lanes.tensor.InnerLoops.Binary;
import dev.lanes.tensor.InnerLoops.Unary;

/**
 * N-dimensional loops over operands that share one shape (inputs already broadcast, with stride
 * 0 along broadcast axes). Each loop first coalesces the dimensions: it drops size-1 axes and
 * merges neighbouring axes that every operand walks with one stride, so a contiguous operation of
 * any rank becomes a single call of {@link InnerLoops} over all its elements, and a bias added
 * over (N, C, H, W) becomes N*C calls over H*W elements with a scalar operand. The remaining outer
 * axes are walked in row-major order with an odometer.
 */
final class Strided {
    private Strided() {
    }

    /** Geometry after coalescing: {@code dims[rank]} and one stride array per operand. */
    private static final class Geometry {
        final int rank;
        final int[] dims;
        final int[][] strides;

        Geometry(int[] dims, int[]... strides) {
            int n = dims.length;
            int[] d = new int[Math.max(n, 1)];
            int[][] s = new int[strides.length][Math.max(n, 1)];
            int r = 0;
            // Innermost first: d[0], s[*][0] is the innermost kept axis while building.
            for (int i = n - 1; i >= 0; i--) {
                if (dims[i] == 1) {
                    continue;
                }
                if (r > 0 && mergeable(dims, strides, i, d[r - 1], s, r - 1)) {
                    d[r - 1] *= dims[i];
                    continue;
                }
                d[r] = dims[i];
                for (int o = 0; o < strides.length; o++) {
                    s[o][r] = strides[o][i];
                }
                r++;
            }
            if (r == 0) {
                d[0] = 1;
                r = 1;
            }
            // Reverse into outermost-first order.
            this.rank = r;
            this.dims = new int[r];
            this.strides = new int[strides.length][r];
            for (int i = 0; i < r; i++) {
                this.dims[i] = d[r - 1 - i];
                for (int o = 0; o < strides.length; o++) {
                    this.strides[o][i] = s[o][r - 1 - i];
                }
            }
        }

        // Axis i (outer) merges into the kept axis k (inner, with accumulated size innerSize)
        // when every operand steps over the whole inner block with its outer stride.
        private static boolean mergeable(int[] dims, int[][] strides, int i, int innerSize, int[][] kept, int k) {
            for (int o = 0; o < strides.length; o++) {
                if ((long) strides[o][i] != (long) kept[o][k] * innerSize) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Steps the odometer to the next outer position: {@code offsets[o]} is operand o's offset,
         * {@code index} the position along the outer axes (the innermost axis is the loop's own).
         */
        void next(int[] index, int[] offsets) {
            for (int d = rank - 2; d >= 0; d--) {
                for (int o = 0; o < offsets.length; o++) {
                    offsets[o] += strides[o][d];
                }
                if (++index[d] < dims[d]) {
                    return;
                }
                index[d] = 0;
                for (int o = 0; o < offsets.length; o++) {
                    offsets[o] -= strides[o][d] * dims[d];
                }
            }
        }

        int outerCount() {
            int count = 1;
            for (int i = 0; i < rank - 1; i++) {
                count *= dims[i];
            }
            return count;
        }
    }

    private static boolean empty(int[] dims) {
        for (int d : dims) {
            if (d == 0) {
                return true;
            }
        }
        return false;
    }

    // out = a op b elementwise over dims; a and b may have stride 0 (broadcast)
    static void binary(Binary op, float alpha, float[] out, int oo, int[] os,
                       float[] a, int ao, int[] as, float[] b, int bo, int[] bs, int[] dims) {
        if (empty(dims)) {
            return;
        }
        Geometry g = new Geometry(dims, os, as, bs);
        int last = g.rank - 1;
        int n = g.dims[last];
        int[] so = g.strides[0];
        int[] sa = g.strides[1];
        int[] sb = g.strides[2];
        int[] index = new int[g.rank];
        int[] off = {oo, ao, bo};
        for (int t = g.outerCount(); t > 0; t--) {
            InnerLoops.binary(op, alpha, out, off[0], so[last], a, off[1], sa[last], b, off[2], sb[last], n);
            g.next(index, off);
        }
    }

    // out = op(x) elementwise over dims; x may have stride 0 (broadcast)
    static void unary(Unary op, float[] out, int oo, int[] os, float[] x, int xo, int[] xs, int[] dims) {
        if (empty(dims)) {
            return;
        }
        Geometry g = new Geometry(dims, os, xs);
        int last = g.rank - 1;
        int n = g.dims[last];
        int[] so = g.strides[0];
        int[] sx = g.strides[1];
        int[] index = new int[g.rank];
        int[] off = {oo, xo};
        for (int t = g.outerCount(); t > 0; t--) {
            InnerLoops.unary(op, out, off[0], so[last], x, off[1], sx[last], n);
            g.next(index, off);
        }
    }

    /**
     * Reduces x into out: {@code out[j] = combine(out[j], x[i])} for every i mapping to j, where out
     * is walked with stride 0 along the reduced axes. {@code op} is ADD (sum), MAX or MIN. The
     * order is x's row-major order, so the result is the same on every run.
     */
    static void reduce(Binary op, float[] out, int oo, int[] os, float[] x, int xo, int[] xs, int[] dims) {
        if (empty(dims)) {
            return;
        }
        Geometry g = new Geometry(dims, os, xs);
        int last = g.rank - 1;
        int n = g.dims[last];
        int[] so = g.strides[0];
        int[] sx = g.strides[1];
        int[] index = new int[g.rank];
        int[] off = {oo, xo};
        for (int t = g.outerCount(); t > 0; t--) {
            int o = off[0];
            int i = off[1];
            if (so[last] == 0) {
                // The inner axis is reduced: one row reduction into one output.
                float row = switch (op) {
                    case ADD -> InnerLoops.sum(x, i, sx[last], n);
                    case MAX -> InnerLoops.max(x, i, sx[last], n);
                    case MIN -> InnerLoops.min(x, i, sx[last], n);
                    default -> throw new AssertionError(op);
                };
                out[o] = InnerLoops.apply(op, 0f, out[o], row);
            } else {
                // The inner axis is kept: combine a whole row of x into a row of out.
                InnerLoops.binary(op, 0f, out, o, so[last], out, o, so[last], x, i, sx[last], n);
            }
            g.next(index, off);
        }
    }
}
