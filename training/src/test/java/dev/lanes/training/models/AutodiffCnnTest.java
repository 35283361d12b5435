package dev.lanes.training.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autodiff.FunctionLayer;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingOptions;
import dev.lanes.training.TrainingResult;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.optim.Sgd;
import dev.lanes.training.report.EpochRecord;
import dev.lanes.training.report.Progress;
import dev.lanes.training.random.SplitMix64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default CNN written as an autodiff function ({@code cnn-autodiff}) against the
 * {@code Sequential} one ({@code cnn}) of the same seed: the same output, loss and gradients at
 * one step, and the same training run through {@link Trainer}. The two run the same kernels on the
 * same values; they differ in rounding only where the dense layer does: the layer copies the bias
 * into the output and lets the GEMM add x·Wᵀ to it, the function adds the bias after the GEMM, and
 * the bias gradient sums the rows in another order. So values agree to a few float32 ulps of the
 * largest element of each tensor (tolerance 1e-5 of it), and SGD, linear in the gradients, keeps
 * the two runs that close (losses within 1e-4 relative after two epochs).
 */
class AutodiffCnnTest {
    private static final long SEED = 1616;

    /** Images of 10 classes: class c is a bright 7x7 block at one of 10 places, plus uniform noise. */
    static Dataset blocks(int count, long seed) {
        SplitMix64 random = new SplitMix64(seed);
        float[] images = new float[count * 28 * 28];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            int c = (int) (random.nextDouble() * 10);
            labels[n] = c;
            int top = (c / 5) * 14 + 3;
            int left = (c % 5) * 5;
            for (int i = 0; i < 28 * 28; i++) {
                int y = i / 28;
                int x = i % 28;
                boolean inside = y >= top && y < top + 7 && x >= left && x < left + 7;
                images[n * 784 + i] = (float) ((inside ? 1 : 0) + 0.8 * (random.nextDouble() - 0.5));
            }
        }
        return Dataset.of(images, labels, 1, 28, 28, 10, null);
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        double scale = 0;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tolerance = 1e-5 * scale;
        for (int i = 0; i < e.length; i++) {
            int index = i;
            assertTrue(Math.abs(e[i] - a[i]) <= tolerance, () -> "seed " + SEED + ": " + what + " differs at "
                    + index + ": " + e[index] + " (Sequential) vs " + a[index] + " (function), tolerance " + tolerance);
        }
    }

    @Test
    void oneStepComputesWhatTheSequentialComputes() {
        Model sequential = Models.create("cnn", SEED);
        Model function = Models.create("cnn-autodiff", SEED);
        assertTrue(function.network() instanceof FunctionLayer);
        assertEquals(sequential.namedParameters().stream().map(Model.NamedParameter::name).toList(),
                function.namedParameters().stream().map(Model.NamedParameter::name).toList());
        Tensor x = Tensor.randn(Shape.of(6, 1, 28, 28), SEED);
        Tensor labels = Tensor.fromArray(new float[] {0, 3, 9, 1, 1, 7}, 6);
        Tensor[] results = new Tensor[4];
        for (int step = 0; step < 2; step++) {
            // step 0 and 1: the dropout masks of the first two training forwards
            for (Model model : List.of(sequential, function)) {
                boolean isFunction = model == function;
                Layer network = model.network();
                SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
                for (Parameter p : model.parameters()) {
                    p.grad().zero();
                }
                Tensor y = network.forward(x, true).copy();
                float value = loss.forward(y, labels);
                Tensor dx = network.backward(loss.backward()).copy();
                results[isFunction ? 2 : 0] = y;
                results[isFunction ? 3 : 1] = dx;
                if (isFunction) {
                    assertEquals(value, new SoftmaxCrossEntropy().forward(results[0], labels), 1e-5 * Math.abs(value));
                }
            }
            assertClose("output, step " + step, results[0], results[2]);
            assertClose("input gradient, step " + step, results[1], results[3]);
            for (int i = 0; i < sequential.parameters().size(); i++) {
                assertClose(sequential.namedParameters().get(i).name() + " gradient, step " + step,
                        sequential.parameters().get(i).grad(), function.parameters().get(i).grad());
            }
        }
        assertClose("inference output", sequential.network().forward(x, false).copy(),
                function.network().forward(x, false));
    }

    @Test
    void trainsWithTheTrainerAsTheSequentialDoes() throws Exception {
        Dataset train = blocks(320, SEED);
        Dataset validation = blocks(128, SEED + 1);
        double[] finalLosses = new double[2];
        double[] accuracies = new double[2];
        int k = 0;
        for (String name : List.of("cnn", "cnn-autodiff")) {
            Model model = Models.create(name, SEED);
            TrainingOptions options = new TrainingOptions().log(null).progress((task, total) -> Progress.none())
                    .epochs(2);
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(model.parameters(), 0.05), options);
            TrainingResult result = trainer.fit(new DataLoader(train, 32, true, false, SEED, Augmentation.NONE),
                    new DataLoader(validation, 64, false, false, SEED, Augmentation.NONE));
            List<EpochRecord> epochs = result.epochs();
            assertTrue(epochs.get(1).trainLoss() < epochs.get(0).trainLoss(), name + ", seed " + SEED + ": " + epochs);
            finalLosses[k] = epochs.get(1).validationLoss();
            accuracies[k] = epochs.get(1).validationAccuracy();
            k++;
        }
        assertEquals(finalLosses[0], finalLosses[1], 1e-4 * finalLosses[0], "seed " + SEED);
        assertEquals(accuracies[0], accuracies[1], "seed " + SEED);
        assertTrue(accuracies[1] > 0.5, "seed " + SEED + ": the function model learned: " + accuracies[1]);
    }
}
