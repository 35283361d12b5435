package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialTest {
    private static final long SEED = 0x5e9L;

    @Test
    void buildTimeShapeCheckNamesTheLayerThatDoesNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sequential(Shape.of(4), new Dense(4, 3, 1), new Dense(5, 2, 2)));
        assertEquals("Sequential: layer 1 '1' (Dense(5 -> 2)) does not fit the output (N, 3) of layer 0 '0': "
                + "Dense(5 -> 2): input expected (N, 5), got (1, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sequential.builder(Shape.of(1, 3, 3))
                .add("flat", new Flatten()).add("bn", new BatchNorm1d(9)).add("fc", new Dense(8, 2, 3)).build());
        assertEquals("Sequential: layer 2 'fc' (Dense(8 -> 2)) does not fit the output (N, 9) of layer 1 'bn': "
                + "Dense(8 -> 2): input expected (N, 8), got (1, 9)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sequential(Shape.of(3, 4), new Dense(12, 2, 1)));
        assertTrue(e.getMessage().startsWith("Sequential: layer 0 '0' (Dense(12 -> 2)) does not fit the output "
                + "(N, 3, 4) of the model input"), e.getMessage());
    }

    @Test
    void layerNamesAreCheckedAndParameterNamesAreHierarchical() {
        Sequential block = new Sequential(Shape.of(3), new Dense(3, 3, 1), new BatchNorm1d(3));
        Sequential model = Sequential.builder(Shape.of(4))
                .add("fc1", new Dense(4, 3, 2))
                .add(new Dropout(0.5f, 3))
                .add("block", block)
                .add(new Dense(3, 2, false, 4))
                .build();
        assertEquals(List.of("fc1", "1", "block", "3"), model.layerNames());
        assertEquals(List.of("fc1.weight", "fc1.bias", "block.0.weight", "block.0.bias", "block.1.weight",
                "block.1.bias", "3.weight"), List.copyOf(model.namedParameters().keySet()));
        assertEquals(List.of("block.1.running_mean", "block.1.running_var"), List.copyOf(model.buffers().keySet()));
        assertSame(((Dense) model.layer("fc1")).weight(), model.namedParameters().get("fc1.weight"));
        assertEquals(7, model.parameters().size());
        assertEquals(15 + 12 + 6 + 6, model.parameterCount());
        assertThrows(IllegalArgumentException.class, () -> model.layer("nope"));
        assertThrows(IllegalArgumentException.class,
                () -> Sequential.builder(Shape.of(4)).add("a.b", new Flatten()));
        assertThrows(IllegalArgumentException.class,
                () -> Sequential.builder(Shape.of(4)).add("x", new Flatten()).add("x", new Flatten()));
        assertThrows(IllegalArgumentException.class, () -> Sequential.builder(Shape.of(4)).add(" ", new Flatten()));
        assertThrows(IllegalArgumentException.class, () -> Sequential.builder(Shape.of(4)).build());
    }

    @Test
    void forwardAndBackwardComposeTheLayers() {
        Dense first = new Dense(4, 5, 1);
        Dense second = new Dense(5, 2, 2);
        Sequential model = new Sequential(Shape.of(2, 2), new Flatten(), first, second);
        assertEquals(Shape.of(2), model.outputShape());
        assertEquals(Shape.of(7, 2), model.outputShape(Shape.of(7, 2, 2)));
        Tensor x = randn(SEED, 3, 2, 2);
        Tensor y = model.forward(x, true).copy();
        Dense firstCopy = new Dense(4, 5, 1);
        Dense secondCopy = new Dense(5, 2, 2);
        Tensor expected = secondCopy.forward(firstCopy.forward(x.reshape(3, 4), true), true);
        assertArrayEquals(expected.toArray(), y.toArray());
        Tensor g = randn(SEED + 1, 3, 2);
        Tensor dx = model.backward(g);
        assertEquals(Shape.of(3, 2, 2), dx.shape());
        Tensor expectedDx = firstCopy.backward(secondCopy.backward(g));
        assertArrayEquals(expectedDx.toArray(), dx.toArray());
        assertArrayEquals(firstCopy.weight().grad().toArray(), first.weight().grad().toArray());
        FiniteDifference.check(model, randn(SEED + 2, 2, 2, 2), true, SEED);
    }

    @Test
    void inputShapeIsCheckedAtTheCall() {
        Sequential model = new Sequential(Shape.of(4), new Dense(4, 2, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forward(Tensor.zeros(3, 5), true));
        assertEquals("Sequential(1 layers): input expected (N, 4), got (3, 5)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.forward(Tensor.zeros(4), true));
        assertThrows(IllegalStateException.class, () -> model.backward(Tensor.zeros(3, 2)));
    }

    @Test
    void summaryListsShapesAndParameterCounts() {
        Sequential model = Sequential.builder(Shape.of(1, 2, 2))
                .add("flat", new Flatten())
                .add("fc", new Dense(4, 3, 1))
                .add("bn", new BatchNorm1d(3))
                .build();
        String n = System.lineSeparator();
        assertEquals("Sequential, input (N, 1, 2, 2)" + n
                + "Layer (type)         Output shape  Params" + n
                + "=========================================" + n
                + "flat (Flatten)       (N, 4)             0" + n
                + "fc (Dense(4 -> 3))   (N, 3)            15" + n
                + "bn (BatchNorm1d(3))  (N, 3)             6" + n
                + "=========================================" + n
                + "Trainable parameters: 21" + n
                + "Non-trainable values (buffers): 6" + n, model.summary());
    }
}
