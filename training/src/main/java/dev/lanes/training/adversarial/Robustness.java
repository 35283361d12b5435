package dev.lanes.training.adversarial;

import dev.lanes.layers.Layer;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.Batch;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.Dataset;
import java.util.Arrays;

/**
 * A classifier's accuracy on a dataset whose images an attack has changed: white-box when the
 * attack works on the classifier itself, black-box (transfer) when it works on a substitute
 * model and only its images reach the classifier.
 */
public final class Robustness {
    private final Layer classifier;
    private final int batchSize;

    /**
     * A measurer of {@code classifier}'s accuracy under attack.
     *
     * @param classifier maps (n, c, h, w) images to (n, classes) scores
     * @param batchSize  images per forward pass
     */
    public Robustness(Layer classifier, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.classifier = classifier;
        this.batchSize = batchSize;
    }

    /**
     * {@return the fraction of {@code data} the classifier gets right after {@code attack} (null
     * for none: the clean accuracy) changed every image by at most {@code epsilon} in pixel units,
     * away from its true label}
     *
     * @param data the images and their labels
     * @param attack the attack, or null for none (the clean accuracy)
     * @param epsilon ε, the largest change of a pixel, in pixel units
     */
    public double accuracy(Dataset data, Attack attack, float epsilon) {
        if (data.count() == 0) {
            throw new IllegalArgumentException("the dataset is empty");
        }
        DataLoader loader = new DataLoader(data, batchSize, false, false, 0, Augmentation.NONE);
        float[] epsilons = new float[batchSize];
        Arrays.fill(epsilons, epsilon);
        long correct = 0;
        loader.startEpoch(0);
        while (loader.hasNext()) {
            Batch batch = loader.next();
            int n = batch.size();
            Tensor images = images(batch);
            if (attack != null) {
                attack.perturb(images, images, batch.labels(), epsilons);
            }
            int[] predicted = predict(images);
            for (int i = 0; i < n; i++) {
                correct += predicted[i] == batch.labels()[i] ? 1 : 0;
            }
        }
        return (double) correct / data.count();
    }

    /**
     * {@return the classifier's class for every image of {@code data}, in batches}
     *
     * @param data the images
     */
    public int[] predict(Dataset data) {
        int[] classes = new int[data.count()];
        DataLoader loader = new DataLoader(data, batchSize, false, false, 0, Augmentation.NONE);
        loader.startEpoch(0);
        int done = 0;
        while (loader.hasNext()) {
            Batch batch = loader.next();
            int[] predicted = predict(images(batch));
            System.arraycopy(predicted, 0, classes, done, batch.size());
            done += batch.size();
        }
        return classes;
    }

    /** The loader's images of {@code batch} as an (n, c, h, w) tensor over its buffer. */
    static Tensor images(Batch batch) {
        Shape shape = Shape.of(batch.size(), batch.channels(), batch.height(), batch.width());
        return Tensor.wrap(batch.images(), 0, shape, shape.contiguousStrides());
    }

    /**
     * {@return the classifier's class for each image of {@code images} (n, c, h, w): the first
     * largest score}
     *
     * @param images the images (n, c, h, w)
     */
    public int[] predict(Tensor images) {
        Tensor scores = classifier.forward(images, false);
        int[] classes = new int[scores.dim(0)];
        for (int i = 0; i < classes.length; i++) {
            int best = 0;
            for (int c = 1; c < scores.dim(1); c++) {
                if (scores.get(i, c) > scores.get(i, best)) {
                    best = c;
                }
            }
            classes[i] = best;
        }
        return classes;
    }
}
