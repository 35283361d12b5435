package dev.lanes.autodiff;

import dev.lanes.layers.Layer;
import dev.lanes.tensor.Tensor;

/**
 * A Lanes {@link Layer} as a node: its own forward (in the tape's training mode) and its own
 * backward, which returns the input gradient and adds into its parameters' gradients as always.
 * The layer keeps the state of one forward, so one layer may appear once per run. Layers have no
 * forward-mode rule: write the computation with operations for {@code jvp}.
 */
final class LayerNode extends Node {
    private Layer layer;
    private boolean trainable;

    private LayerNode(Tape tape) {
        super(tape, 1);
    }

    static Var apply(Layer layer, Var x) {
        Tape tape = Tape.of("layer", x);
        if (layer == null) {
            throw new IllegalArgumentException("layer: the layer must not be null");
        }
        if (tape.tangents()) {
            throw new UnsupportedOperationException("layer " + layer.name() + ": a layer has no forward-mode rule, so "
                    + "it cannot run on a " + tape.mode() + " tape; write it with operations (Nn.conv2d, Var.matmul...)");
        }
        for (int i = 0; i < tape.size(); i++) {
            if (tape.node(i) instanceof LayerNode other && other.layer == layer) {
                throw new IllegalArgumentException("layer " + layer.name() + " appears twice in one run (positions "
                        + i + " and " + tape.size() + "): a layer keeps the state of one forward");
            }
        }
        LayerNode node = tape.next(LayerNode.class, LayerNode::new);
        if (node.layer != layer) {
            node.layer = layer;
            node.trainable = !layer.parameters().isEmpty();
        }
        node.inputs[0] = x;
        Var out = tape.run(node);
        out.requiresGrad |= node.trainable;
        return out;
    }

    @Override
    String name() {
        return "layer " + layer.name();
    }

    @Override
    void forward() {
        out.value = layer.forward(inputs[0].value, tape.training());
    }

    // dL/dx = the layer's backward of g; the layer adds dL/dθ into its parameters' gradients
    @Override
    void backward(int channel) {
        if (channel != GRAD) {
            throw new UnsupportedOperationException(name() + " has no second-order rule");
        }
        Tensor dx = layer.backward(upstream(channel));
        if (wants(0)) {
            addInto(0, channel, dx);
        }
    }
}
