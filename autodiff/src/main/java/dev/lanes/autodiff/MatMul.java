package dev.lanes.autodiff;

import dev.lanes.kernels.Gemm;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * The matrix product C = A·B of the last two axes, batch axes broadcast. Two matrices go straight
 * to {@link Gemm#sgemm} in every pass, row- or column-major operands as they lie; batched
 * products take {@link Tensor#matmul}. An operand that is the transpose of a matrix Var (a
 * {@link Permute} swapping its two axes) is replaced by that Var, read transposed: its gradient
 * is then computed transposed by the GEMM straight into the matrix's gradient, as a dense layer
 * computes dL/dW, with no transposing copy.
 */
final class MatMul extends Node {
    private final Operand left = new Operand();
    private final Operand right = new Operand();
    /** Whether input 0 (1) is the matrix whose transpose is the left (right) operand. */
    private boolean transposeA;
    private boolean transposeB;
    private Shape shapeA;
    private Shape shapeB;
    private Shape shape;

    private MatMul(Tape tape) {
        super(tape, 2);
    }

    static Var apply(Var a, Var b) {
        Tape tape = Tape.of("matmul", a, b);
        Shape sa = a.shape();
        Shape sb = b.shape();
        if (sa.rank() < 2 || sb.rank() < 2) {
            throw new IllegalArgumentException("matmul needs operands of rank >= 2 (reshape a vector to a matrix), got "
                    + sa + " @ " + sb);
        }
        if (sa.dim(-1) != sb.dim(-2)) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, " + sa + " @ " + sb);
        }
        if (sa.rank() > 2 || sb.rank() > 2) {
            Broadcast.check("matmul (batch axes)", batch(sa), batch(sb));
        }
        Var sourceA = Permute.transposedMatrix(a);
        Var sourceB = Permute.transposedMatrix(b);
        MatMul node = tape.next(MatMul.class, MatMul::new);
        node.transposeA = sourceA != null;
        node.transposeB = sourceB != null;
        node.inputs[0] = sourceA != null ? sourceA : a;
        node.inputs[1] = sourceB != null ? sourceB : b;
        return tape.run(node);
    }

    private static Shape batch(Shape s) {
        return Shape.of(java.util.Arrays.copyOf(s.dims(), s.rank() - 2));
    }

    /** (batch..., m, n) for (batch..., m, k) @ (batch..., k, n), the batch axes broadcast. */
    private static Shape resultShape(Shape a, Shape b) {
        int[] batch = Shape.broadcast(batch(a), batch(b)).dims();
        int[] dims = java.util.Arrays.copyOf(batch, batch.length + 2);
        dims[batch.length] = a.dim(-2);
        dims[batch.length + 1] = b.dim(-1);
        return Shape.of(dims);
    }

    @Override
    String name() {
        return "matmul";
    }

    // One multiply-add per output element and step of the inner dimension k.
    @Override
    long multiplyAdds() {
        Shape a = inputs[0].shape();
        int k = transposeA ? a.dim(-2) : a.dim(-1);
        return (long) out.shape().size() * k;
    }

    /** The left operand as the product sees it (a view). */
    private Tensor operandA(Tensor stored) {
        return transposeA ? stored.transpose() : stored;
    }

    private Tensor operandB(Tensor stored) {
        return transposeB ? stored.transpose() : stored;
    }

    private boolean matrices() {
        return inputs[0].value.rank() == 2 && inputs[1].value.rank() == 2;
    }

    // C (m, n) = A (m, k) · B (k, n)
    @Override
    void forward() {
        Tensor a = inputs[0].value;
        Tensor b = inputs[1].value;
        if (!a.shape().equals(shapeA) || !b.shape().equals(shapeB)) {
            shape = resultShape(operandA(a).shape(), operandB(b).shape());
            shapeA = a.shape();
            shapeB = b.shape();
        }
        Tensor c = output(shape);
        if (!matrices()) {
            Tensor.matmul(c, operandA(a), operandB(b), 1f, 0f);
            return;
        }
        left.describe(a, transposeA, this, 0);
        right.describe(b, transposeB, this, 1);
        int m = shape.dim(0);
        int n = shape.dim(1);
        int k = transposeA ? a.dim(0) : a.dim(1);
        Gemm.sgemm(left.trans, right.trans, m, n, k, 1f, left.data, left.offset, left.ld, right.data, right.offset,
                right.ld, 0f, c.data(), 0, Math.max(1, n));
    }

    // Ċ = Ȧ·B + A·Ḃ
    @Override
    void tangent() {
        Tensor a = operandA(inputs[0].value);
        Tensor b = operandB(inputs[1].value);
        Tensor t = tangentBuffer();
        Tensor da = inputs[0].tangent;
        Tensor db = inputs[1].tangent;
        if (da != null) {
            Tensor.matmul(t, operandA(da), b, 1f, 0f);
        }
        if (db != null) {
            Tensor.matmul(t, a, operandB(db), 1f, da != null ? 1f : 0f);
        }
        out.tangent = t;
    }

    // dL/dA = G·Bᵀ;  dL/dB = Aᵀ·G  (summed over broadcast batch axes)
    @Override
    void backward(int channel) {
        Tensor g = upstream(channel);
        if (!matrices()) {
            Tensor a = operandA(inputs[0].value);
            Tensor b = operandB(inputs[1].value);
            if (wants(0)) {
                Tensor ga = g.matmul(b.transpose());
                addInto(0, channel, transposeA ? ga.transpose() : ga);
            }
            if (wants(1)) {
                Tensor gb = a.transpose().matmul(g);
                addInto(1, channel, transposeB ? gb.transpose() : gb);
            }
            return;
        }
        int m = g.dim(0);
        int n = g.dim(1);
        int ldg = Math.max(1, n);
        if (wants(0)) {
            Tensor grad = accumulator(0, channel);
            float beta = accumulates(0, channel) ? 1f : 0f;
            int k = transposeA ? grad.dim(0) : grad.dim(1);
            if (transposeA) {
                // the stored matrix is Aᵀ (k, m): dL/dAᵀ = B·Gᵀ
                Gemm.sgemm(right.trans, true, k, m, n, 1f, right.data, right.offset, right.ld, g.data(), g.offset(),
                        ldg, beta, grad.data(), grad.offset(), Math.max(1, m));
            } else {
                Gemm.sgemm(false, !right.trans, m, k, n, 1f, g.data(), g.offset(), ldg, right.data, right.offset,
                        right.ld, beta, grad.data(), grad.offset(), Math.max(1, k));
            }
            written(0, channel);
        }
        if (wants(1)) {
            Tensor grad = accumulator(1, channel);
            float beta = accumulates(1, channel) ? 1f : 0f;
            int k = transposeB ? grad.dim(1) : grad.dim(0);
            if (transposeB) {
                // the stored matrix is Bᵀ (n, k): dL/dBᵀ = Gᵀ·A
                Gemm.sgemm(true, left.trans, n, k, m, 1f, g.data(), g.offset(), ldg, left.data, left.offset, left.ld,
                        beta, grad.data(), grad.offset(), Math.max(1, k));
            } else {
                Gemm.sgemm(!left.trans, false, k, n, m, 1f, left.data, left.offset, left.ld, g.data(), g.offset(), ldg,
                        beta, grad.data(), grad.offset(), ldg);
            }
            written(1, channel);
        }
    }

    // d/dε with G fixed: A' += G·Ḃᵀ;  B' += Ȧᵀ·G
    @Override
    void secondOrder() {
        Tensor g = upstream(GRAD);
        Tensor da = inputs[0].tangent;
        Tensor db = inputs[1].tangent;
        if (wants(0) && db != null) {
            Tensor term = g.matmul(operandB(db).transpose());
            addInto(0, GRAD_TANGENT, transposeA ? term.transpose() : term);
        }
        if (wants(1) && da != null) {
            Tensor term = operandA(da).transpose().matmul(g);
            addInto(1, GRAD_TANGENT, transposeB ? term.transpose() : term);
        }
    }

    /**
     * A matrix as the GEMM takes it: array, offset, row stride and transpose flag, for the product
     * operand {@code transposed ? tᵀ : t}. Row-major and column-major matrices are passed as they
     * lie; other layouts are copied into one of the node's workspaces.
     */
    private static final class Operand {
        float[] data;
        int offset;
        int ld;
        boolean trans;

        void describe(Tensor t, boolean transposed, Node node, int workspace) {
            int rows = t.dim(0);
            int cols = t.dim(1);
            if (t.stride(1) == 1 && t.stride(0) >= Math.max(1, cols)) {
                set(t, t.stride(0), transposed);
            } else if (t.stride(0) == 1 && t.stride(1) >= Math.max(1, rows)) {
                set(t, t.stride(1), !transposed);
            } else {
                Tensor copy = node.contiguous(workspace, t);
                set(copy, Math.max(1, cols), transposed);
            }
        }

        private void set(Tensor t, int rowStride, boolean transposed) {
            data = t.data();
            offset = t.offset();
            ld = rowStride;
            trans = transposed;
        }
    }
}
