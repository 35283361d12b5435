package dev.lanes.training.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an MNIST-like dataset's four IDX files come from: a directory or the subset bundled in
 * this module. Build one with {@link FashionMnist#resolve}.
 *
 * @param kind     how it was chosen
 * @param location the directory, or the resource folder of the bundled subset
 */
public record DataSource(Kind kind, String location) {
    /** How a source was chosen. */
    public enum Kind {
        /** A directory given explicitly (the {@code --data} option). */
        DIRECTORY,
        /** The system-wide installation (Debian package {@code dataset-fashion-mnist}). */
        SYSTEM,
        /** The small subset bundled in this module's resources. */
        BUNDLED
    }

    /** The training images file's base name (with or without {@code .gz}). */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** The training labels file's base name. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** The test images file's base name. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** The test labels file's base name. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** {@return one line saying which data is used, for the program's output} */
    public String description() {
        return switch (kind) {
            case DIRECTORY -> "Fashion-MNIST from " + location;
            case SYSTEM -> "Fashion-MNIST from " + location + " (Debian package dataset-fashion-mnist)";
            case BUNDLED -> "the bundled Fashion-MNIST subset (" + FashionMnist.BUNDLED_TRAIN_COUNT + " training, "
                    + FashionMnist.BUNDLED_TEST_COUNT + " test images; pass --data DIR or install dataset-fashion-mnist"
                    + " for the full set)";
        };
    }

    /**
     * {@return the training set, pixels in [0, 1]}
     *
     * @throws IOException if the data files cannot be read
     */
    public Dataset train() throws IOException {
        return load(TRAIN_IMAGES, TRAIN_LABELS);
    }

    /**
     * {@return the test set, pixels in [0, 1]}
     *
     * @throws IOException if the data files cannot be read
     */
    public Dataset test() throws IOException {
        return load(TEST_IMAGES, TEST_LABELS);
    }

    private Dataset load(String imagesName, String labelsName) throws IOException {
        IdxArray images = Idx.requireRank(read(imagesName), 3, "images (count, rows, columns)");
        IdxArray labels = Idx.requireRank(read(labelsName), 1, "labels (count)");
        return Dataset.fromIdx(images, labels, FashionMnist.CLASS_NAMES.size(), classNames());
    }

    private List<String> classNames() {
        return FashionMnist.CLASS_NAMES;
    }

    private IdxArray read(String baseName) throws IOException {
        if (kind == Kind.BUNDLED) {
            String resource = baseName + ".gz";
            try (InputStream in = FashionMnist.class.getResourceAsStream(FashionMnist.BUNDLED_FOLDER + resource)) {
                if (in == null) {
                    throw new IOException("the bundled subset lacks " + location + "/" + resource);
                }
                return Idx.read(in, "bundled " + resource);
            }
        }
        return Idx.read(find(Path.of(location), baseName));
    }

    /** The file {@code baseName} or {@code baseName.gz} in {@code directory}. */
    static Path find(Path directory, String baseName) throws IOException {
        Path raw = directory.resolve(baseName);
        Path gzip = directory.resolve(baseName + ".gz");
        if (Files.isRegularFile(gzip)) {
            return gzip;
        }
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        throw new IOException(directory + " has neither " + baseName + " nor " + baseName + ".gz");
    }

    /** Whether {@code directory} holds all four files (raw or gzipped). */
    static boolean isComplete(Path directory) {
        for (String name : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            if (!Files.isRegularFile(directory.resolve(name)) && !Files.isRegularFile(directory.resolve(name + ".gz"))) {
                return false;
            }
        }
        return true;
    }
}
