package dev.lanes.training.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autodiff.ConvSpec;
import dev.lanes.autodiff.FunctionLayer;
import dev.lanes.autodiff.Nn;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.Model;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FLOP counts: a model written as a function counts the products of its operations as the same
 * model written as layers does, and each product's count follows its shapes.
 */
class FlopsTest {
    private static final long SEED = 77;

    @Test
    void theFunctionCnnCountsWhatTheLayerCnnCounts() {
        Model layers = Models.create("cnn", SEED);
        Model function = Models.create("cnn-autodiff", SEED);
        long expected = Flops.forwardPerImage(layers);
        // The layer count, summed from the table of the Sequential model.
        long perLayer = Flops.perLayer((Sequential) layers.network()).stream()
                .mapToLong(Flops.LayerFlops::forward).sum();
        assertEquals(perLayer, expected);
        assertEquals(expected, Flops.forwardPerImage(function), "cnn-autodiff against cnn");
        assertEquals(3 * expected, Flops.trainingPerImage(function));
    }

    @Test
    void aMatrixProductCountsTwoFlopsPerMultiplyAdd() {
        int in = 12;
        int out = 5;
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        parameters.put("w", new Parameter("w", Tensor.randn(Shape.of(out, in), 0f, 0.1f, SEED), true));
        parameters.put("b", new Parameter("b", Tensor.zeros(out), false));
        FunctionLayer dense = new FunctionLayer("dense", parameters,
                (x, p) -> Nn.linear(x.reshape(x.shape().dim(0), -1), p.get("w"), p.get("b")).relu());
        assertEquals(2L * in * out, Flops.forwardPerImage(Model.of("dense", dense, Shape.of(3, 2, 2))));
        // Per image: a batch of 4 does four times the products.
        assertEquals(4L * in * out, dense.multiplyAdds(Shape.of(4, 3, 2, 2)));
    }

    @Test
    void aConvolutionCountsItsDotProductsAndOtherOperationsNothing() {
        int c = 3;
        int k = 4;
        int groups = 1;
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        parameters.put("w", new Parameter("w", Tensor.randn(Shape.of(k, c / groups, 3, 3), 0f, 0.1f, SEED), true));
        parameters.put("b", new Parameter("b", Tensor.zeros(k), false));
        ConvSpec strided = ConvSpec.DEFAULT.stride(2);
        FunctionLayer conv = new FunctionLayer("conv", parameters,
                (x, p) -> Nn.maxPool2d(Nn.conv2d(x, p.get("w"), p.get("b"), strided).tanh(), 2)
                        .reshape(x.shape().dim(0), -1));
        // 9x9 input, 3x3 window, stride 2, no padding: 4x4 outputs per channel.
        long outputs = (long) k * 4 * 4;
        assertEquals(2 * outputs * c * 3 * 3, Flops.forwardPerImage(Model.of("conv", conv, Shape.of(c, 9, 9))));
        FunctionLayer elementwise = new FunctionLayer("elementwise", new LinkedHashMap<>(), (x, p) -> x.tanh().mul(x));
        assertEquals(0, elementwise.multiplyAdds(Shape.of(2, 3, 9, 9)));
    }

    @Test
    void anInputTheFunctionRejectsIsNamed() {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        parameters.put("w", new Parameter("w", Tensor.randn(Shape.of(5, 12), 0f, 0.1f, SEED), true));
        FunctionLayer dense = new FunctionLayer("dense", parameters, (x, p) -> x.matmul(p.get("w").transpose()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dense.multiplyAdds(Shape.of(1, 7)));
        assertTrue(e.getMessage().startsWith("dense: input " + Shape.of(1, 7) + " does not fit"), e.getMessage());
    }
}
