package dev.lanes.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, "Fashion-MNIST: a Novel Image Dataset for
 * Benchmarking Machine Learning Algorithms", 2017; Zalando Research, MIT license): 28x28 grey
 * images of 10 kinds of clothing, 60,000 for training and 10,000 for testing, in MNIST's IDX
 * format.
 *
 * <p>{@link #resolve(Path)} picks the data: an explicit directory; else
 * {@value #SYSTEM_DIRECTORY} when it holds the four files (Debian package
 * {@code dataset-fashion-mnist}); else the subset bundled in this module
 * ({@value #BUNDLED_TRAIN_COUNT} training and {@value #BUNDLED_TEST_COUNT} test images, class
 * balanced; see the README beside it). The returned {@link DataSource} says which it chose.
 */
public final class FashionMnist {
    /** The class names, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
    public static final String SYSTEM_DIRECTORY = "/usr/share/datasets/fashion-mnist";

    /** Images in the bundled training subset (500 per class). */
    public static final int BUNDLED_TRAIN_COUNT = 5000;
    /** Images in the bundled test subset (100 per class). */
    public static final int BUNDLED_TEST_COUNT = 1000;

    /** The resource folder of the bundled subset, relative to this class. */
    static final String BUNDLED_FOLDER = "fashion-mnist-subset/";

    private FashionMnist() {
    }

    /**
     * Chooses the data: {@code explicitDirectory} if not null (it must hold the four files), else
     * {@value #SYSTEM_DIRECTORY} when complete, else the bundled subset.
     *
     * @param explicitDirectory the directory given by the user, or null
     * @return the data source
     * @throws IOException if {@code explicitDirectory} is given but is not a directory or lacks a file
     */
    public static DataSource resolve(Path explicitDirectory) throws IOException {
        return resolve(explicitDirectory, Path.of(SYSTEM_DIRECTORY));
    }

    /**
     * {@link #resolve(Path)} with another system directory (for tests).
     *
     * @param explicitDirectory the directory given by the user, or null
     * @param systemDirectory the directory searched when none is given
     * @return the data source
     * @throws IOException if the directory cannot be read
     */
    public static DataSource resolve(Path explicitDirectory, Path systemDirectory) throws IOException {
        if (explicitDirectory != null) {
            if (!Files.isDirectory(explicitDirectory)) {
                throw new IOException("data directory " + explicitDirectory + " does not exist or is not a directory");
            }
            for (String name : List.of(DataSource.TRAIN_IMAGES, DataSource.TRAIN_LABELS, DataSource.TEST_IMAGES,
                    DataSource.TEST_LABELS)) {
                DataSource.find(explicitDirectory, name);
            }
            return new DataSource(DataSource.Kind.DIRECTORY, explicitDirectory.toString());
        }
        if (systemDirectory != null && DataSource.isComplete(systemDirectory)) {
            return new DataSource(DataSource.Kind.SYSTEM, systemDirectory.toString());
        }
        return bundled();
    }

    /** {@return the bundled subset} */
    public static DataSource bundled() {
        return new DataSource(DataSource.Kind.BUNDLED, "dev/lanes/training/data/" + BUNDLED_FOLDER.replace("/", ""));
    }
}
