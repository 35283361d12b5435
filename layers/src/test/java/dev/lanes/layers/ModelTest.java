package dev.lanes.layers;

import static dev.lanes.layers.FiniteDifference.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.loss.Loss;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A small CNN assembled from the layers: shapes, names, a gradient check and a few SGD steps. */
class ModelTest {
    private static final long SEED = 0x30de1L;

    static Sequential cnn(long seed) {
        return cnn(seed, new MaxPool2d(2));
    }

    static Sequential cnn(long seed, Layer pool1) {
        return Sequential.builder(Shape.of(1, 8, 8))
                .add("conv1", Conv2d.builder(1, 4, 3).padding(1).seed(seed).build())
                .add("bn1", new BatchNorm2d(4))
                .add("pool1", pool1)
                .add("conv2", Conv2d.builder(4, 6, 3).seed(seed + 1).build())
                .add("pool2", new AvgPool2d(PoolWindow.of(2).stride(1), true))
                .add("flat", new Flatten())
                .add("drop", new Dropout(0.25f, seed + 2))
                .add("fc", new Dense(6, 3, seed + 3))
                .build();
    }

    @Test
    void shapesAndNames() {
        Sequential model = cnn(SEED);
        assertEquals(Shape.of(3), model.outputShape());
        assertEquals(java.util.List.of("conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "conv2.weight",
                "conv2.bias", "fc.weight", "fc.bias"), java.util.List.copyOf(model.namedParameters().keySet()));
        // 4·9 + 4, 4 + 4, 6·4·9 + 6, 3·6 + 3.
        assertEquals(40 + 8 + 222 + 21, model.parameterCount());
        assertTrue(model.summary().matches("(?s).*pool2 \\(AvgPool2d\\(2x2, stride 1\\)\\) +\\(N, 6, 1, 1\\) +0\\R.*"),
                model.summary());
    }

    @Test
    void gradientCheckThroughTheWholeModelAtInference() {
        // Average pooling in place of the max: a weight step of 1e-2 can reorder the conv outputs
        // of a max window, a kink the finite difference would straddle.
        Sequential model = cnn(SEED, new AvgPool2d(2));
        // Running statistics away from their start values, so inference mode is not trivial.
        model.forward(randn(SEED + 1, 4, 1, 8, 8), true);
        FiniteDifference.check(model, PoolingTest.distinct(SEED + 2, 2, 1, 8, 8), false, SEED);
    }

    @Test
    void sgdStepsReduceTheLossAndRunsAreBitIdentical() {
        float[] first = train();
        float[] second = train();
        assertArrayEquals(first, second);
        // Dropout makes single steps noisy: compare the mean of the last five with the first.
        double last = 0;
        for (int i = first.length - 5; i < first.length; i++) {
            last += first[i] / 5.0;
        }
        assertTrue(last < 0.5 * first[0], java.util.Arrays.toString(first));
    }

    /** 20 plain SGD steps on a fixed batch; returns the loss of each step. */
    private static float[] train() {
        Sequential model = cnn(SEED);
        Loss loss = new SoftmaxCrossEntropy();
        Tensor x = randn(SEED + 3, 6, 1, 8, 8);
        Tensor y = Tensor.fromArray(new float[] {0, 1, 2, 0, 1, 2}, 6);
        float[] losses = new float[20];
        for (int step = 0; step < losses.length; step++) {
            losses[step] = loss.forward(model.forward(x, true), y);
            model.backward(loss.backward());
            for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                Parameter p = entry.getValue();
                p.value().axpyInPlace(-0.1f, p.grad());
                p.zeroGrad();
            }
        }
        return losses;
    }
}
