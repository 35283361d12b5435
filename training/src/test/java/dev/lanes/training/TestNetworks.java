package dev.lanes.training;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.random.SplitMix64;
import java.util.List;
import java.util.Map;

/**
 * Small layers and a loss written for the trainer's tests, independent of the layer library: a
 * linear classifier over flattened images (through Tensor.matmul, so the kernels' threads are
 * used), a layer that starts emitting NaN after a given number of training steps, and softmax
 * cross-entropy with class-index targets. Plus a synthetic dataset a linear model can learn.
 */
final class TestNetworks {
    private TestNetworks() {
    }

    /** y = x·Wᵀ + b over x flattened to (n, features); keeps a running mean of its input as a buffer. */
    static final class Linear implements Layer {
        final Parameter weight;
        final Parameter bias;
        final Tensor runningMean;
        private final int features;
        private final int outputs;
        private Tensor input;
        private Tensor output;
        private Tensor gradInput;

        Linear(int features, int outputs, long seed) {
            this.features = features;
            this.outputs = outputs;
            SplitMix64 random = new SplitMix64(seed);
            float[] w = new float[outputs * features];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextGaussian() * Math.sqrt(1.0 / features));
            }
            weight = new Parameter("weight", Tensor.fromArray(w, outputs, features), true);
            bias = new Parameter("bias", Tensor.zeros(outputs), false);
            runningMean = Tensor.zeros(1);
        }

        @Override
        public String name() {
            return "Linear(" + features + "->" + outputs + ")";
        }

        @Override
        public Shape outputShape(Shape inputShape) {
            if (inputShape.size() / inputShape.dim(0) != features) {
                throw new IllegalArgumentException(name() + " expects " + features + " features per row, got "
                        + inputShape);
            }
            return Shape.of(inputShape.dim(0), outputs);
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            int n = x.dim(0);
            input = x.reshape(n, features);
            if (output == null || output.dim(0) != n) {
                output = Tensor.zeros(n, outputs);
                gradInput = Tensor.zeros(n, features);
            }
            Tensor.matmul(output, input, weight.value().transpose(), 1, 0);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < outputs; k++) {
                    output.set(i, k, output.get(i, k) + bias.value().get(k));
                }
            }
            if (training) {
                runningMean.set(0, 0.9f * runningMean.get(0) + 0.1f * input.mean());
            }
            return output;
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            // dW += gᵀ·x, db += Σ_rows g, dx = g·W
            Tensor.matmul(weight.grad(), gradOutput.transpose(), input, 1, 1);
            for (int i = 0; i < gradOutput.dim(0); i++) {
                for (int k = 0; k < outputs; k++) {
                    bias.grad().set(k, bias.grad().get(k) + gradOutput.get(i, k));
                }
            }
            Tensor.matmul(gradInput, gradOutput, weight.value(), 1, 0);
            return gradInput;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(weight, bias);
        }

        @Override
        public Map<String, Tensor> buffers() {
            return Map.of("running_mean", runningMean);
        }
    }

    /** The identity, except that from training call number {@code poisonAt} on it outputs NaN. */
    static final class PoisonAfter implements Layer {
        private final long poisonAt;
        private long trainingCalls;
        private Tensor poisoned;

        PoisonAfter(long poisonAt) {
            this.poisonAt = poisonAt;
        }

        @Override
        public String name() {
            return "PoisonAfter(" + poisonAt + ")";
        }

        @Override
        public Shape outputShape(Shape inputShape) {
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor input, boolean training) {
            if (training && ++trainingCalls >= poisonAt) {
                poisoned = input.copy();
                poisoned.fill(Float.NaN);
                return poisoned;
            }
            return input;
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            return gradOutput;
        }
    }

    /** A model named {@code name}: a Linear layer "fc" (with its buffer) over (1, size, size) images, then {@code after}. */
    static Model linearModel(String name, int size, int classes, long seed, Layer... after) {
        Sequential.Builder builder = Sequential.builder(Shape.of(1, size, size))
                .add("fc", new Linear(size * size, classes, seed));
        for (Layer layer : after) {
            builder.add(layer);
        }
        return Model.of(name, builder.build(), Shape.of(1, size, size));
    }

    /**
     * {@code count} images of (1, 4, 4) in 4 classes: class c lights up quadrant c (value 1 plus
     * noise of the given amplitude), the rest is noise; {@code labelShift} relabels class c as
     * (c + labelShift) mod 4, to make a validation set that disagrees with the training set.
     */
    static Dataset quadrants(int count, double noise, int labelShift, long seed) {
        SplitMix64 random = new SplitMix64(seed);
        float[] images = new float[count * 16];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            int c = n % 4;
            labels[n] = (c + labelShift) % 4;
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int quadrant = (y / 2) * 2 + x / 2;
                    double value = (quadrant == c ? 1 : 0) + noise * (random.nextDouble() - 0.5);
                    images[n * 16 + y * 4 + x] = (float) value;
                }
            }
        }
        return Dataset.of(images, labels, 1, 4, 4, 4, null);
    }
}
