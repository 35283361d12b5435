package dev.lanes.autodiff;

import dev.lanes.kernels.Elementwise;
import dev.lanes.kernels.Reductions;
import dev.lanes.kernels.Softmax;
import dev.lanes.kernels.VectorMath;
import dev.lanes.tensor.Tensor;

/**
 * Softmax or log-softmax along the last axis, on the {@link Softmax} kernels, as the layers
 * {@code Softmax} and {@code LogSoftmax} compute them.
 */
final class SoftmaxNode extends Node {
    private boolean log;

    private SoftmaxNode(Tape tape) {
        super(tape, 1);
    }

    static Var apply(Var x, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        Tape tape = Tape.of(op, x);
        if (x.shape().rank() < 1 || x.shape().dim(-1) < 1) {
            throw new IllegalArgumentException(op + ": needs a last axis of size >= 1, got shape " + x.shape());
        }
        SoftmaxNode node = tape.next(SoftmaxNode.class, SoftmaxNode::new);
        node.log = log;
        node.inputs[0] = x;
        return tape.run(node);
    }

    @Override
    String name() {
        return log ? "logSoftmax" : "softmax";
    }

    private int cols() {
        return out.value.dim(-1);
    }

    private int rows() {
        return out.value.size() / cols();
    }

    // softmax: y_ij = e^(x_ij − m_i) / Σ_k e^(x_ik − m_i);  log-softmax: y_ij = x_ij − m_i − ln Σ_k e^(x_ik − m_i)
    @Override
    void forward() {
        Tensor x = contiguous(0, inputs[0].value);
        Tensor y = output(x.shape());
        int cols = cols();
        if (log) {
            Softmax.logSoftmax(y.data(), 0, cols, x.data(), x.offset(), cols, rows(), cols);
        } else {
            Softmax.softmax(y.data(), 0, cols, x.data(), x.offset(), cols, rows(), cols);
        }
    }

    /** The softmax s: the output, or e^y for log-softmax (in a workspace). */
    private Tensor probabilities() {
        if (!log) {
            return out.value;
        }
        Tensor s = temp(2, out.value.shape());
        VectorMath.exp(s.data(), 0, out.value.data(), 0, s.size());
        return s;
    }

    // softmax: ẏ = y·(ẋ − Σ_k y_k ẋ_k) (J is symmetric, so the backward kernel computes J·ẋ);
    // log-softmax: ẏ = ẋ − Σ_k s_k ẋ_k
    @Override
    void tangent() {
        Tensor dx = contiguous(1, inputs[0].tangent);
        Tensor t = tangentBuffer();
        int cols = cols();
        if (!log) {
            Softmax.softmaxBackward(t.data(), 0, cols, dx.data(), dx.offset(), cols, out.value.data(), 0, cols, rows(),
                    cols);
        } else {
            float[] s = probabilities().data();
            for (int r = 0; r < rows(); r++) {
                float dot = Reductions.dot(s, r * cols, dx.data(), dx.offset() + r * cols, cols);
                Elementwise.sub(t.data(), r * cols, 1, dx.data(), dx.offset() + r * cols, 1, new float[] {dot}, 0, 0,
                        cols);
            }
        }
        out.tangent = t;
    }

    // softmax: dL/dx = y·(g − Σ_k g_k y_k);  log-softmax: dL/dx = g − s·Σ_k g_k
    @Override
    void backward(int channel) {
        if (!wants(0)) {
            return;
        }
        Tensor g = upstream(channel);
        Tensor grad = target(0, channel);
        int cols = cols();
        if (log) {
            Softmax.logSoftmaxBackward(grad.data(), grad.offset(), cols, g.data(), 0, cols, out.value.data(), 0, cols,
                    rows(), cols);
        } else {
            Softmax.softmaxBackward(grad.data(), grad.offset(), cols, g.data(), 0, cols, out.value.data(), 0, cols,
                    rows(), cols);
        }
        commit(0, channel, grad);
    }

    // d/dε of the backward formulas with g fixed, ẏ the output tangent:
    //   softmax: ẏ·(g − Σ g·y) − y·Σ g·ẏ;   log-softmax: −(s·ẏ)·Σ g   (ṡ = s·ẏ)
    @Override
    void secondOrder() {
        if (!wants(0)) {
            return;
        }
        Tensor g = upstream(GRAD);
        Tensor dy = out.tangent;
        Tensor term;
        if (log) {
            term = probabilities().mul(dy).mul(g.sum(-1, true)).neg();
        } else {
            Tensor y = out.value;
            term = dy.mul(g.sub(g.mul(y).sum(-1, true))).sub(y.mul(g.mul(dy).sum(-1, true)));
        }
        addInto(0, GRAD_TANGENT, term);
    }
}
