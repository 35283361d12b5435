package dev.lanes.autodiff;

import dev.lanes.kernels.Conv2d;
import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.Elementwise;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation) of x (N, C, H, W) with w (K, C/groups, R, S) plus an
 * optional bias (K), on a {@link Conv2d} kernel that the node keeps with its plan and workspaces
 * while the geometry stays: the same calls the {@code Conv2d} layer makes, so the same bits.
 */
final class Conv2dNode extends Node {
    private ConvSpec spec;
    private Shape inputShape;
    private Shape weightShape;
    private Shape shape;
    private Conv2d kernel;

    private Conv2dNode(Tape tape) {
        super(tape, 3);
    }

    static Var apply(Var x, Var w, Var b, ConvSpec spec) {
        Tape tape = Tape.of("conv2d", x, w);
        if (b != null) {
            tape.check("conv2d", b);
        }
        if (spec == null) {
            throw new IllegalArgumentException("conv2d: spec must not be null (ConvSpec.DEFAULT for stride 1, no padding)");
        }
        Shape xs = x.shape();
        Shape ws = w.shape();
        if (xs.rank() != 4 || ws.rank() != 4) {
            throw new IllegalArgumentException("conv2d: needs x (N, C, H, W) and w (K, C/groups, R, S), got " + xs
                    + " and " + ws);
        }
        if (b != null && (b.shape().rank() != 1 || b.shape().dim(0) != ws.dim(0))) {
            throw new IllegalArgumentException("conv2d: the bias has shape " + b.shape() + ", expected (" + ws.dim(0)
                    + ") for weight " + ws);
        }
        Conv2dNode cached = tape.peek(Conv2dNode.class);
        ConvGeometry geometry = cached != null && cached.fits(xs, ws, spec) ? cached.kernel.geometry()
                : geometry(xs, ws, spec);
        Conv2dNode node = tape.next(Conv2dNode.class, Conv2dNode::new);
        if (node.kernel == null || !node.kernel.geometry().equals(geometry)) {
            node.kernel = new Conv2d(geometry);
        }
        if (!node.fits(xs, ws, spec)) {
            node.shape = Shape.of(xs.dim(0), ws.dim(0), geometry.outHeight(), geometry.outWidth());
            node.inputShape = xs;
            node.weightShape = ws;
            node.spec = spec;
        }
        if (b == null) {
            node.inputs = node.inputs.length == 2 ? node.inputs : new Var[2];
        } else {
            node.inputs = node.inputs.length == 3 ? node.inputs : new Var[3];
            node.inputs[2] = b;
        }
        node.inputs[0] = x;
        node.inputs[1] = w;
        return tape.run(node);
    }

    // Each output element is a dot product over (C/groups)·R·S inputs: the weight's last three axes.
    @Override
    long multiplyAdds() {
        Shape w = inputs[1].shape();
        return (long) out.shape().size() * w.dim(1) * w.dim(2) * w.dim(3);
    }

    private boolean fits(Shape xs, Shape ws, ConvSpec s) {
        return kernel != null && s == spec && xs.equals(inputShape) && ws.equals(weightShape);
    }

