package dev.lanes.autodiff;

import dev.lanes.kernels.Elementwise;
import dev.lanes.tensor.Tensor;

/** {@code y = alpha·x + beta} for constants alpha and beta: negation, scalar products and sums. */
final class Scale extends Linear {
    private float alpha;
    private float beta;

    private Scale(Tape tape) {
        super(tape, 1);
    }

    static Var apply(Var x, float alpha, float beta) {
        Tape tape = Tape.of("scale", x);
        Scale node = tape.next(Scale.class, Scale::new);
        node.alpha = alpha;
        node.beta = beta;
        node.inputs[0] = x;
        return tape.run(node);
    }

    @Override
    String name() {
        return "scale(" + alpha + ", " + beta + ")";
    }

    // y = alpha·x + beta
    @Override
    void forward() {
        Tensor x = contiguous(0, inputs[0].value);
        Tensor y = output(x.shape());
        Elementwise.scale(y.data(), 0, alpha, x.data(), x.offset(), y.size());
        if (beta != 0f) {
            y.addInPlace(beta);
        }
    }

    // ẏ = alpha·ẋ
    @Override
    void tangent() {
        Tensor t = tangentBuffer().copyFrom(inputs[0].tangent);
        Elementwise.scale(t.data(), 0, alpha, t.data(), 0, t.size());
        out.tangent = t;
    }

    // dL/dx = alpha·g
    @Override
    void backward(int channel) {
        if (!wants(0)) {
            return;
        }
        Tensor g = upstream(channel);
        Tensor grad = accumulator(0, channel);
        if (accumulates(0, channel)) {
            Elementwise.axpy(grad.data(), grad.offset(), alpha, g.data(), g.offset(), g.size());
        } else {
            Elementwise.scale(grad.data(), grad.offset(), alpha, g.data(), g.offset(), g.size());
        }
        written(0, channel);
    }

}
