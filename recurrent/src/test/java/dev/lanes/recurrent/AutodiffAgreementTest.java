package dev.lanes.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.autodiff.Autodiff;
import dev.lanes.autodiff.Nn;
import dev.lanes.autodiff.Var;
import dev.lanes.gradcheck.Values;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;

/**
 * Each cell written again with automatic-differentiation operations (slices, linear maps,
 * sigmoid, tanh, products, stacking), one step at a time, and its reverse-mode gradients compared
 * with the layer's fused forward and backward: one layer in one or both directions, returning
 * the sequence, over generated sizes. An independent oracle: the autodiff operations share only
 * the GEMM and the activation kernels with the layers, not their buffers, fused kernels or
 * backward loops.
 */
class AutodiffAgreementTest {
    private static final double RELATIVE = 1e-4;

    @Test
    void cellsAgreeWithTheirAutodiffTwins() {
        QuickTheory.qt().withFixedSeed(1717).withExamples(61).forAll(RecurrentCase.cases(
                RecurrentReference.Kind.values())).checkAssert(generated -> {
                    RecurrentOptions options = RecurrentOptions.DEFAULT.returnSequences(true)
                            .bidirectional(generated.options().bidirectional()).bias(generated.options().bias());
                    RecurrentCase c = new RecurrentCase(generated.kind(), generated.batch(), generated.steps(),
                            generated.features(), generated.hidden(), options, null, generated.seed());
                    check(c);
                });
    }

    private static void check(RecurrentCase c) {
        RecurrentLayer layer = c.layer();
        Tensor x = c.input();
        Tensor y = layer.forward(x, true).copy();
        Tensor g = Values.uniform(y.shape(), c.seed() + 9, -1, 1);
        Tensor dx = layer.backward(g).copy();
        List<Parameter> parameters = layer.parameters();
        Tensor[] inputs = new Tensor[parameters.size() + 1];
        inputs[0] = x;
        for (int i = 0; i < parameters.size(); i++) {
            inputs[i + 1] = parameters.get(i).value();
        }
        Autodiff.Pullback pullback = Autodiff.vjp(in -> sequence(c, in), inputs);
        String context = c.toString();
        LayerTesting.assertClose(context + ": forward", y, LayerTesting.toDouble(pullback.value()), RELATIVE);
        List<Tensor> gradients = pullback.apply(g);
        LayerTesting.assertClose(context + ": input gradient", dx, LayerTesting.toDouble(gradients.get(0)),
                RELATIVE);
        assertEquals(parameters.size() + 1, gradients.size());
        for (int i = 0; i < parameters.size(); i++) {
            LayerTesting.assertClose(context + ": gradient of " + parameters.get(i).name(), parameters.get(i).grad(),
                    LayerTesting.toDouble(gradients.get(i + 1)), RELATIVE);
        }
    }

    /** The layer's output (N, T, directions x hidden) from zero initial states, in autodiff operations. */
    private static Var sequence(RecurrentCase c, Var[] in) {
        Var x = in[0];
        int perDirection = c.options().bias() ? 4 : 2;
        List<Var> directions = new ArrayList<>();
        for (int d = 0; d < c.options().directions(); d++) {
            int p = 1 + d * perDirection;
            Var wIh = in[p];
            Var wHh = in[p + 1];
            Var bIh = c.options().bias() ? in[p + 2] : null;
            Var bHh = c.options().bias() ? in[p + 3] : null;
            Var h = x.tape().constant(Tensor.zeros(Shape.of(c.batch(), c.hidden())));
            Var cell = h;
            Var[] outputs = new Var[c.steps()];
            for (int k = 0; k < c.steps(); k++) {
                int t = d == 1 ? c.steps() - 1 - k : k;
                Var xt = x.slice(1, t, t + 1).reshape(c.batch(), c.features());
                Var inputPart = Nn.linear(xt, wIh, bIh);
                Var hiddenPart = Nn.linear(h, wHh, bHh);
                switch (c.kind()) {
                    case RNN_TANH -> h = inputPart.add(hiddenPart).tanh();
                    case RNN_RELU -> h = inputPart.add(hiddenPart).relu();
                    case LSTM -> {
                        Var a = inputPart.add(hiddenPart);
                        Var i = gate(a, 0, c.hidden()).sigmoid();
                        Var f = gate(a, 1, c.hidden()).sigmoid();
                        Var g = gate(a, 2, c.hidden()).tanh();
                        Var o = gate(a, 3, c.hidden()).sigmoid();
                        cell = f.mul(cell).add(i.mul(g));
                        h = o.mul(cell.tanh());
                    }
                    case GRU -> {
                        Var r = gate(inputPart, 0, c.hidden()).add(gate(hiddenPart, 0, c.hidden())).sigmoid();
                        Var z = gate(inputPart, 1, c.hidden()).add(gate(hiddenPart, 1, c.hidden())).sigmoid();
                        Var n = gate(inputPart, 2, c.hidden()).add(r.mul(gate(hiddenPart, 2, c.hidden()))).tanh();
                        // (1 - z) n + z h
                        h = n.sub(z.mul(n)).add(z.mul(h));
                    }
                }
                outputs[t] = h;
            }
            directions.add(Nn.stack(1, outputs));
        }
        return directions.size() == 1 ? directions.get(0) : Nn.concat(2, directions.get(0), directions.get(1));
    }

    private static Var gate(Var a, int index, int hidden) {
        return a.slice(1, index * hidden, (index + 1) * hidden);
    }
}
