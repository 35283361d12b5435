package dev.lanes.training;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.Arrays;

/**
 * {@link Model#predict(Tensor)}: the model's normalization applied to a copy of the images, the
 * network in inference mode over chunks of them, and the softmax of each image's scores.
 */
final class ModelPrediction {
    /** Images per forward pass: bounds the memory of the activations. */
    private static final int BATCH = 256;

    private ModelPrediction() {
    }

    static Predictions predict(Model model, Tensor images) {
        Shape inputShape = model.inputShape();
        Shape shape = images.shape();
        if (shape.rank() != 4 || shape.dim(1) != inputShape.dim(0) || shape.dim(2) != inputShape.dim(1)
                || shape.dim(3) != inputShape.dim(2)) {
            throw new IllegalArgumentException("model " + model.name() + " takes images of shape (n, "
                    + inputShape.dim(0) + ", " + inputShape.dim(1) + ", " + inputShape.dim(2) + "), got " + shape);
        }
        int classes = model.classes();
        int count = shape.dim(0);
        int imageSize = inputShape.size();
        int channelSize = inputShape.dim(1) * inputShape.dim(2);
        float[] values = images.toArray();
        Model.Normalization normalization = model.normalization();
        if (normalization != null) {
            float[] mean = normalization.mean();
            float[] std = normalization.std();
            for (int i = 0; i < values.length; i++) {
                int channel = (i % imageSize) / channelSize;
                values[i] = (values[i] - mean[channel]) / std[channel];
            }
        }
        int[] labels = new int[count];
        float[] probabilities = new float[count * classes];
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            float[] chunk = Arrays.copyOfRange(values, start * imageSize, (start + n) * imageSize);
            Tensor input = Tensor.wrap(chunk, n, inputShape.dim(0), inputShape.dim(1), inputShape.dim(2));
            float[] scores = model.network().forward(input, false).toArray();
            for (int i = 0; i < n; i++) {
                labels[start + i] = softmax(scores, i * classes, probabilities, (start + i) * classes, classes);
            }
        }
        return new Predictions(labels, probabilities, classes);
    }

    /** Writes the softmax of {@code n} scores to {@code out}; returns the index of the largest score. */
    private static int softmax(float[] scores, int from, float[] out, int to, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (scores[from + k] > scores[from + best]) {
                best = k;
            }
        }
        double max = scores[from + best];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(scores[from + k] - max);
        }
        for (int k = 0; k < n; k++) {
            out[to + k] = (float) (Math.exp(scores[from + k] - max) / sum);
        }
        return best;
    }
}
