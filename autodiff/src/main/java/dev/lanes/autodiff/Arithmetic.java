package dev.lanes.autodiff;

import dev.lanes.kernels.Elementwise;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/** {@code a + b}, {@code a - b}, {@code a * b}, {@code a / b}, elementwise with broadcasting. */
final class Arithmetic extends Node {
    /** The operation, with its name for messages (built once, so recording allocates no string). */
    enum Kind {
        ADD("add", Broadcast.Op.ADD), SUB("sub", Broadcast.Op.SUB), MUL("mul", Broadcast.Op.MUL),
        DIV("div", Broadcast.Op.DIV);

        final String label;
        final Broadcast.Op op;

        Kind(String label, Broadcast.Op op) {
            this.label = label;
            this.op = op;
        }
    }

    private Kind kind;
    // The broadcast shape of the last operand shapes, kept so steady-state runs build no Shape.
    private Shape shapeA;
    private Shape shapeB;
    private Shape shape;

    private Arithmetic(Tape tape) {
        super(tape, 2);
    }

    static Var apply(Kind kind, Var a, Var b) {
        String op = kind.label;
        Tape tape = Tape.of(op, a, b);
        Broadcast.check(op, a.shape(), b.shape());
        Arithmetic node = tape.next(Arithmetic.class, Arithmetic::new);
        node.kind = kind;
        node.inputs[0] = a;
        node.inputs[1] = b;
        return tape.run(node);
    }

    @Override
    String name() {
        return kind.label;
    }

    // y = a op b, with a and b broadcast to the shape of y
    @Override
    void forward() {
        Tensor a = inputs[0].value;
        Tensor b = inputs[1].value;
        if (!a.shape().equals(shapeA) || !b.shape().equals(shapeB)) {
            shape = Shape.broadcast(a.shape(), b.shape());
            shapeA = a.shape();
            shapeB = b.shape();
        }
        Broadcast.binary(kind.op, output(shape), a, b);
    }

    // add: ẏ = ȧ + ḃ;  sub: ẏ = ȧ − ḃ;  mul: ẏ = ȧ·b + a·ḃ;  div: ẏ = (ȧ − y·ḃ) / b
    // (an input without a tangent contributes nothing)
    @Override
    void tangent() {
        Tensor a = inputs[0].value;
        Tensor b = inputs[1].value;
        Tensor da = inputs[0].tangent;
        Tensor db = inputs[1].tangent;
        Tensor t = tangentBuffer();
        switch (kind) {
            case ADD -> sum(t, da, db, 1f);
            case SUB -> sum(t, da, db, -1f);
            case MUL -> sum(t, da == null ? null : da.mul(b), db == null ? null : a.mul(db), 1f);
            case DIV -> {
                sum(t, da, db == null ? null : out.value.mul(db), -1f);
                t.divInPlace(b);
            }
        }
        out.tangent = t;
    }

    /** t = p + sign·q broadcast to t's shape, for p or q possibly null (zero). */
    private static void sum(Tensor t, Tensor p, Tensor q, float sign) {
        if (p == null) {
            t.copyFrom(q);
            if (sign < 0) {
                t.scaleInPlace(-1f);
            }
        } else if (q == null) {
            t.copyFrom(p);
        } else if (sign > 0) {
            Tensor.add(t, p, q);
        } else {
            Tensor.sub(t, p, q);
        }
    }

    // dL/da = Σ_broadcast g · ∂y/∂a and dL/db likewise, with
    //   add: ∂y/∂a = 1, ∂y/∂b = 1;  sub: 1, −1;  mul: b, a;  div: 1/b, −a/b² = −y/b
    @Override
    void backward(int channel) {
        Tensor g = upstream(channel);
        Tensor a = inputs[0].value;
        Tensor b = inputs[1].value;
        Shape shape = g.shape();
        switch (kind) {
            case ADD, SUB -> {
                if (wants(0)) {
                    addInto(0, channel, g);
                }
                if (wants(1)) {
                    if (kind == Kind.ADD) {
                        addInto(1, channel, g);
                    } else {
                        Tensor negated = temp(0, shape);
                        Elementwise.scale(negated.data(), 0, -1f, g.data(), g.offset(), g.size());
                        addInto(1, channel, negated);
                    }
                }
            }
            case MUL -> {
                if (wants(0)) {
                    addInto(0, channel, product(0, Broadcast.Op.MUL, g, b));
                }
                if (wants(1)) {
                    addInto(1, channel, product(1, Broadcast.Op.MUL, g, a));
                }
            }
            case DIV -> {
                Tensor quotient = product(0, Broadcast.Op.DIV, g, b);
                if (wants(0)) {
                    addInto(0, channel, quotient);
                }
                if (wants(1)) {
                    // −g·y/b = −(g/b)·y
                    Tensor term = product(1, Broadcast.Op.MUL, quotient, out.value);
                    Elementwise.scale(term.data(), 0, -1f, term.data(), 0, term.size());
                    addInto(1, channel, term);
                }
            }
        }
    }

    /** temp k = p op q, shaped like the output. */
    private Tensor product(int k, Broadcast.Op op, Tensor p, Tensor q) {
        Tensor t = temp(k, out.value.shape());
        Broadcast.binary(op, t, p, q);
        return t;
    }

    // d/dε of the gradients along the tangents, with g fixed:
    //   mul: a' += Σ g·ḃ,  b' += Σ g·ȧ
    //   div: a' += Σ −g·ḃ/b²,  b' += Σ (−g/b²)·(ȧ − 2y·ḃ)
    // add and sub are linear: nothing.
    @Override
    void secondOrder() {
        if (kind == Kind.ADD || kind == Kind.SUB) {
            return;
        }
        Tensor g = upstream(GRAD);
        Tensor a = inputs[0].value;
        Tensor b = inputs[1].value;
        Tensor da = inputs[0].tangent;
        Tensor db = inputs[1].tangent;
        if (kind == Kind.MUL) {
            if (wants(0) && db != null) {
                addInto(0, GRAD_TANGENT, g.mul(db));
            }
            if (wants(1) && da != null) {
                addInto(1, GRAD_TANGENT, g.mul(da));
            }
            return;
        }
        Tensor scaled = g.div(b.square()).neg(); // −g/b²
        if (wants(0) && db != null) {
            addInto(0, GRAD_TANGENT, scaled.mul(db));
        }
        if (wants(1)) {
            Tensor inner = da != null ? da : Tensor.zeros(b.shape());
            if (db != null) {
                inner = inner.sub(out.value.mul(db).mul(2f));
            }
            addInto(1, GRAD_TANGENT, scaled.mul(inner));
        }
    }
}
