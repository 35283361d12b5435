package dev.lanes.gradcheck.reference;

import java.util.ArrayList;
import java.util.List;

/** Layers applied in order; backward in reverse order; the parameters of all layers, in order. */
public final class SequentialReference implements ReferenceLayer {
    private final List<ReferenceLayer> layers;
    private int[][] shapes;

    /**
     * The layers, first applied first.
     *
     * @param layers the layers in order
     */
    public SequentialReference(List<ReferenceLayer> layers) {
        this.layers = List.copyOf(layers);
    }

    @Override
    public String name() {
        StringBuilder text = new StringBuilder("SequentialReference(");
        for (int i = 0; i < layers.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(layers.get(i).name());
        }
        return text.append(')').toString();
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int[] shape = inputShape.clone();
        for (ReferenceLayer layer : layers) {
            shape = layer.outputShape(shape);
        }
        return shape;
    }

    @Override
    public double[] forward(double[] input, int[] inputShape, boolean training) {
        shapes = new int[layers.size() + 1][];
        shapes[0] = inputShape.clone();
        double[] x = input;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x, shapes[i], training);
            shapes[i + 1] = layers.get(i).outputShape(shapes[i]);
        }
        return x.clone();
    }

    @Override
    public double[] backward(double[] gradOutput) {
        Reference.requireForward(shapes, name());
        double[] g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g.clone();
    }

    @Override
    public List<ReferenceParameter> parameters() {
        List<ReferenceParameter> out = new ArrayList<>();
        for (ReferenceLayer layer : layers) {
            out.addAll(layer.parameters());
        }
        return out;
    }
}
