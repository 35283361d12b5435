package dev.lanes.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.Activation;
import dev.lanes.layers.loss.BinaryCrossEntropy;
import dev.lanes.layers.loss.Loss;
import dev.lanes.layers.loss.MultiClassHinge;
import dev.lanes.layers.loss.Reduction;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conventions against an outside reference: {@code conventions_golden.txt}, written by
 * {@code layers/src/test/python/conventions_golden.py} with PyTorch 1.13 in double precision
 * (ceil mode and padding in pooling windows, padding counted in averages, the GELU and SELU
 * constants, binary cross-entropy's clamp, both multi-class hinge forms, batch normalization's
 * running variance). Every case must be in the file: a missing one fails.
 */
class ConventionsGoldenTest {
    private static Map<String, PyTorchGolden.Case> cases;

    @BeforeAll
    static void read() throws IOException {
        cases = PyTorchGolden.read("conventions_golden.txt");
    }

    private static PyTorchGolden.Case golden(String name) {
        PyTorchGolden.Case golden = cases.get(name);
        assertNotNull(golden, "case " + name + " in conventions_golden.txt");
        return golden;
    }

    /** Forward of the case's input, backward of g = cos(0.7 i); output and input gradient compared. */
    private static Layer check(String name, Layer layer, Shape inputShape) {
        PyTorchGolden.Case golden = golden(name);
        Tensor x = Tensor.fromArray(golden.arrays().get("input"), inputShape.dims());
        Tensor y = layer.forward(x, true);
        assertEquals(golden.outputShape(), y.shape(), name + ": output shape");
        Tensor dx = layer.backward(PyTorchGolden.filled(y.shape(), i -> Math.cos(0.7 * i)));
        PyTorchGolden.compare(name + " output", y, golden.arrays().get("output"));
        PyTorchGolden.compare(name + " input gradient", dx, golden.arrays().get("gradInput"));
        return layer;
    }

    @Test
    void poolingWindowsCeilModeAndPaddingInAverages() {
        Shape image = Shape.of(2, 2, 7, 6);
        check("maxpool_k3_s2_ceil", new MaxPool2d(PoolWindow.of(3).stride(2).ceilMode(true)), image);
        check("maxpool_k2_s2_p1_ceil", new MaxPool2d(PoolWindow.of(2).stride(2).padding(1).ceilMode(true)), image);
        check("avgpool_k3_s2_p1_countpad", new AvgPool2d(PoolWindow.of(3).stride(2).padding(1), true), image);
        check("avgpool_k3_s2_p1_nopad", new AvgPool2d(PoolWindow.of(3).stride(2).padding(1), false), image);
        check("avgpool_k3_s2_p1_ceil_countpad",
                new AvgPool2d(PoolWindow.of(3).stride(2).padding(1).ceilMode(true), true), image);
        check("avgpool_k3_s2_p1_ceil_nopad",
                new AvgPool2d(PoolWindow.of(3).stride(2).padding(1).ceilMode(true), false), image);
    }

    @Test
    void geluAndSeluConstants() {
        Shape shape = Shape.of(4, 25);
        check("gelu_tanh", new ActivationLayer(Activation.GELU_TANH), shape);
        check("gelu_erf", new ActivationLayer(Activation.GELU_ERF), shape);
        check("selu", new ActivationLayer(Activation.SELU), shape);
    }

    @Test
    void batchNormRunningVarianceIsUnbiased() {
        BatchNorm2d bn = new BatchNorm2d(3, 0.1f, 1e-5f, true);
        check("batchnorm2d_training", bn, Shape.of(2, 3, 2, 3));
        PyTorchGolden.Case golden = golden("batchnorm2d_training");
        PyTorchGolden.compare("running mean", bn.runningMean(), golden.arrays().get("runningMean"));
        PyTorchGolden.compare("running variance", bn.runningVar(), golden.arrays().get("runningVar"));
    }

    /** Value and gradient of a loss; {@code factor} scales the reference (PyTorch's per-class division). */
    private static void checkLoss(String name, Loss loss, boolean classIndices, double factor) {
        PyTorchGolden.Case golden = golden(name);
        Shape shape = golden.outputShape();
        Tensor prediction = Tensor.fromArray(golden.arrays().get("prediction"), shape.dims());
        float[] t = golden.arrays().get("target");
        Tensor target = classIndices ? Tensor.fromArray(t, t.length) : Tensor.fromArray(t, shape.dims());
        float value = loss.forward(prediction, target);
        double expected = factor * golden.arrays().get("output")[0];
        assertTrue(Math.abs(value - expected) <= PyTorchGolden.TOLERANCE * (1 + Math.abs(expected)),
                name + ": loss " + value + ", PyTorch gives " + expected);
        float[] gradient = golden.arrays().get("gradInput").clone();
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = (float) (factor * gradient[i]);
        }
        PyTorchGolden.compare(name + " gradient", loss.backward(), gradient);
    }

    @Test
    void binaryCrossEntropyClampsLikeKeras() {
        checkLoss("bce_mean_clamped", new BinaryCrossEntropy(Reduction.MEAN), false, 1);
        checkLoss("bce_sum", new BinaryCrossEntropy(Reduction.SUM), false, 1);
    }

    @Test
    void bothMultiClassHingeForms() {
        // PyTorch's MultiMarginLoss divides each example's sum by the class count (5); Lanes does not.
        checkLoss("hinge_weston_watkins_mean",
                new MultiClassHinge(MultiClassHinge.Formulation.WESTON_WATKINS, Reduction.MEAN), true, 5);
        checkLoss("hinge_crammer_singer_mean",
                new MultiClassHinge(MultiClassHinge.Formulation.CRAMMER_SINGER, Reduction.MEAN), true, 1);
    }
}
