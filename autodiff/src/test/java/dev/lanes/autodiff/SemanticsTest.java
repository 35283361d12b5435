package dev.lanes.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lanes.kernels.Activation;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exact derivatives of small functions worked by hand, the documented subgradients at
 * non-differentiable points, and what the tape promises about buffers and runs.
 */
class SemanticsTest {
    private static float[] values(Tensor t) {
        return t.toArray();
    }

    @Test
    void gradientsWorkedByHand() {
        // f(x, w) = Σ (x·w)²: df/dx = 2(x·w)wᵀ, df/dw = 2xᵀ(x·w)
        Tensor x = Tensor.fromArray(new float[] {1, 2}, 1, 2);
        Tensor w = Tensor.fromArray(new float[] {3, -1, 0.5f, 2}, 2, 2);
        List<Tensor> g = Autodiff.grad(in -> in[0].matmul(in[1]).square().sum(), x, w);
        // x·w = (4, 3)
        assertArrayEquals(new float[] {2 * (4 * 3 + 3 * -1), 2 * (4 * 0.5f + 3 * 2)}, values(g.get(0)));
        assertArrayEquals(new float[] {8, 6, 16, 12}, values(g.get(1)));
    }

    @Test
    void aVarUsedTwiceCollectsBothGradients() {
        // f(x) = Σ x·exp(x): f' = exp(x)(1 + x)
        Tensor x = Tensor.fromArray(new float[] {0f, 1f}, 2);
        Tensor g = Autodiff.grad(in -> in[0].mul(in[0].exp()).sum(), x).get(0);
        assertEquals(1f, g.get(0), 1e-6f);
        assertEquals((float) (Math.E * 2), g.get(1), 1e-5f);
    }

    @Test
    void forwardModeAndHessianVectorProducts() {
        // f(x) = Σ x³: J·v = 3x²·v, H·v = 6x·v
        Tensor x = Tensor.fromArray(new float[] {1, -2, 0.5f}, 3);
        Tensor v = Tensor.fromArray(new float[] {1, 0.5f, -2}, 3);
        Autodiff.Jvp jvp = Autodiff.jvp(in -> in[0].pow(3f).sum(), x, v);
        assertEquals(1 - 8 + 0.125f, jvp.value().item(), 1e-6f);
        assertEquals(3 * 1 + 12 * 0.5f + 0.75f * -2, jvp.tangent().item(), 1e-5f);
        Tensor hv = Autodiff.hvp(in -> in[0].mul(in[0]).mul(in[0]).sum(), x, v);
        assertArrayEquals(new float[] {6, -6, -6}, values(hv), 1e-5f);
    }

    @Test
    void subgradientsAtKinks() {
        Tensor zeros = Tensor.zeros(3);
        assertArrayEquals(new float[] {0, 0, 0}, values(Autodiff.grad(in -> in[0].relu().sum(), zeros).get(0)));
        assertArrayEquals(new float[] {0, 0, 0}, values(Autodiff.grad(in -> in[0].abs().sum(), zeros).get(0)));
        Tensor ties = Tensor.fromArray(new float[] {1, 3, 3, 2}, 4);
        assertArrayEquals(new float[] {0, 1, 0, 0}, values(Autodiff.grad(in -> in[0].max(), ties).get(0)));
        Tensor jvp = Autodiff.jvp(in -> in[0].max(), ties, Tensor.fromArray(new float[] {10, 20, 30, 40}, 4))
                .tangent();
        assertEquals(20f, jvp.item());
        Tensor bounds = Tensor.fromArray(new float[] {-1, 0, 1}, 3);
        assertArrayEquals(new float[] {0, 1, 0},
                values(Autodiff.grad(in -> in[0].clamp(-1, 1).sum(), bounds).get(0)));
        Tensor window = Tensor.fromArray(new float[] {5, 5, 1, 2}, 1, 1, 2, 2);
        assertArrayEquals(new float[] {1, 0, 0, 0},
                values(Autodiff.grad(in -> Nn.maxPool2d(in[0], 2).sum(), window).get(0)));
    }

    @Test
    void parametersAccumulateLikeLayers() {
        Parameter p = new Parameter("w", Tensor.fromArray(new float[] {2, 3}, 2), true);
        p.grad().fill(1f);
        Tape tape = new Tape();
        Var w = tape.parameter(p);
        tape.backward(w.square().sum());
        assertArrayEquals(new float[] {5, 7}, values(p.grad()));
        assertSame(p.grad(), w.grad());
    }

    @Test
    void aResetTapeGivesTheSameBitsInTheSameBuffers() {
        Tape tape = new Tape();
        Tensor x = Tensor.randn(Shape.of(4, 5), 3);
        Tensor w = Tensor.randn(Shape.of(6, 5), 4);
        Tensor first = null;
        Tensor firstGrad = null;
        for (int run = 0; run < 3; run++) {
            tape.reset();
            Var in = tape.input(x);
            Var y = Nn.linear(in, tape.input(w), null).activation(Activation.GELU_ERF).logSoftmax().mean();
            tape.backward(y);
            if (first == null) {
                first = y.value().copy();
                firstGrad = in.grad();
            }
            assertArrayEquals(values(first), values(y.value()));
            assertSame(firstGrad, in.grad(), "the gradient buffer is reused");
        }
    }

    @Test
    void dropoutFollowsTheTrainingFlagAndItsStream() {
        Tensor x = Tensor.ones(1, 64);
        Tape tape = new Tape();
        float[] first = values(Nn.dropout(tape.input(x), 0.5f, 9).value());
        tape.reset();
        float[] second = values(Nn.dropout(tape.input(x), 0.5f, 9).value());
        tape.restart();
        assertArrayEquals(first, values(Nn.dropout(tape.input(x), 0.5f, 9).value()));
        float[] mask = new float[64];
        dev.lanes.layers.Dropout.mask(mask, 64, 0.5f, 9, 1);
        assertArrayEquals(mask, second, "run 2 of the tape uses the layer's mask of call 1");
        tape.reset();
        tape.training(false);
        assertArrayEquals(values(x), values(Nn.dropout(tape.input(x), 0.5f, 9).value()));
    }
}
