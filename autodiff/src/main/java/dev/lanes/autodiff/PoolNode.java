package dev.lanes.autodiff;

import dev.lanes.kernels.Pool2d;
import dev.lanes.kernels.PoolGeometry;
import dev.lanes.layers.PoolWindow;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Max and average pooling over windows, and global max and average pooling over whole planes,
 * of x (N, C, H, W), on the {@link Pool2d} kernels (the calls the pooling layers make). Max
 * pooling keeps the argmax of each window: the first maximal element in window order, which
 * takes the gradient and the tangent at ties.
 */
final class PoolNode extends Linear {
    /** The pooling, with its operation's name for messages (built once, so recording allocates no string). */
    enum Kind {
        MAX("maxPool2d"), AVG("avgPool2d"), GLOBAL_MAX("globalMaxPool2d"), GLOBAL_AVG("globalAvgPool2d");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private Kind kind;
    private PoolWindow window;
    private boolean countIncludePad;
    private Shape inputShape;
    private Shape shape;
    private PoolGeometry geometry;
    private int[] argmax = new int[0];

    private PoolNode(Tape tape) {
        super(tape, 1);
    }

    static Var apply(Kind kind, Var x, PoolWindow window, boolean countIncludePad) {
        String op = kind.label;
        Tape tape = Tape.of(op, x);
        Shape xs = x.shape();
        if (xs.rank() != 4) {
            throw new IllegalArgumentException(op + ": needs x (N, C, H, W), got " + xs);
        }
        boolean windowed = kind == Kind.MAX || kind == Kind.AVG;
        if (windowed && window == null) {
            throw new IllegalArgumentException(op + ": window must not be null");
        }
        PoolNode cached = tape.peek(PoolNode.class);
        boolean same = cached != null && cached.kind == kind && cached.window == window && xs.equals(cached.inputShape);
        PoolGeometry geometry = same || !windowed ? null : geometry(op, window, xs);
        PoolNode node = tape.next(PoolNode.class, PoolNode::new);
        if (!same) {
            node.kind = kind;
            node.window = window;
            node.inputShape = xs;
            node.geometry = geometry;
            node.shape = windowed ? Shape.of(xs.dim(0), xs.dim(1), geometry.outHeight(), geometry.outWidth())
                    : Shape.of(xs.dim(0), xs.dim(1));
        }
        node.countIncludePad = countIncludePad;
        node.inputs[0] = x;
        return tape.run(node);
    }

    private static PoolGeometry geometry(String op, PoolWindow window, Shape xs) {
        try {
            return window.geometry(xs.dim(1), xs.dim(2), xs.dim(3));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": the window " + window + " does not fit x " + xs + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    String name() {
        return kind.label + (window == null ? "" : "(" + window + ")");
    }

    private int batch() {
        return inputShape.dim(0);
    }

    private int plane() {
        return inputShape.dim(2) * inputShape.dim(3);
    }

    // max: y[n, c, p, q] = the max of x over the window (argmax kept); avg: the window's sum over its count;
    // global: the same over the whole (h, w) plane
    @Override
    void forward() {
        Tensor x = contiguous(0, inputs[0].value);
        Tensor y = output(shape);
        if ((kind == Kind.MAX || kind == Kind.GLOBAL_MAX) && argmax.length != y.size()) {
            argmax = new int[y.size()];
        }
        pool(y, x);
    }

    private void pool(Tensor y, Tensor x) {
        int n = batch();
        int c = inputShape.dim(1);
        switch (kind) {
            case MAX -> Pool2d.maxForward(y.data(), 0, argmax, 0, x.data(), x.offset(), geometry, n);
            case AVG -> Pool2d.avgForward(y.data(), 0, x.data(), x.offset(), geometry, n, countIncludePad);
            case GLOBAL_MAX -> Pool2d.globalMaxForward(y.data(), 0, argmax, 0, x.data(), x.offset(), n, c, plane());
            case GLOBAL_AVG -> Pool2d.globalAvgForward(y.data(), 0, x.data(), x.offset(), n, c, plane());
        }
    }

    // max: ẏ = ẋ at the argmax;  avg: ẏ = the same average of ẋ
    @Override
    void tangent() {
        Tensor dx = contiguous(1, inputs[0].tangent);
        Tensor t = tangentBuffer();
        if (kind == Kind.AVG || kind == Kind.GLOBAL_AVG) {
            pool(t, dx);
        } else {
            float[] in = dx.data();
            float[] values = t.data();
            int perPlane = t.size() / (batch() * inputShape.dim(1));
            for (int flat = 0; flat < t.size(); flat++) {
                values[flat] = in[dx.offset() + flat / perPlane * plane() + argmax[flat]];
            }
        }
        out.tangent = t;
    }

    // max: dL/dx = g added at each window's argmax, 0 elsewhere;  avg: g / count spread over each window
    @Override
    void backward(int channel) {
        if (!wants(0)) {
            return;
        }
        Tensor g = upstream(channel);
        Tensor grad = target(0, channel);
        int n = batch();
        int c = inputShape.dim(1);
        float[] gi = grad.data();
        int go = grad.offset();
        switch (kind) {
            case MAX -> Pool2d.maxBackward(gi, go, g.data(), g.offset(), argmax, 0, geometry, n);
            case AVG -> Pool2d.avgBackward(gi, go, g.data(), g.offset(), geometry, n, countIncludePad);
            case GLOBAL_MAX -> Pool2d.globalMaxBackward(gi, go, g.data(), g.offset(), argmax, 0, n, c, plane());
            case GLOBAL_AVG -> Pool2d.globalAvgBackward(gi, go, g.data(), g.offset(), n, c, plane());
        }
        commit(0, channel, grad);
    }

}
