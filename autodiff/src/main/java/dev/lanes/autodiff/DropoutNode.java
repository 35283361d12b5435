package dev.lanes.autodiff;

import dev.lanes.kernels.Elementwise;
import dev.lanes.layers.Dropout;
import dev.lanes.tensor.Tensor;

/**
 * Inverted dropout with the masks of the {@link Dropout} layer: in training the c-th run of the
 * tape through this position uses the layer's mask for call c of the same seed (so a function and
 * a {@code Dropout} layer with equal seeds drop the same elements, step after step); in inference
 * (the tape's training flag false) the identity. A new tape, or {@link Tape#restart()}, starts
 * counting at 0.
 */
final class DropoutNode extends Linear {
    private float p;
    private long seed;
    private long calls;
    private int epoch;
    private boolean dropped;
    private Tensor mask;

    private DropoutNode(Tape tape) {
        super(tape, 1);
    }

    static Var apply(Var x, float p, long seed) {
        Tape tape = Tape.of("dropout", x);
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        }
        DropoutNode node = tape.next(DropoutNode.class, DropoutNode::new);
        if (node.p != p || node.seed != seed || node.epoch != tape.epoch()) {
            node.calls = 0;
            node.epoch = tape.epoch();
        }
        node.p = p;
        node.seed = seed;
        node.inputs[0] = x;
        return tape.run(node);
    }

    @Override
    String name() {
        return "dropout(" + p + ")";
    }

    // training: y = x·m, m = 1/(1−p) for kept elements, 0 for dropped ones;  inference: y = x
    @Override
    void forward() {
        dropped = tape.training();
        Tensor x = inputs[0].value;
        if (!dropped) {
            out.value = x;
            return;
        }
        x = contiguous(0, x);
        mask = temp(1, x.shape());
        Dropout.mask(mask.data(), mask.size(), p, seed, calls++);
        Tensor y = output(x.shape());
        Elementwise.mul(y.data(), 0, x.data(), x.offset(), mask.data(), 0, y.size());
    }

    // ẏ = ẋ·m (ẋ in inference)
    @Override
    void tangent() {
        Tensor dx = inputs[0].tangent;
        if (!dropped) {
            out.tangent = dx;
            return;
        }
        Tensor t = tangentBuffer();
        dx = contiguous(2, dx);
        Elementwise.mul(t.data(), 0, dx.data(), dx.offset(), mask.data(), 0, t.size());
        out.tangent = t;
    }

    // dL/dx = g·m (g in inference)
    @Override
    void backward(int channel) {
        if (!wants(0)) {
            return;
        }
        Tensor g = upstream(channel);
        if (!dropped) {
            addInto(0, channel, g);
            return;
        }
        Tensor grad = target(0, channel);
        Elementwise.mul(grad.data(), grad.offset(), g.data(), g.offset(), mask.data(), 0, grad.size());
        commit(0, channel, grad);
    }

}
