package dev.lanes.autodiff;

/**
 * A node whose operation is linear in its inputs (or piecewise linear with its pieces fixed by
 * the forward pass, as a maximum or a dropout mask): its Jacobian does not move with the inputs,
 * so the gradient tangent has no second-order term.
 */
abstract class Linear extends Node {
    Linear(Tape tape, int arity) {
        super(tape, arity);
    }

    @Override
    final void secondOrder() {
    }
}
