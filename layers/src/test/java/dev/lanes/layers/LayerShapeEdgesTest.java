package dev.lanes.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.loss.Hinge;
import dev.lanes.layers.loss.MultiClassHinge;
import dev.lanes.layers.loss.Reduction;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The edges of the shapes the layers take: the smallest shape of each kind is accepted (one
 * channel, one pixel, one class, rank 1 or 2), and a gradient of the wrong shape is refused by
 * name; the binary hinge at a margin of exactly 1, where its gradient is 0.
 */
class LayerShapeEdgesTest {
    @Test
    void theSmallestShapesAreAccepted() {
        Shape pixel = Shape.of(2, 1, 1, 1);
        assertEquals(Shape.of(2, 1), new GlobalAvgPool2d().outputShape(pixel));
        assertEquals(Shape.of(2, 1), new GlobalMaxPool2d().outputShape(pixel));
        assertEquals(Shape.of(3), new Softmax().outputShape(Shape.of(3)));
        assertEquals(Shape.of(2, 1), new LogSoftmax().outputShape(Shape.of(2, 1)));
        assertEquals(Shape.of(4, 3), new PReLU(3).outputShape(Shape.of(4, 3)));
        assertEquals(3, new PReLU(3).channels());
        MultiClassHinge hinge = new MultiClassHinge(MultiClassHinge.Formulation.WESTON_WATKINS, Reduction.SUM);
        assertEquals(0f, hinge.forward(Tensor.fromArray(new float[] {2f, -1f}, 2, 1),
                Tensor.fromArray(new float[] {0, 0}, 2)));
        SoftmaxCrossEntropy entropy = new SoftmaxCrossEntropy(Reduction.SUM);
        assertEquals(0f, entropy.forward(Tensor.fromArray(new float[] {2f, -1f}, 2, 1),
                Tensor.fromArray(new float[] {0, 0}, 2)));
        assertSame(Reduction.SUM, entropy.reduction());
    }

    @Test
    void aGradientOfTheWrongShapeIsRefusedByName() {
        Layer[] layers = {new GlobalAvgPool2d(), new GlobalMaxPool2d(), new PReLU(2)};
        for (Layer layer : layers) {
            Tensor y = layer.forward(Tensor.randn(Shape.of(3, 2, 4, 5), 17L), true);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> layer.backward(Tensor.zeros(Shape.of(4, 2, 4, 5))));
            assertEquals(layer.name() + ": gradOutput expected " + y.shape() + ", got (4, 2, 4, 5)", e.getMessage());
        }
        BatchNorm1d norm = new BatchNorm1d(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> norm.outputShape(Shape.of(2, 4)));
        assertEquals("BatchNorm1d(3): input expected (N, 3), got (2, 4)", e.getMessage());
        Hinge hinge = new Hinge();
        e = assertThrows(IllegalArgumentException.class,
                () -> hinge.forward(Tensor.full(Shape.of(2, 3), 1f), Tensor.full(Shape.of(3, 2), 1f)));
        assertEquals(hinge.name() + ": target expected (2, 3) (the prediction's shape), got (3, 2)", e.getMessage());
    }

    /** max(0, 1 - t y) has gradient -t where t y < 1 and 0 from t y = 1 on. */
    @Test
    void binaryHingeGradientIsZeroAtAMarginOfExactlyOne() {
        Hinge hinge = new Hinge(Reduction.SUM);
        Tensor y = Tensor.fromArray(new float[] {1f, -1f, 0.5f, -0.25f}, 4);
        Tensor t = Tensor.fromArray(new float[] {1f, -1f, 1f, -1f}, 4);
        assertEquals(0.5f + 0.75f, hinge.forward(y, t));
        float[] g = hinge.backward().toArray();
        assertEquals(0f, g[0]);
        assertEquals(0f, g[1]);
        assertEquals(-1f, g[2]);
        assertEquals(1f, g[3]);
    }

    @Test
    void accessorsOfPoolingAndParameters() {
        PoolWindow window = PoolWindow.of(3).stride(2);
        AvgPool2d counted = new AvgPool2d(window, true);
        assertSame(window, counted.window());
        assertTrue(counted.countIncludePad());
        assertFalse(new AvgPool2d(window, false).countIncludePad());
        Parameter decayed = new Parameter("weight", Tensor.zeros(2, 3), true);
        assertTrue(decayed.decay());
        assertFalse(new Parameter("bias", Tensor.zeros(3), false).decay());
        assertEquals("weight(2, 3)", decayed.toString());
        Conv2d conv = Conv2d.builder(2, 4, 3).stride(2, 1).dilation(1, 2).padding(1).build();
        assertEquals(2, conv.template().strideHeight());
        assertEquals(1, conv.template().strideWidth());
        assertEquals(2, conv.template().dilationWidth());
        assertEquals(1, conv.template().padLeft());
    }
}
