package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path directory;

    private static byte[] idx(int[] dims, byte[] data, boolean gzip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Idx.write(out, dims, data, gzip);
        return out.toByteArray();
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** A raw header: magic 00 00 type rank, then the sizes. */
    private static byte[] header(int type, int... dims) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length);
        buffer.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int dim : dims) {
            buffer.putInt(dim);
        }
        return buffer.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static String readError(byte[] bytes, String name) {
        IdxFormatException error = assertThrows(IdxFormatException.class,
                () -> Idx.read(new ByteArrayInputStream(bytes), name));
        return error.getMessage();
    }

    @Test
    void rawAndGzipRoundTrip() throws IOException {
        byte[] data = randomBytes(3 * 5 * 7, 11);
        for (boolean gzip : new boolean[] {false, true}) {
            Path file = directory.resolve(gzip ? "a.gz" : "a");
            Idx.write(file, new int[] {3, 5, 7}, data, gzip);
            byte[] stored = Files.readAllBytes(file);
            assertEquals(gzip, (stored[0] & 0xFF) == 0x1f && (stored[1] & 0xFF) == 0x8b, "gzip " + gzip);
            IdxArray read = Idx.readImages(file);
            assertArrayEquals(new int[] {3, 5, 7}, read.dims());
            assertArrayEquals(data, read.data());
            assertEquals(file.toString(), read.source());
        }
    }

    @Test
    void compressionIsDetectedFromTheContentNotTheName() throws IOException {
        byte[] data = randomBytes(20, 12);
        Path plainNamedGz = directory.resolve("labels.gz");
        Files.write(plainNamedGz, idx(new int[] {20}, data, false));
        assertArrayEquals(data, Idx.readLabels(plainNamedGz).data());
        Path gzipNamedPlain = directory.resolve("labels");
        Files.write(gzipNamedPlain, idx(new int[] {20}, data, true));
        assertArrayEquals(data, Idx.readLabels(gzipNamedPlain).data());
    }

    @Test
    void headerOfTheRealFilesIsUnderstood() throws IOException {
        // MNIST's documented image header: 0x00000803, 60000, 28, 28.
        byte[] bytes = concat(header(0x08, 2, 3, 4), new byte[24]);
        assertEquals(0x00000803, ByteBuffer.wrap(bytes).getInt(0));
        IdxArray array = Idx.read(new ByteArrayInputStream(bytes), "x");
        assertArrayEquals(new int[] {2, 3, 4}, array.dims());
    }

    @Test
    void truncatedImageDataNamesTheFileAndBothLengths() {
        byte[] bytes = concat(header(0x08, 60000, 28, 28), new byte[1000]);
        assertEquals("train-images-idx3-ubyte: expected 47040000 image bytes (60000 x 28 x 28), file ends after 1000",
                readError(bytes, "train-images-idx3-ubyte"));
    }

    @Test
    void truncatedLabelsInAGzipFile() throws IOException {
        // A complete gzip stream whose IDX header promises more labels than it holds.
        byte[] full = concat(header(0x08, 100), new byte[60]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(full);
        }
        assertEquals("labels.gz: expected 100 label bytes (100), file ends after 60",
                readError(out.toByteArray(), "labels.gz"));
    }

    @Test
    void cutGzipStreamIsReportedAsCorrupt() throws IOException {
        byte[] gzip = idx(new int[] {10, 28, 28}, randomBytes(7840, 13), true);
        byte[] cut = Arrays.copyOf(gzip, gzip.length / 2);
        String message = readError(cut, "images.gz");
        assertTrue(message.startsWith("images.gz: the gzip stream is corrupt or truncated ("), message);
    }

    @Test
    void damagedGzipChecksumIsReportedAsCorrupt() throws IOException {
        byte[] gzip = idx(new int[] {10}, randomBytes(10, 14), true);
        gzip[gzip.length - 6] ^= 0x55; // inside the CRC-32 of the trailer
        String message = readError(gzip, "labels.gz");
        assertTrue(message.startsWith("labels.gz: the gzip stream is corrupt or truncated ("), message);
    }

    @Test
    void badMagicNumber() {
        byte[] bytes = concat(new byte[] {0x50, 0x4b, 0x03, 0x04}, new byte[16]);
        assertEquals("zip: bad magic number 0x504B0304: an IDX file starts with two zero bytes"
                + " (MNIST images 0x00000803, labels 0x00000801)", readError(bytes, "zip"));
    }

    @Test
    void unsupportedAndUnknownDataTypes() {
        assertEquals("f: data type 0x0D (float) is not supported, expected 0x08 (unsigned byte)",
                readError(concat(header(0x0D, 2), new byte[8]), "f"));
        assertEquals("f: data type 0x42 (unknown type) is not supported, expected 0x08 (unsigned byte)",
                readError(concat(header(0x42, 2), new byte[2]), "f"));
    }

    @Test
    void truncatedInsideTheMagicOrTheSizes() {
        assertEquals("t: file ends after 3 bytes, inside the 4-byte magic number",
                readError(new byte[] {0, 0, 8}, "t"));
        assertEquals("t: file ends after 0 bytes, inside the 4-byte magic number", readError(new byte[0], "t"));
        byte[] cutSizes = Arrays.copyOf(header(0x08, 60000, 28, 28), 10);
        assertEquals("t: file ends inside the header: 3 dimension sizes need 12 bytes, found 6",
                readError(cutSizes, "t"));
    }

    @Test
    void zeroDimensionsAndHugeSizesAreRejected() {
        assertEquals("z: header declares 0 dimensions, expected 1 to 16", readError(header(0x08), "z"));
        byte[] negative = header(0x08, 10, 0x80000000);
        assertEquals("z: dimension 1 has size 2147483648, more than 2^31 - 1", readError(negative, "z"));
        assertEquals("z: dimensions [65536, 65536] hold more than 2147483639 values",
                readError(header(0x08, 65536, 65536), "z"));
    }

    @Test
    void bytesAfterTheDataAreRejected() {
        byte[] bytes = concat(header(0x08, 4), new byte[5]);
        assertEquals("x: file continues after the 4 label bytes its header (4) declares", readError(bytes, "x"));
    }

    @Test
    void wrongNumberOfDimensionsForImagesOrLabels() throws IOException {
        Path labelsFile = directory.resolve("labels");
        Idx.write(labelsFile, new int[] {6}, new byte[6], false);
        IdxFormatException images = assertThrows(IdxFormatException.class, () -> Idx.readImages(labelsFile));
        assertEquals(labelsFile + ": expected 3 dimensions for images (count, rows, columns), found 1 [6]",
                images.getMessage());
        Path imagesFile = directory.resolve("images");
        Idx.write(imagesFile, new int[] {2, 2, 3}, new byte[12], false);
        IdxFormatException labels = assertThrows(IdxFormatException.class, () -> Idx.readLabels(imagesFile));
        assertEquals(imagesFile + ": expected 1 dimension for labels (count), found 3 [2, 2, 3]",
                labels.getMessage());
    }

    @Test
    void writerChecksItsArguments() {
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> idx(new int[] {2, 3}, new byte[5], false));
        assertEquals("dims [2, 3] hold 6 values but data.length is 5", mismatch.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> idx(new int[0], new byte[1], false));
        assertEquals("dims must have 1 to 16 entries, has 0", empty.getMessage());
    }
}
