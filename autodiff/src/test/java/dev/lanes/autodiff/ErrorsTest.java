package dev.lanes.autodiff;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.Dense;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Every misuse gets a clear exception that names what was wrong. */
class ErrorsTest {
    private static void messageHas(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    @Test
    void aNonScalarOutputNeedsASeed() {
        Tape tape = new Tape();
        Var y = tape.input(Tensor.ones(2, 3)).mul(2f);
        messageHas(assertThrows(IllegalArgumentException.class, () -> tape.backward(y)), "(2, 3)", "seed");
        messageHas(assertThrows(IllegalArgumentException.class, () -> tape.backward(y, Tensor.ones(3, 2))),
                "seed has shape (3, 2)", "(2, 3)");
        messageHas(assertThrows(IllegalArgumentException.class,
                () -> Autodiff.grad(in -> in[0].exp(), Tensor.ones(4))), "(4)", "seed");
    }

    @Test
    void shapesThatDoNotBroadcast() {
        Tape tape = new Tape();
        Var a = tape.input(Tensor.ones(2, 3));
        Var b = tape.input(Tensor.ones(4));
        messageHas(assertThrows(IllegalArgumentException.class, () -> a.add(b)), "add", "(2, 3)", "(4)");
        messageHas(assertThrows(IllegalArgumentException.class, () -> a.div(b)), "div", "(2, 3)", "(4)");
        messageHas(assertThrows(IllegalArgumentException.class, () -> a.matmul(tape.input(Tensor.ones(2, 3)))),
                "matmul", "inner dimensions", "(2, 3) @ (2, 3)");
        messageHas(assertThrows(IllegalArgumentException.class, () -> a.reshape(4, 2)), "reshape", "(2, 3)");
        messageHas(assertThrows(IllegalArgumentException.class, () -> a.slice(1, 2, 5)), "slice", "size 3");
        messageHas(assertThrows(IllegalArgumentException.class, () -> a.sum(2, false)), "sum", "axis 2");
        messageHas(assertThrows(IllegalArgumentException.class,
                () -> Nn.conv2d(tape.input(Tensor.ones(1, 2, 5, 5)), tape.input(Tensor.ones(4, 3, 3, 3)), null,
                        ConvSpec.DEFAULT)), "conv2d", "(1, 2, 5, 5)", "(4, 3, 3, 3)");
        messageHas(assertThrows(IllegalArgumentException.class,
                () -> a.gather(1, Tensor.fromArray(new float[] {0, 3}, 2, 1))), "gather", "index 3.0");
    }

    @Test
    void aFailedOperationLeavesTheTapeAsItWas() {
        Tape tape = new Tape();
        Var a = tape.input(Tensor.ones(2, 3));
        int size = tape.size();
        assertThrows(IllegalArgumentException.class, () -> a.add(tape.input(Tensor.ones(4))));
        assertTrue(tape.size() == size + 1, "only the leaf was recorded");
    }

    @Test
    void aConsumedTapeRefusesMoreWork() {
        Tape tape = new Tape();
        Var x = tape.input(Tensor.ones(3));
        Var y = x.square().sum();
        tape.backward(y);
        messageHas(assertThrows(IllegalStateException.class, () -> tape.backward(y)), "consumed");
        messageHas(assertThrows(IllegalStateException.class, () -> x.exp()), "consumed", "reset()");
        Autodiff.Pullback pullback = Autodiff.vjp(in -> in[0].tanh(), Tensor.ones(2));
        pullback.apply(Tensor.ones(2));
        messageHas(assertThrows(IllegalStateException.class, () -> pullback.apply(Tensor.ones(2))), "consumed");
    }

    @Test
    void varsOfAnEarlierRunOrAnotherTape() {
        Tape tape = new Tape();
        Var old = tape.input(Tensor.ones(3)).exp();
        tape.reset();
        tape.input(Tensor.ones(3));
        messageHas(assertThrows(IllegalStateException.class, () -> old.mul(2f)), "earlier run", "reset()");
        Var mine = new Tape().input(Tensor.ones(3));
        Var theirs = new Tape().input(Tensor.ones(3));
        messageHas(assertThrows(IllegalArgumentException.class, () -> mine.add(theirs)), "different tapes");
        messageHas(assertThrows(IllegalArgumentException.class,
                () -> Autodiff.grad(in -> theirs, Tensor.ones(3))), "different tapes");
    }

    @Test
    void modesAndLayers() {
        Tape forward = new Tape(Tape.Mode.FORWARD);
        Var x = forward.input(Tensor.ones(1, 4), Tensor.ones(1, 4));
        messageHas(assertThrows(IllegalStateException.class, () -> forward.backward(x.sum())), "FORWARD");
        messageHas(assertThrows(UnsupportedOperationException.class, () -> Nn.layer(ActivationLayer.relu(), x)),
                "forward-mode");
        messageHas(assertThrows(IllegalStateException.class, () -> new Tape().input(Tensor.ones(2), Tensor.ones(2))),
                "REVERSE");
        messageHas(assertThrows(IllegalArgumentException.class,
                () -> forward.input(Tensor.ones(2), Tensor.ones(3))), "tangent has shape (3)");
        Tape reverse = new Tape();
        Dense dense = new Dense(4, 2, 1);
        Var h = Nn.layer(dense, reverse.input(Tensor.ones(1, 4)));
        messageHas(assertThrows(IllegalArgumentException.class, () -> Nn.layer(dense, h.reshape(1, 2).mul(2f)
                .matmul(reverse.constant(Tensor.ones(2, 4))))), "appears twice");
    }

    @Test
    void badArguments() {
        Tape tape = new Tape();
        Var x = tape.input(Tensor.ones(2, 2));
        messageHas(assertThrows(IllegalArgumentException.class, () -> x.clamp(1f, 0f)), "clamp", "min 1.0");
        messageHas(assertThrows(IllegalArgumentException.class, () -> x.pow(Float.NaN)), "pow", "finite");
        messageHas(assertThrows(IllegalArgumentException.class, () -> Nn.dropout(x, 1f, 7)), "dropout", "[0, 1)");
        messageHas(assertThrows(IllegalArgumentException.class, () -> ConvSpec.DEFAULT.stride(0)), "stride");
        messageHas(assertThrows(IllegalArgumentException.class, () -> x.permute(0, 0)), "permute", "[0, 0]");
        messageHas(assertThrows(IllegalArgumentException.class, () -> x.max(0, false).max(0, false)
                .reshape(0)), "reshape");
        messageHas(assertThrows(IllegalArgumentException.class, () -> tape.input(null)), "null");
        messageHas(assertThrows(IllegalArgumentException.class,
                () -> Losses.hinge(x, Tensor.full(Shape.of(2, 2), 0.5f))), "hinge", "±1");
        messageHas(assertThrows(IllegalArgumentException.class,
                () -> Losses.softmaxCrossEntropy(x, Tensor.fromArray(new float[] {0, 2}, 2))), "gather", "[0, 2)");
    }
}
