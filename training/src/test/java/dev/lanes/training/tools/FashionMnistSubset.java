package dev.lanes.training.tools;

import dev.lanes.training.data.DataSource;
import dev.lanes.training.data.Idx;
import dev.lanes.training.data.IdxArray;
import dev.lanes.training.data.Splits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the Fashion-MNIST subset bundled in training's resources: 500 images per class from the
 * training file and 100 per class from the test file, drawn by {@link Splits#balancedIndices}
 * with seed {@value #SEED} and kept in their original order, written as gzipped IDX files.
 *
 * <p>Run from the repository root after {@code ./mvnw -q -pl training -am test-compile}:
 * <pre>
 * java -cp training/target/classes:training/target/test-classes \
 *     dev.lanes.training.tools.FashionMnistSubset /usr/share/datasets/fashion-mnist \
 *     training/src/main/resources/dev/lanes/training/data/fashion-mnist-subset
 * </pre>
 * {@code BundledSubsetTest} checks that the committed files equal what this produces.
 */
public final class FashionMnistSubset {
    /** The seed of the draw. */
    public static final long SEED = 2017;
    /** Training images per class. */
    public static final int TRAIN_PER_CLASS = 500;
    /** Test images per class. */
    public static final int TEST_PER_CLASS = 100;

    private FashionMnistSubset() {
    }

    /** Writes the four files into {@code args[1]} from the full set in {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FashionMnistSubset SOURCE_DIR TARGET_DIR");
            System.exit(2);
        }
        Path target = Path.of(args[1]);
        Files.createDirectories(target);
        for (Map.Entry<String, byte[]> file : build(Path.of(args[0])).entrySet()) {
            Files.write(target.resolve(file.getKey()), file.getValue());
            System.out.println(file.getKey() + ": " + file.getValue().length + " bytes");
        }
    }

    /** The four gzipped IDX files of the subset, by file name. */
    public static Map<String, byte[]> build(Path source) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        subset(source, DataSource.TRAIN_IMAGES, DataSource.TRAIN_LABELS, TRAIN_PER_CLASS, files);
        subset(source, DataSource.TEST_IMAGES, DataSource.TEST_LABELS, TEST_PER_CLASS, files);
        return files;
    }

    private static void subset(Path source, String imagesName, String labelsName, int perClass,
                               Map<String, byte[]> files) throws IOException {
        IdxArray images = Idx.read(source.resolve(imagesName + ".gz"));
        IdxArray labels = Idx.read(source.resolve(labelsName + ".gz"));
        int[] labelValues = new int[labels.dim(0)];
        for (int i = 0; i < labelValues.length; i++) {
            labelValues[i] = labels.unsigned(i);
        }
        int[] chosen = Splits.balancedIndices(labelValues, 10, perClass, SEED);
        int imageSize = images.dim(1) * images.dim(2);
        byte[] imageBytes = new byte[chosen.length * imageSize];
        byte[] labelBytes = new byte[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            System.arraycopy(images.data(), chosen[i] * imageSize, imageBytes, i * imageSize, imageSize);
            labelBytes[i] = labels.data()[chosen[i]];
        }
        files.put(imagesName + ".gz", gzipIdx(new int[] {chosen.length, images.dim(1), images.dim(2)}, imageBytes));
        files.put(labelsName + ".gz", gzipIdx(new int[] {chosen.length}, labelBytes));
    }

    private static byte[] gzipIdx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Idx.write(out, dims, data, true);
        return out.toByteArray();
    }
}
