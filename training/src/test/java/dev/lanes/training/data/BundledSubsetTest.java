package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lanes.training.tools.FashionMnistSubset;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed subset is exactly what the tool makes from the full data set. */
class BundledSubsetTest {
    @Test
    void bundledFilesMatchTheToolsOutput() throws IOException {
        Path system = Path.of(FashionMnist.SYSTEM_DIRECTORY);
        assumeTrue(Files.isDirectory(system), "Fashion-MNIST is not installed at " + system);
        Map<String, byte[]> made = FashionMnistSubset.build(system);
        for (Map.Entry<String, byte[]> file : made.entrySet()) {
            // Compare the decompressed contents: the compressed bytes depend on the zlib version.
            IdxArray expected = Idx.read(new ByteArrayInputStream(file.getValue()), file.getKey());
            try (InputStream in = FashionMnist.class.getResourceAsStream(FashionMnist.BUNDLED_FOLDER + file.getKey())) {
                IdxArray bundled = Idx.read(in, file.getKey());
                assertArrayEquals(expected.dims(), bundled.dims(), file.getKey());
                assertArrayEquals(expected.data(), bundled.data(), file.getKey());
            }
        }
    }
}
