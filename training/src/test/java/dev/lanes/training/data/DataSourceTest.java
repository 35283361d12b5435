package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourceTest {
    @TempDir
    Path directory;

    /** Writes a tiny four-file MNIST-like set: 3 training and 2 test images of 2x2. */
    private void writeTinySet(Path folder, boolean gzip) throws IOException {
        Files.createDirectories(folder);
        String suffix = gzip ? ".gz" : "";
        Idx.write(folder.resolve(DataSource.TRAIN_IMAGES + suffix), new int[] {3, 2, 2}, new byte[12], gzip);
        Idx.write(folder.resolve(DataSource.TRAIN_LABELS + suffix), new int[] {3}, new byte[] {1, 2, 9}, gzip);
        Idx.write(folder.resolve(DataSource.TEST_IMAGES + suffix), new int[] {2, 2, 2}, new byte[8], gzip);
        Idx.write(folder.resolve(DataSource.TEST_LABELS + suffix), new int[] {2}, new byte[] {0, 5}, gzip);
    }

    @Test
    void explicitDirectoryComesFirst() throws IOException {
        Path data = directory.resolve("data");
        Path system = directory.resolve("system");
        writeTinySet(data, false);
        writeTinySet(system, true);
        DataSource source = FashionMnist.resolve(data, system);
        assertEquals(DataSource.Kind.DIRECTORY, source.kind());
        assertEquals("Fashion-MNIST from " + data, source.description());
        assertArrayEquals(new int[] {1, 2, 9}, source.train().labels());
        assertArrayEquals(new int[] {0, 5}, source.test().labels());
        assertEquals(FashionMnist.CLASS_NAMES, source.train().classNames());
    }

    @Test
    void systemDirectoryWhenNoneIsGiven() throws IOException {
        Path system = directory.resolve("system");
        writeTinySet(system, true);
        DataSource source = FashionMnist.resolve(null, system);
        assertEquals(DataSource.Kind.SYSTEM, source.kind());
        assertTrue(source.description().endsWith("(Debian package dataset-fashion-mnist)"), source.description());
        assertEquals(3, source.train().count());
    }

    @Test
    void bundledSubsetWhenTheSystemDirectoryIsMissingOrIncomplete() throws IOException {
        assertEquals(DataSource.Kind.BUNDLED, FashionMnist.resolve(null, directory.resolve("absent")).kind());
        Path partial = directory.resolve("partial");
        writeTinySet(partial, true);
        Files.delete(partial.resolve(DataSource.TEST_LABELS + ".gz"));
        DataSource source = FashionMnist.resolve(null, partial);
        assertEquals(DataSource.Kind.BUNDLED, source.kind());
        assertTrue(source.description().startsWith("the bundled Fashion-MNIST subset (5000 training, 1000 test images"),
                source.description());
    }

    @Test
    void bundledSubsetIsClassBalanced() throws IOException {
        Dataset train = FashionMnist.bundled().train();
        Dataset test = FashionMnist.bundled().test();
        assertEquals(FashionMnist.BUNDLED_TRAIN_COUNT, train.count());
        assertEquals(FashionMnist.BUNDLED_TEST_COUNT, test.count());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        assertArrayEquals(new int[] {500, 500, 500, 500, 500, 500, 500, 500, 500, 500}, train.classCounts());
        assertArrayEquals(new int[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, test.classCounts());
        // Fashion-MNIST's pixel mean is about 0.286 (Xiao et al. report 72.94 of 255).
        assertEquals(0.286, train.channelMeans()[0], 0.01);
    }

    @Test
    void explicitDirectoryProblemsAreReported() throws IOException {
        Path missing = directory.resolve("nowhere");
        IOException absent = assertThrows(IOException.class, () -> FashionMnist.resolve(missing, null));
        assertEquals("data directory " + missing + " does not exist or is not a directory", absent.getMessage());
        Path incomplete = directory.resolve("incomplete");
        writeTinySet(incomplete, false);
        Files.delete(incomplete.resolve(DataSource.TRAIN_LABELS));
        IOException lacking = assertThrows(IOException.class, () -> FashionMnist.resolve(incomplete, null));
        assertEquals(incomplete + " has neither train-labels-idx1-ubyte nor train-labels-idx1-ubyte.gz",
                lacking.getMessage());
    }

    @Test
    void aCorruptFileInTheDirectoryIsNamed() throws IOException {
        Path data = directory.resolve("data");
        writeTinySet(data, false);
        Path labels = data.resolve(DataSource.TRAIN_LABELS);
        Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2});
        IdxFormatException error = assertThrows(IdxFormatException.class, () -> FashionMnist.resolve(data, null).train());
        assertEquals(labels + ": expected 5 label bytes (5), file ends after 2", error.getMessage());
    }
}
