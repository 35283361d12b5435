package dev.lanes.training.models;

import dev.lanes.autodiff.FunctionLayer;
import dev.lanes.layers.Conv2d;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import dev.lanes.training.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * Floating-point operations of a model per image, counted the usual way: the multiply-adds of
 * the convolutions and dense layers, two FLOPs each (activations, pooling, normalization and
 * biases are cheap elementwise passes and are not counted). A training step costs three times
 * the forward pass: the forward product, the gradient with respect to the input and the one
 * with respect to the weights are each a product of the same size. A model written as a function
 * ({@link FunctionLayer}) counts the products of its operations the same way.
 */
public final class Flops {
    /**
     * One layer's forward FLOPs per image.
     *
     * @param name    the layer's name in its model
     * @param layer   the layer
     * @param forward forward FLOPs per image (0 for layers that are not counted)
     */
    public record LayerFlops(String name, Layer layer, long forward) {
    }

    private Flops() {
    }

    /**
     * {@return the forward FLOPs per image of every layer of {@code network}, in order}
     *
     * @param network the network
     */
    public static List<LayerFlops> perLayer(Sequential network) {
        List<LayerFlops> result = new ArrayList<>();
        Shape shape = oneImage(network.inputShape());
        for (int i = 0; i < network.layers().size(); i++) {
            Layer layer = network.layers().get(i);
            Shape output = layer.outputShape(shape);
            result.add(new LayerFlops(network.layerNames().get(i), layer, forward(layer, shape, output)));
            shape = output;
        }
        return result;
    }

    /** The shape of a batch of one: {@code image} with a leading 1. */
    private static Shape oneImage(Shape image) {
        int[] input = image.dims();
        int[] dims = new int[input.length + 1];
        dims[0] = 1;
        System.arraycopy(input, 0, dims, 1, input.length);
        return Shape.of(dims);
    }

    /**
     * Forward FLOPs per image of one layer whose input and output for one image have shapes
     * {@code input} and {@code output}.
     */
    static long forward(Layer layer, Shape input, Shape output) {
        if (layer instanceof Conv2d conv) {
            // Each output element is a dot product over (c/groups)·r·s inputs.
            int[] weight = conv.weight().shape().dims();
            return 2L * output.size() * weight[1] * weight[2] * weight[3];
        }
        if (layer instanceof Dense dense) {
            return 2L * dense.inFeatures() * dense.outFeatures();
        }
        if (layer instanceof FunctionLayer function) {
            return 2L * function.multiplyAdds(input);
        }
        if (layer instanceof Sequential nested) {
            long sum = 0;
            for (LayerFlops inner : perLayer(nested)) {
                sum += inner.forward();
            }
            return sum;
        }
        return 0;
    }

    /**
     * Forward FLOPs per image of a model: its network's convolutions, dense layers and (for a model
     * written as a function) matrix products, nested networks included; 0 for a network of other
     * layers.
     *
     * @param model the model
     * @return the forward FLOPs per image
     */
    public static long forwardPerImage(Model model) {
        Shape input = oneImage(model.inputShape());
        Layer network = model.network();
        return forward(network, input, network.outputShape(input));
    }

    /**
     * Training FLOPs per image: three times the forward pass.
     *
     * @param model the model
     * @return the training FLOPs per image
     */
    public static long trainingPerImage(Model model) {
        return 3 * forwardPerImage(model);
    }
}
