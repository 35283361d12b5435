package dev.lanes.autodiff;

import dev.lanes.tensor.Tensor;

/**
 * A function applied to every element, y = f(x), described by three contiguous loops: the value,
 * the product of a vector with f'(x) and the product with f''(x). The first derivative serves
 * all three linear passes: the backward pass multiplies the output gradient by f'(x), forward
 * mode the input tangent, forward-over-reverse the gradient tangent; the second derivative gives
 * the remaining term g·f''(x)·ẋ.
 */
abstract class Pointwise extends Node {
    /** The input as the kernels read it (contiguous), kept from forward for the derivatives. */
    Tensor x;

    Pointwise(Tape tape) {
        super(tape, 1);
    }

    /** y = f(x), both contiguous, y from offset 0. */
    abstract void compute(Tensor y, Tensor x);

    /** out = v · f'(x) elementwise; out and v contiguous, shaped like x; x and the output value are at hand. */
    abstract void derivative(Tensor out, Tensor v);

    /** The term g · f''(x) · ẋ of the gradient tangent, or null where f'' is zero everywhere. */
    abstract Tensor second(Tensor g, Tensor dx);

    @Override
    final void forward() {
        x = contiguous(0, inputs[0].value);
        compute(output(x.shape()), x);
    }

    // ẏ = f'(x)·ẋ
    @Override
    final void tangent() {
        Tensor t = tangentBuffer();
        derivative(t, contiguous(1, inputs[0].tangent));
        out.tangent = t;
    }

    // dL/dx = g·f'(x)
    @Override
    final void backward(int channel) {
        if (!wants(0)) {
            return;
        }
        Tensor grad = target(0, channel);
        derivative(grad, upstream(channel));
        commit(0, channel, grad);
    }

    // d/dε (g·f'(x + εẋ)) = g·f''(x)·ẋ
    @Override
    final void secondOrder() {
        if (!wants(0)) {
            return;
        }
        Tensor term = second(upstream(GRAD), inputs[0].tangent);
        if (term != null) {
            addInto(0, GRAD_TANGENT, term);
        }
    }
}
