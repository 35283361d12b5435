package dev.lanes.tensor;

import dev.lanes.tensor.InnerLoops.Binary;
import dev.lanes.tensor.InnerLoops.Unary;

/**
 * The elementwise ops of {@link Tensor}: shape checks with the op's name in the message,
 * broadcasting (inputs walked with stride 0 along broadcast axes), the output checks and the
 * copy of inputs that overlap the output, then one {@link Strided} loop.
 */
final class Pointwise {
    private Pointwise() {
    }

    static Tensor inPlace(Tensor target, String name, Binary op, float alpha, Tensor other) {
        if (!other.shape.broadcastsTo(target.shape)) {
            throw new IllegalArgumentException(name + ": shape " + other.shape + " does not broadcast to "
                    + target.shape);
        }
        binaryInto(name, op, alpha, target, target, other);
        return target;
    }

    static Tensor binary(String name, Binary op, Tensor a, Tensor b) {
        Shape shape = broadcast(name, a, b);
        Tensor out = Tensor.zeros(shape);
        binaryInto(name, op, 0f, out, a, b);
        return out;
    }

    static Tensor unary(Tensor x, String name, Unary op) {
        Tensor out = Tensor.zeros(x.shape);
        unaryInto(name, op, out, x);
        return out;
    }

    static Shape broadcast(String name, Tensor a, Tensor b) {
        try {
            return Shape.broadcast(a.shape, b.shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    static void binaryInto(String name, Binary op, float alpha, Tensor out, Tensor a, Tensor b) {
        Shape shape = broadcast(name, a, b);
        if (!out.shape.equals(shape)) {
            throw new IllegalArgumentException(name + ": out has shape " + out.shape + " but " + a.shape + " and "
                    + b.shape + " broadcast to " + shape);
        }
        out.requireWritable(name);
        a = a.readableWhileWriting(out);
        b = b.readableWhileWriting(out);
        Strided.binary(op, alpha, out.data, out.offset, out.strides, a.data, a.offset, a.stridesFor(shape),
                b.data, b.offset, b.stridesFor(shape), shape.dims);
    }

    static void unaryInto(String name, Unary op, Tensor out, Tensor x) {
        if (!x.shape.broadcastsTo(out.shape)) {
            throw new IllegalArgumentException(name + ": shape " + x.shape + " does not broadcast to " + out.shape);
        }
        out.requireWritable(name);
        x = x.readableWhileWriting(out);
        Strided.unary(op, out.data, out.offset, out.strides, x.data, x.offset, x.stridesFor(out.shape), out.shape.dims);
    }
}
