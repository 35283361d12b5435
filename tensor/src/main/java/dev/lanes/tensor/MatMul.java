package dev.lanes.tensor;

import dev.lanes.kernels.Gemm;

/**
 * Matrix products of {@link Tensor} through {@link Gemm#sgemm}. A matrix operand goes to the GEMM
 * as it is when its last two axes are row-major (column stride 1) or column-major (row stride 1,
 * passed as a transpose); any other layout is copied first. Batch axes broadcast, and each batch
 * entry is one GEMM call; when the right operand is shared by the whole batch and the left one
 * stacks its matrices row after row, the batch folds into a single call with m * batch rows.
 */
final class MatMul {
    private MatMul() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        Shape shape = resultShape(a, b);
        Tensor out = Tensor.zeros(shape);
        matmulInto(out, a, b, 1f, 0f);
        return out;
    }

    static void matmulInto(Tensor out, Tensor a, Tensor b, float alpha, float beta) {
        Shape shape = resultShape(a, b);
        if (!out.shape.equals(shape)) {
            throw new IllegalArgumentException("matmul: out has shape " + out.shape + " but " + a.shape + " @ "
                    + b.shape + " is " + shape);
        }
        out.requireWritable("matmul");
        // Promote vectors to matrices: a row (1, k), a column (k, 1); out gains the unit axis too.
        if (a.rank() == 1) {
            a = a.unsqueeze(0);
            out = out.unsqueeze(out.rank() - 1);
        }
        if (b.rank() == 1) {
            b = b.unsqueeze(1);
            out = out.unsqueeze(out.rank());
        }
        // GEMM reads A and B while it writes C: inputs sharing memory with out are copied.
        if (a.data == out.data && a.overlaps(out)) {
            a = a.copy();
        }
        if (b.data == out.data && b.overlaps(out)) {
            b = b.copy();
        }
        gemm(out, a, b, alpha, beta);
    }

    static Shape resultShape(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul needs operands of rank >= 1, got " + a.shape + " @ " + b.shape);
        }
        int k = a.dim(-1);
        int kb = b.rank() == 1 ? b.dim(0) : b.dim(-2);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, " + a.shape + " @ " + b.shape
                    + " (" + k + " != " + kb + ")");
        }
        Shape batchA = Shape.ofTrusted(java.util.Arrays.copyOf(a.shape.dims, Math.max(a.rank() - 2, 0)));
        Shape batchB = Shape.ofTrusted(java.util.Arrays.copyOf(b.shape.dims, Math.max(b.rank() - 2, 0)));
        Shape batch;
        try {
            batch = Shape.broadcast(batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: the batch dimensions of " + a.shape + " and " + b.shape
                    + " do not broadcast", e);
        }
        int[] dims = java.util.Arrays.copyOf(batch.dims, batch.rank() + 2);
        int rank = batch.rank();
        if (a.rank() > 1) {
            dims[rank++] = a.dim(-2);
        }
        if (b.rank() > 1) {
            dims[rank++] = b.dim(-1);
        }
        return Shape.ofTrusted(java.util.Arrays.copyOf(dims, rank));
    }

    /**
     * The GEMM layout of a (rows, cols) matrix with the given strides: {@code ld > 0} for
     * row-major with row stride ld, {@code -ld} for column-major (a transpose), 0 when neither.
     * Strides of a size-1 axis do not matter, so the smallest legal ld is used there.
     */
    static int layout(int rows, int cols, int rowStride, int colStride) {
        if (cols <= 1 || colStride == 1) {
            int ld = rows <= 1 ? Math.max(1, cols) : rowStride;
            if (ld >= Math.max(1, cols)) {
                return ld;
            }
        }
        if (rows <= 1 || rowStride == 1) {
            int ld = cols <= 1 ? Math.max(1, rows) : colStride;
            if (ld >= Math.max(1, rows)) {
                return -ld;
            }
        }
        return 0;
    }

    private static int layout(Tensor x) {
        int r = x.rank();
        return layout(x.shape.dims[r - 2], x.shape.dims[r - 1], x.strides[r - 2], x.strides[r - 1]);
    }

    // out (..., m, n) = alpha * a (..., m, k) @ b (..., k, n) + beta * out; out writable, no overlap.
    private static void gemm(Tensor out, Tensor a, Tensor b, float alpha, float beta) {
        int outLayout = layout(out);
        if (outLayout == 0) {
            // out is neither row- nor column-major: compute into a contiguous copy and copy back.
            Tensor temp = beta == 0 ? Tensor.zeros(out.shape) : out.copy();
            gemm(temp, a, b, alpha, beta);
            out.copyFrom(temp);
            return;
        }
        if (outLayout < 0) {
            // out is column-major: C^T = B^T A^T is row-major in the same memory.
            gemm(out.transpose(), b.transpose(), a.transpose(), alpha, beta);
            return;
        }
        if (layout(a) == 0) {
            a = a.copy();
        }
        if (layout(b) == 0) {
            b = b.copy();
        }
        int r = out.rank();
        int m = out.shape.dims[r - 2];
        int n = out.shape.dims[r - 1];
        int k = a.shape.dims[a.rank() - 1];
        int lda = layout(a);
        int ldb = layout(b);
        boolean transA = lda < 0;
        boolean transB = ldb < 0;
        Shape batch = Shape.ofTrusted(java.util.Arrays.copyOf(out.shape.dims, r - 2));
        int[] batchA = a.stridesFor(withMatrix(batch, a));
        int[] batchB = b.stridesFor(withMatrix(batch, b));
        int[] batchC = out.strides;
        int count = batch.size();
        if (count > 1 && !transA && allZero(batchB, batch.rank())
                && stacksRows(batch, batchA, m, lda) && stacksRows(batch, batchC, m, outLayout)) {
            // One GEMM over the whole batch: the rows of every batch entry follow each other.
            Gemm.sgemm(false, transB, m * count, n, k, alpha, a.data, a.offset, lda, b.data, b.offset,
                    Math.abs(ldb), beta, out.data, out.offset, outLayout);
            return;
        }
        int[] index = new int[batch.rank()];
        int offA = a.offset;
        int offB = b.offset;
        int offC = out.offset;
        for (int t = 0; t < count; t++) {
            Gemm.sgemm(transA, transB, m, n, k, alpha, a.data, offA, Math.abs(lda), b.data, offB, Math.abs(ldb),
                    beta, out.data, offC, outLayout);
            for (int d = batch.rank() - 1; d >= 0; d--) {
                offA += batchA[d];
                offB += batchB[d];
                offC += batchC[d];
                if (++index[d] < batch.dims[d]) {
                    break;
                }
                index[d] = 0;
                offA -= batchA[d] * batch.dims[d];
                offB -= batchB[d] * batch.dims[d];
                offC -= batchC[d] * batch.dims[d];
            }
        }
    }

    // The batch shape followed by x's own matrix dims, to broadcast x's strides against.
    private static Shape withMatrix(Shape batch, Tensor x) {
        int[] dims = java.util.Arrays.copyOf(batch.dims, batch.rank() + 2);
        dims[batch.rank()] = x.dim(-2);
        dims[batch.rank() + 1] = x.dim(-1);
        return Shape.ofTrusted(dims);
    }

    private static boolean allZero(int[] strides, int count) {
        for (int i = 0; i < count; i++) {
            if (strides[i] != 0) {
                return false;
            }
        }
        return true;
    }

    // Whether the batch axes continue the row axis: entry t starts t * m rows after entry 0.
    private static boolean stacksRows(Shape batch, int[] strides, int m, int ld) {
        long expected = (long) m * ld;
        for (int d = batch.rank() - 1; d >= 0; d--) {
            if (batch.dims[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= batch.dims[d];
        }
        return true;
    }
}
