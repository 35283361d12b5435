package dev.lanes.spark;

import dev.lanes.layers.loss.Loss;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.training.Model;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.DataSource;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.FashionMnist;
import dev.lanes.training.models.Models;
import java.io.IOException;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A model of {@link Models} trained on Fashion-MNIST with softmax cross-entropy, as
 * {@code lanes train} sets it up (without a validation split): the training images (the first
 * {@code images} of them, or all when 0) normalized with their own per-channel mean and standard
 * deviation, shuffled by the seed each epoch, the last partial batch dropped when there is more
 * than one batch, and the given augmentation.
 *
 * @param modelName a name of {@link Models#NAMES}
 * @param seed      the seed of the weights, the order and the augmentation
 * @param directory a folder with the four IDX files that every executor can read, or null for
 *                  the subset bundled in the training module
 * @param images    how many training images to use from the start of the file; 0 for all
 * @param batchSize the global mini-batch size
 * @param shift     the augmentation's largest shift in pixels (0 for none)
 * @param flip      the augmentation's flip probability (0 for none)
 */
public record FashionMnistSetup(String modelName, long seed, String directory, int images, int batchSize, int shift,
                                double flip) implements TrainingSetup {
    private static final long serialVersionUID = 1L;

    /** Checks the arguments. */
    public FashionMnistSetup {
        if (!Models.NAMES.contains(modelName)) {
            throw new IllegalArgumentException("unknown model '" + modelName + "'; choose one of " + Models.NAMES);
        }
        if (images < 0) {
            throw new IllegalArgumentException("images must be at least 0 (0 for all), got " + images);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        new Augmentation(shift, flip);
    }

    @Override
    public Model model() {
        return Models.create(modelName, seed);
    }

    @Override
    public Loss loss() {
        return new SoftmaxCrossEntropy();
    }

    @Override
    public DataLoader trainLoader() throws IOException {
        Dataset train = rawTrain();
        Dataset normalized = train.normalized(train.channelMeans(), train.channelStds());
        return new DataLoader(normalized, batchSize, true, normalized.count() > batchSize, seed,
                new Augmentation(shift, flip));
    }

    /**
     * The test images normalized with the training images' statistics.
     *
     * @return the test set
     * @throws IOException if the data cannot be read
     */
    public Dataset test() throws IOException {
        Dataset train = rawTrain();
        return source().test().normalized(train.channelMeans(), train.channelStds());
    }

    /**
     * Where the images come from.
     *
     * @return a description of the data's source
     */
    public DataSource source() {
        return directory == null ? FashionMnist.bundled() : new DataSource(DataSource.Kind.DIRECTORY, directory);
    }

    private Dataset rawTrain() throws IOException {
        Dataset train = source().train();
        if (images > train.count()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%d training images asked for but %s has %d",
                    images, source().description(), train.count()));
        }
        return images == 0 || images == train.count() ? train : train.subset(IntStream.range(0, images).toArray());
    }
}
