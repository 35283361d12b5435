package dev.lanes.autodiff;

import dev.lanes.tensor.Tensor;
import java.util.Arrays;

/** Broadcast to a larger shape (numpy {@code broadcast_to}): a view with stride 0 along the repeated axes. */
final class Expand extends View {
    private int[] dims = new int[0];

    private Expand(Tape tape) {
        super(tape);
    }

    static Var apply(Var x, int... dims) {
        Tape tape = Tape.of("expand", x);
        x.value().expand(dims); // checks the shapes before the node takes a position
        Expand node = tape.next(Expand.class, Expand::new);
        if (!Arrays.equals(node.dims, dims)) {
            node.dims = dims.clone();
            node.changed = true;
        }
        node.inputs[0] = x;
        return tape.run(node);
    }

    @Override
    String name() {
        return "expand" + Arrays.toString(dims);
    }

    @Override
    Tensor view(Tensor t) {
        return t.expand(dims);
    }

    // dL/dx = g summed over the repeated axes
    @Override
    void backward(int channel) {
        if (wants(0)) {
            addInto(0, channel, upstream(channel));
        }
    }
}