    private static ConvGeometry geometry(Shape xs, Shape ws, ConvSpec spec) {
        int groups = xs.dim(1) / Math.max(1, ws.dim(1));
        try {
            if (ws.dim(1) * groups != xs.dim(1)) {
                throw new IllegalArgumentException("C = " + xs.dim(1) + " is not a multiple of C/groups = " + ws.dim(1));
            }
            ConvGeometry g = spec.geometry(xs.dim(1), xs.dim(2), xs.dim(3), ws.dim(0), ws.dim(2), ws.dim(3));
            if (g.groups() != groups) {
                throw new IllegalArgumentException("the spec has " + g.groups() + " groups but x and w need " + groups);
            }
            return g;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conv2d: x " + xs + " and w " + ws + " do not fit " + spec + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    String name() {
        return "conv2d";
    }

    private boolean hasBias() {
        return inputs.length == 3;
    }

    private int batch() {
        return inputShape.dim(0);
    }

    private float[] array(Tensor t) {
        return t == null ? null : t.data();
    }

    // y[n, k, p, q] = b[k] + Σ_{c in group(k), r, s} w[k, c, r, s] · x[n, c, p·sh − pt + r·dh, q·sw − pl + s·dw]
    @Override
    void forward() {
        Tensor x = contiguous(0, inputs[0].value);
        Tensor w = contiguous(1, inputs[1].value);
        Tensor b = hasBias() ? contiguous(2, inputs[2].value) : null;
        Tensor y = output(shape);
        kernel.forward(y.data(), 0, x.data(), x.offset(), w.data(), w.offset(), array(b), b == null ? 0 : b.offset(),
                batch(), false);
    }

    // ẏ = conv(ẋ, w) + conv(x, ẇ) + ḃ
    @Override
    void tangent() {
        Tensor x = contiguous(0, inputs[0].value);
        Tensor w = contiguous(1, inputs[1].value);
        Tensor dx = inputs[0].tangent == null ? null : contiguous(3, inputs[0].tangent);
        Tensor dw = inputs[1].tangent == null ? null : contiguous(4, inputs[1].tangent);
        Tensor db = hasBias() && inputs[2].tangent != null ? contiguous(5, inputs[2].tangent) : null;
        Tensor t = tangentBuffer();
        boolean started = false;
        if (dx != null) {
            kernel.forward(t.data(), 0, dx.data(), dx.offset(), w.data(), w.offset(), array(db),
                    db == null ? 0 : db.offset(), batch(), false);
            started = true;
        }
        if (dw != null) {
            Tensor part = started ? temp(6, shape) : t;
            kernel.forward(part.data(), 0, x.data(), x.offset(), dw.data(), dw.offset(), started ? null : array(db),
                    db == null ? 0 : db.offset(), batch(), false);
            if (started) {
                Elementwise.add(t.data(), 0, t.data(), 0, part.data(), 0, t.size());
            }
            started = true;
        }
        if (!started) {
            t.zero();
            Elementwise.addBiasChannels(t.data(), 0, db.data(), db.offset(), batch(), shape.dim(1),
                    shape.dim(2) * shape.dim(3));
        }
        out.tangent = t;
    }

    // dL/dx = the transposed convolution of g with w;
    // dL/dw[k, c, r, s] = Σ_{n, p, q} g[n, k, p, q] · x[n, c, p·sh − pt + r·dh, q·sw − pl + s·dw];
    // dL/db[k] = Σ_{n, p, q} g[n, k, p, q]
    @Override
    void backward(int channel) {
        Tensor g = upstream(channel);
        Tensor w = contiguous(1, inputs[1].value);
        if (wants(0)) {
            Tensor grad = target(0, channel);
            kernel.backwardData(grad.data(), grad.offset(), g.data(), g.offset(), w.data(), w.offset(), batch());
            commit(0, channel, grad);
        }
        boolean weight = wants(1);
        boolean bias = hasBias() && wants(2);
        if (!weight && !bias) {
            return;
        }
        Tensor x = contiguous(0, inputs[0].value);
        // The kernel accumulates both sums or neither: when only one holds a contribution already,
        // the other starts from zero; a weight gradient nobody wants goes to a temporary.
        boolean accumulate = weight ? accumulates(1, channel) : accumulates(2, channel);
        if (weight && bias && accumulates(1, channel) != accumulates(2, channel)) {
            (accumulates(1, channel) ? accumulator(2, channel) : accumulator(1, channel)).zero();
            accumulate = true;
        }
        Tensor gw = weight ? accumulator(1, channel) : temp(7, inputs[1].value.shape());
        if (!weight && accumulate) {
            gw.zero();
        }
        Tensor gb = bias ? accumulator(2, channel) : null;
        kernel.backwardWeights(gw.data(), gw.offset(), array(gb), gb == null ? 0 : gb.offset(), g.data(), g.offset(),
                x.data(), x.offset(), batch(), accumulate);
        if (weight) {
            written(1, channel);
        }
        if (bias) {
            written(2, channel);
        }
    }

    // Bilinear in x and w: x' += convᵀ(g, ẇ), w' += the weight gradient of g against ẋ; b is linear
    @Override
    void secondOrder() {
        Tensor g = upstream(GRAD);
        if (wants(0) && inputs[1].tangent != null) {
            Tensor dw = contiguous(4, inputs[1].tangent);
            Tensor term = temp(8, inputs[0].value.shape());
            kernel.backwardData(term.data(), 0, g.data(), g.offset(), dw.data(), dw.offset(), batch());
            addInto(0, GRAD_TANGENT, term);
        }
        if (wants(1) && inputs[0].tangent != null) {
            Tensor dx = contiguous(3, inputs[0].tangent);
            boolean accumulate = accumulates(1, GRAD_TANGENT);
            Tensor gw = accumulator(1, GRAD_TANGENT);
            kernel.backwardWeights(gw.data(), gw.offset(), null, 0, g.data(), g.offset(), dx.data(), dx.offset(),
                    batch(), accumulate);
            written(1, GRAD_TANGENT);
        }
    }
}
