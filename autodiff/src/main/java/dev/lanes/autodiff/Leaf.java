package dev.lanes.autodiff;

import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Tensor;

/** A leaf of the tape: an input, a constant or a parameter; its value is the caller's tensor. */
final class Leaf extends Node {
    /** What the leaf is. */
    enum Kind { INPUT, CONSTANT, PARAMETER }

    private Kind kind;

    private Leaf(Tape tape) {
        super(tape, 0);
    }

    static Var record(Tape tape, Kind kind, Tensor value, Tensor tangent, Parameter parameter) {
        if (value == null) {
            throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT) + ": value must not be null");
        }
        if (tangent != null && !tangent.shape().equals(value.shape())) {
            throw new IllegalArgumentException("input: the tangent has shape " + tangent.shape() + " but the value "
                    + value.shape());
        }
        Leaf leaf = tape.next(Leaf.class, Leaf::new);
        leaf.kind = kind;
        Var out = leaf.out;
        out.value = value;
        out.tangent = tangent;
        out.requiresGrad = kind != Kind.CONSTANT && tape.reverse();
        out.fixedGrad = parameter != null ? parameter.grad() : null;
        return out;
    }

    @Override
    String name() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    void forward() {
        // The value is the caller's tensor.
    }

    @Override
    void backward(int channel) {
        // Nothing before a leaf.
    }
}
