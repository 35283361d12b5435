package dev.lanes.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cases of {@code pytorch_golden.txt} (written by {@code pytorch_golden.py} beside it with
 * PyTorch 1.13 in double precision): for each case its output shape and, by name, the output, the
 * input gradient and the parameter gradients of {@code sum(output * g)}, with the input
 * {@code sin(0.37 i + 0.1)}, g {@code cos(0.7 i)}, the weight {@code sin(1.3 i)} and the bias
 * {@code 0.1 i - 0.2} over flat indices i.
 */
final class PyTorchGolden {
    /** float32 forward and backward against double results of order 1 over short sums. */
    static final double TOLERANCE = 1e-5;

    record Case(Shape outputShape, Map<String, float[]> arrays) {
    }

    private PyTorchGolden() {
    }

    static Map<String, Case> read() throws IOException {
        return read("pytorch_golden.txt");
    }

    /** The cases of a golden file in this package's resources, in the same format. */
    static Map<String, Case> read(String resource) throws IOException {
        Map<String, Case> cases = new LinkedHashMap<>();
        try (InputStream in = PyTorchGolden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("golden file " + resource + " is missing");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Case current = null;
            for (String line : text.split("\n")) {
                String[] words = line.trim().split(" ");
                if (words[0].equals("case")) {
                    int[] dims = new int[words.length - 2];
                    for (int i = 0; i < dims.length; i++) {
                        dims[i] = Integer.parseInt(words[i + 2]);
                    }
                    current = new Case(Shape.of(dims), new LinkedHashMap<>());
                    cases.put(words[1], current);
                } else if (current != null && words.length > 1) {
                    float[] values = new float[words.length - 1];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) Double.parseDouble(words[i + 1]);
                    }
                    current.arrays().put(words[0], values);
                }
            }
        }
        return cases;
    }

    static Tensor filled(Shape shape, java.util.function.IntToDoubleFunction f) {
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) f.applyAsDouble(i);
        }
        return Tensor.fromArray(values, shape.dims());
    }

    /** Runs the layer on the case's input and g and compares everything the case holds. */
    static void check(String name, Case golden, Layer layer, Shape inputShape) {
        Tensor x = filled(inputShape, i -> Math.sin(0.37 * i + 0.1));
        Tensor y = layer.forward(x, true);
        assertEquals(golden.outputShape(), y.shape(), name);
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        Tensor dx = layer.backward(filled(y.shape(), i -> Math.cos(0.7 * i)));
        compare(name + " output", y, golden.arrays().get("output"));
        compare(name + " input gradient", dx, golden.arrays().get("gradInput"));
        for (Parameter p : layer.parameters()) {
            compare(name + " gradient of " + p.name(), p.grad(), golden.arrays().get("grad." + p.name()));
        }
        assertEquals(2 + layer.parameters().size(), golden.arrays().size(), name + ": arrays in the golden file");
    }

    static void compare(String what, Tensor actual, float[] expected) {
        String mismatch = Tensor.mismatch(actual, Tensor.fromArray(expected, actual.shape().dims()), TOLERANCE,
                TOLERANCE);
        assertNull(mismatch, what + ": " + mismatch);
    }
}
